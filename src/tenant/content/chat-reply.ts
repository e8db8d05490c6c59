// The tenant's "model": a deterministic echo of the last user message, so tests can predict answers.
// Tokens are whitespace-separated words; max_tokens caps the reply.

export interface ChatMessage {
  role: string;
  content?: unknown;
}

/** The text of a message's content: a string, or the text parts of a content array. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
      .filter(Boolean)
      .join(' ');
  }
  return '';
}

export function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export interface ChatReply {
  /** the reply as token pieces: joined, they give the content */
  pieces: string[];
  finishReason: 'stop' | 'length';
  promptTokens: number;
}

export function replyTo(model: string, messages: ChatMessage[], maxTokens?: number): ChatReply {
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const words = `Echo from ${model}: ${textOf(lastUser?.content).trim() || '(no user message)'}`.split(/\s+/).filter(Boolean);
  const capped = maxTokens !== undefined && words.length > maxTokens ? words.slice(0, maxTokens) : words;
  return {
    pieces: capped.map((w, i) => (i === 0 ? w : ` ${w}`)),
    finishReason: capped.length < words.length ? 'length' : 'stop',
    promptTokens: messages.reduce((n, m) => n + countTokens(textOf(m.content)), 0),
  };
}
