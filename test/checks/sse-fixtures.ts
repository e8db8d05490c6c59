// What the two SSE test files share: an encoder, reader options, and a chat.completion.chunk to stream.
export const enc = new TextEncoder();
export const opts = { idleTimeoutMs: 1000, deadlineMs: 5000 };

/** A chat.completion.chunk with this delta content (null: the closing chunk without content), plus `extra` fields. */
export function chunk(content: string | null, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'agent-alias',
    choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: content === null ? 'stop' : null }],
    ...extra,
  });
}

/** The parts as a byte stream, one part per read. */
export async function* streamOf(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield p;
}
