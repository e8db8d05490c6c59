// R7 POST /v1/conversations: bootstrap a conversation of the key's family; the id comes back in the
// body and in the X-GT-Conversation-Id header.
import type { RouteHandler } from '../context.ts';
import { sendJson } from '../http.ts';
import type { Conversation } from '../store.ts';
import { CONVERSATION_HEADER } from '../../contract/load.ts';
import { readJson } from './validate.ts';

export function conversationObject(c: Conversation) {
  return { id: c.id, object: 'conversation', created: c.created, model: c.model, title: c.title, turns: c.turns.length };
}

export const createConversation: RouteHandler = async (ctx) => {
  const body = await readJson(ctx);
  const model = ctx.requireString(body, 'model');
  const title = ctx.optionalString(body, 'title') ?? null;
  ctx.requireModel(model);
  const conversation = ctx.rt.store.createConversation(ctx.key.family, model, title);
  const headers: Record<string, string> = ctx.has('conversation-header-missing') ? {} : { [CONVERSATION_HEADER]: conversation.id };
  sendJson(ctx.res, ctx.createdStatus('conversations'), conversationObject(conversation), headers);
};
