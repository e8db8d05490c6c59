// R2 POST /v1/chat/completions: a deterministic echo, as one JSON object or as an SSE stream;
// bound to a persisted conversation when X-GT-Conversation-Id is sent.
import { randomBytes } from 'node:crypto';
import type { RequestContext, RouteHandler } from '../context.ts';
import { errors, sendJson } from '../http.ts';
import { replyTo, type ChatMessage, type ChatReply } from '../content/chat-reply.ts';
import { CONVERSATION_HEADER } from '../../contract/load.ts';
import { readJson, type Unchecked } from './validate.ts';

interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  includeUsage: boolean;
  maxTokens?: number;
}

function parseChatRequest(ctx: RequestContext, body: Record<string, unknown>): ChatRequest {
  const model = ctx.requireString(body, 'model');
  if (body.messages === undefined || body.messages === null) throw ctx.missingField('messages');
  if (Array.isArray(body.messages) && body.messages.length === 0 && ctx.has('empty-messages-500')) {
    throw errors.internal("internal server error: cannot read properties of undefined (reading 'content')");
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw ctx.badRequest('field "messages" must be a non-empty array');
  body.messages.forEach((m, i) => {
    if (typeof m !== 'object' || m === null || typeof (m as ChatMessage).role !== 'string') throw ctx.badRequest(`messages[${i}] must be an object with a string role`);
  });
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw ctx.badRequest('field "stream" must be a boolean');
  const options = body.stream_options;
  if (options !== undefined && options !== null) {
    if (ctx.has('stream-options-rejected')) throw errors.badRequest(400, 'unrecognized request argument supplied: stream_options', 'invalid_request');
    if (typeof options !== 'object' || Array.isArray(options)) throw ctx.badRequest('field "stream_options" must be an object');
  }
  let maxTokens: number | undefined;
  for (const field of ['max_tokens', 'max_completion_tokens']) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (!Number.isInteger(value) || (value as number) < 1) throw ctx.badRequest(`field "${field}" must be a positive integer`);
    maxTokens = Math.min(maxTokens ?? Infinity, value as number);
  }
  return {
    model,
    messages: body.messages as ChatMessage[],
    stream: body.stream === true,
    includeUsage: (options as { include_usage?: unknown } | undefined)?.include_usage === true,
    maxTokens,
  };
}

/** What the empty-messages-500 defect leaves unvalidated: an empty messages array reaches the handler. */
function unchecked(ctx: RequestContext, body: Record<string, unknown>): Unchecked {
  return ctx.has('empty-messages-500') && Array.isArray(body.messages) && body.messages.length === 0 ? { messages: [{ role: 'user' }] } : {};
}

export const chatCompletions: RouteHandler = async (ctx) => {
  const request = parseChatRequest(ctx, await readJson(ctx, (body) => unchecked(ctx, body)));
  ctx.requireModel(request.model);
  const conversationId = ctx.header(CONVERSATION_HEADER)?.trim();
  const conversation = conversationId ? ctx.reachableConversation(conversationId) : undefined;

  const reply = replyTo(request.model, request.messages, request.maxTokens);
  const headers: Record<string, string> = {};
  if (conversation) {
    const last = request.messages[request.messages.length - 1];
    conversation.turns.push({ model: request.model, prompt: typeof last?.content === 'string' ? last.content : '', reply: reply.pieces.join(''), at: ctx.rt.now() });
    headers[CONVERSATION_HEADER] = conversation.id;
    headers['X-GT-Conversation-Turns'] = String(conversation.turns.length);
  }
  const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
  const created = Math.floor(ctx.rt.now() / 1000);
  if (request.stream) streamReply(ctx, request, reply, id, created, headers);
  else {
    const completionTokens = reply.pieces.length;
    sendJson(ctx.res, 200, {
      id,
      object: ctx.has('chat-object-wrong') ? 'text_completion' : 'chat.completion',
      created,
      // The defect answers with the id a provider would use under the alias.
      model: ctx.has('chat-exposes-provider-id') ? `provider-model-${request.model}-2024-08-06` : request.model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply.pieces.join('') }, finish_reason: reply.finishReason }],
      usage: { prompt_tokens: reply.promptTokens, completion_tokens: completionTokens, total_tokens: reply.promptTokens + completionTokens },
    }, headers);
  }
};

function streamReply(ctx: RequestContext, request: ChatRequest, reply: ChatReply, id: string, created: number, headers: Record<string, string>): void {
  const { res } = ctx;
  res.writeHead(200, {
    'Content-Type': ctx.has('sse-json-content-type') ? 'application/json' : 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    ...headers,
  });
  const event = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, choices, ...extra })}\n\n`);
  event([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
  for (const piece of reply.pieces) event([{ index: 0, delta: { content: piece }, finish_reason: null }]);
  event([{ index: 0, delta: {}, finish_reason: reply.finishReason }]);
  const usage = { prompt_tokens: reply.promptTokens, completion_tokens: reply.pieces.length, total_tokens: reply.promptTokens + reply.pieces.length };
  if (request.includeUsage) event([], { usage });
  if (!ctx.has('sse-no-done')) res.write('data: [DONE]\n\n');
  // The sse-event-after-done defect: the usage chunk is flushed late, after the [DONE] sentinel.
  if (ctx.has('sse-event-after-done')) event([], { usage });
  res.end();
}
