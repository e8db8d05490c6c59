// Checks of successful JSON answers: a documented 2xx, a JSON content type, a body that matches the
// operation's schema; plus the answer-specific rules of model lists and conversation bootstrap.
import { contractValidator, type ContractValidator } from './contract-validator.ts';
import type { CheckOutcome } from './errors.ts';
import { redact } from '../http/redact.ts';
import { headerValue } from '../http/headers.ts';
import { CONVERSATION_HEADER } from '../contract/load.ts';
import { namesInWords } from './name-list.ts';

export interface JsonOutcome extends CheckOutcome {
  /** the parsed body, when it was JSON */
  value?: unknown;
}

const isJsonType = (contentType: string | undefined) =>
  /^application\/([\w.+-]+\+)?json$/.test((contentType ?? '').split(';')[0].trim().toLowerCase());

/**
 * Problems of a success answer to `operationId`: a 2xx the contract documents, an application/json
 * content type (clients parse JSON only then), and a body valid against the operation's schema.
 * `body` is the raw text or bytes.
 */
export function checkSuccess(
  operationId: string,
  status: number,
  contentType: string | undefined,
  body: string | Uint8Array,
  validator: ContractValidator = contractValidator(),
): JsonOutcome {
  const outcome: JsonOutcome = { problems: [], strictNotes: [] };
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  if (status < 200 || status > 299) {
    outcome.problems.push(`answered ${status}, expected success: ${clip(text)}`);
    return outcome;
  }
  const documented = validator.responseFor(operationId, status);
  if (!documented) {
    outcome.problems.push(`answered ${status}, which the contract does not document for ${operationId}`);
    return outcome;
  }
  if (!documented.schema) return outcome; // not a JSON answer (speech): the media checks judge it
  if (!isJsonType(contentType)) {
    outcome.problems.push(`content type is ${contentType ? `"${contentType}"` : 'missing'}, expected application/json`);
  }
  try {
    outcome.value = JSON.parse(text);
  } catch {
    outcome.problems.push(`the body is not JSON: ${clip(text)}`);
    return outcome;
  }
  outcome.problems.push(...validator.validateBody(documented.schema, outcome.value));
  return outcome;
}

/**
 * Problems of a model list against the presenting key: exactly its allowlisted names. A name the key
 * must not see (published but not allowlisted) is a leak; so is any other name, unless `complete` is false: the
 * target file gives only part of the allowlist (or none), so a name it does not give may be the key's own.
 */
export function checkModelList(list: unknown, allowed: readonly string[], hidden: readonly string[] = [], complete = true): string[] {
  const data = (list as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return ['the answer has no data array'];
  const ids = data.map((m) => (m as { id?: unknown })?.id).filter((id): id is string => typeof id === 'string');
  const problems: string[] = [];
  const leaked = ids.filter((id) => hidden.includes(id));
  if (leaked.length) problems.push(`leak: the key sees ${namesInWords(leaked, true)}, published but not on its allowlist`);
  const unexpected = complete ? ids.filter((id) => !allowed.includes(id) && !hidden.includes(id)) : [];
  if (unexpected.length) problems.push(`the key sees ${namesInWords(unexpected, true)}, not on its allowlist (its models as the target file gives them: a leak, or a name to add there)`);
  const listed = new Set(ids);
  const missing = allowed.filter((name) => !listed.has(name));
  if (missing.length) problems.push(`the key does not see ${namesInWords(missing, true)}, on its allowlist`);
  const seen = new Set<string>();
  const duplicates = new Set(ids.filter((id) => seen.has(id) || !seen.add(id)));
  if (duplicates.size) problems.push(`listed more than once: ${namesInWords([...duplicates])}`);
  return problems;
}

/** Problems of a conversation bootstrap answer: any 2xx, a Conversation body, the id also in X-GT-Conversation-Id. */
export function checkConversationCreated(
  status: number,
  headers: Record<string, string>,
  contentType: string | undefined,
  body: string | Uint8Array,
  validator: ContractValidator = contractValidator(),
): JsonOutcome & { conversationId?: string } {
  const outcome: JsonOutcome & { conversationId?: string } = checkSuccess('createConversation', status, contentType, body, validator);
  if (status < 200 || status > 299) return outcome;
  const headerId = headerValue(headers, CONVERSATION_HEADER);
  const bodyId = (outcome.value as { id?: unknown } | undefined)?.id;
  if (!headerId) outcome.problems.push('the answer has no X-GT-Conversation-Id header');
  else if (typeof bodyId === 'string' && bodyId !== headerId) {
    outcome.problems.push(`X-GT-Conversation-Id is "${headerId}" but the body's id is "${bodyId}"`);
  }
  const id = headerId || (typeof bodyId === 'string' ? bodyId : undefined);
  if (id) outcome.conversationId = id;
  return outcome;
}

function clip(text: string, max = 160): string {
  const flat = redact(text.replace(/\s+/g, ' '));
  return flat.length > max ? `${flat.slice(0, max)}…` : flat || '(empty body)';
}
