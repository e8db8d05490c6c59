// Denials and bad requests: the status must be one the contract allows for that kind of denial
// (never 2xx, never 5xx), the body an OpenAI-shaped error that echoes no secret. Where GT-API.md
// leaves the status open, every allowed one passes and a strict note says which was chosen.
import { contractValidator, type ContractValidator } from './contract-validator.ts';
import { maskSecret, redact } from '../http/redact.ts';
import type { RouteSpec, TargetKey } from '../model.ts';

export type DenialClass =
  | 'scope'
  | 'model'
  | 'dataset'
  | 'foreignObject'
  | 'missingHeader'
  | 'unknownConversation'
  | 'badRequest'
  | 'unauthorized'
  | 'uploadKeyOnModels';

/**
 * The statuses each kind of denial may answer, the documented default (what --strict demands) first.
 * An upload key on GET /v1/models may also get 200 with an empty list: see checkUploadKeyOnModels.
 */
export const DENIAL_STATUSES: Readonly<Record<DenialClass, readonly number[]>> = {
  scope: [403],
  model: [403, 404],
  dataset: [403, 404],
  foreignObject: [404, 403],
  missingHeader: [400, 422],
  unknownConversation: [404, 403],
  badRequest: [400, 422],
  unauthorized: [401],
  uploadKeyOnModels: [403],
};

/** A key that lacks an owner-only route, asking for another family's object: the denial may hide that it exists. */
const SCOPE_OR_HIDDEN = [403, 404] as const;

/**
 * Which statuses may refuse a key the route is denied to. A key that lacks the route's purpose or scope gets
 * 403, and only 403. Hiding existence with 404 is allowed only where the request also names something outside
 * the key's reach: another family's file or conversation, a model or dataset not on its allowlist.
 */
export function denialClassOf(key: TargetKey | undefined, route: RouteSpec, uses: { ownModel: boolean; ownDataset: boolean }): DenialClass | readonly number[] {
  const lacksRoute = !key || !route.needs.purposes.includes(key.purpose) || (!!route.needs.scope && !key.scopes.includes(route.needs.scope));
  if (route.needs.owner) return lacksRoute ? SCOPE_OR_HIDDEN : 'foreignObject';
  if (route.needs.dataset && !uses.ownDataset) return 'dataset';
  if (route.needs.model && !uses.ownModel) return 'model';
  return 'scope';
}

/** An upload key on GET /v1/models: 403, or 200 with an empty list (the non-default choice). */
export const UPLOAD_KEY_MAY_GET_EMPTY_LIST = true;

export interface CheckOutcome {
  /** what breaks the contract; empty = pass */
  problems: string[];
  /** allowed choices other than the default, which a strict profile would flag */
  strictNotes: string[];
}

// A real key has many characters after gtak_; a hint such as "gtak_..." is not one.
const SOME_TOKEN = /gtak_(?!\*{4})[A-Za-z0-9_-]{8,}/;

/**
 * Problems of a denial: status in `allowed`, never 2xx/5xx, error body valid, no secret in it.
 * `body` is the raw text (or bytes); an already parsed value is accepted too.
 */
export function checkDenial(
  status: number,
  allowed: readonly number[],
  contentType: string | undefined,
  body: unknown,
  secret?: string | readonly string[],
  validator: ContractValidator = contractValidator(),
): CheckOutcome {
  const outcome: CheckOutcome = { problems: [], strictNotes: [] };
  const expected = allowed.join(' or ');
  if (status >= 200 && status < 300) {
    outcome.problems.push(`answered ${status}: the request was served, expected ${expected}`);
    return outcome;
  }
  if (status >= 500) outcome.problems.push(`answered ${status}, a server error, expected ${expected}`);
  else if (!allowed.includes(status)) outcome.problems.push(`answered ${status}, expected ${expected}`);
  else if (status !== allowed[0]) outcome.strictNotes.push(`answered ${status} where ${allowed[0]} is the default (${expected} allowed)`);
  checkErrorBody(contentType, body, secret, validator, outcome);
  return outcome;
}

/** Problems of the answer to a malformed request (bad JSON, missing field or header): 400 or 422, never 5xx. */
export function checkBadRequest(
  status: number,
  contentType: string | undefined,
  body: unknown,
  secret?: string | readonly string[],
  validator: ContractValidator = contractValidator(),
): CheckOutcome {
  return checkDenial(status, DENIAL_STATUSES.badRequest, contentType, body, secret, validator);
}

/** An upload key on GET /v1/models: 403 with an error body, or 200 with an empty model list. */
export function checkUploadKeyOnModels(
  status: number,
  contentType: string | undefined,
  body: unknown,
  secret?: string | readonly string[],
  validator: ContractValidator = contractValidator(),
): CheckOutcome {
  if (status !== 200 || !UPLOAD_KEY_MAY_GET_EMPTY_LIST) {
    return checkDenial(status, DENIAL_STATUSES.uploadKeyOnModels, contentType, body, secret, validator);
  }
  const outcome: CheckOutcome = { problems: [], strictNotes: [] };
  const { value, problem } = parse(body);
  if (problem) {
    outcome.problems.push(`answered 200 with a body that ${problem}`);
    return outcome;
  }
  outcome.problems.push(...validator.validateBody('ModelList', value).map((p) => `model list: ${p}`));
  const data = (value as { data?: unknown }).data;
  if (Array.isArray(data) && data.length > 0) {
    const names = data.map((m) => String((m as { id?: unknown })?.id)).slice(0, 5);
    outcome.problems.push(`an upload key sees ${data.length} model(s) (${names.join(', ')}), expected 403 or an empty list`);
  } else if (outcome.problems.length === 0) {
    outcome.strictNotes.push('answered 200 with an empty list where 403 is the default');
  }
  return outcome;
}

/**
 * Problems of an error body that names a published model hidden from the key (a leak), even one name among the
 * key's own: a "did you mean" or "available models" list must hold only names the key may see. The names the
 * request itself sent may be echoed.
 */
export function checkHiddenNames(body: unknown, hidden: readonly string[], asked: readonly string[] = []): string[] {
  const text = textOf(body);
  const leaked = hidden.filter((name) => name !== '' && !asked.includes(name) && mentions(text, name));
  return leaked.length ? [`the error body names ${leaked.map((n) => `"${n}"`).join(', ')}, published but not on the key's allowlist (a leak)`] : [];
}

/** The name as a whole token: "gpt-4o" is not mentioned by "gpt-4o-mini", but is by "... gpt-4o." */
function mentions(text: string, name: string): boolean {
  return new RegExp(`(?<![\\w.:/-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w:/-]|\\.\\w)`).test(text);
}

function checkErrorBody(
  contentType: string | undefined,
  body: unknown,
  secret: string | readonly string[] | undefined,
  validator: ContractValidator,
  outcome: CheckOutcome,
): void {
  const text = textOf(body);
  const secrets = typeof secret === 'string' ? [secret] : [...(secret ?? [])];
  for (const s of secrets) {
    if (s.length >= 6 && text.includes(s)) outcome.problems.push(`the error body echoes the bearer secret (${maskSecret(s)})`);
  }
  const token = SOME_TOKEN.exec(text)?.[0];
  if (token && !secrets.includes(token) && !secrets.some((s) => s && token.includes(s))) {
    outcome.problems.push(`the error body contains a gtak_ token (${maskSecret(token)})`);
  }
  const { value, problem } = parse(body);
  if (problem) {
    outcome.problems.push(`the error body ${problem}`);
    return;
  }
  outcome.problems.push(...validator.validateError(value).map((p) => `error body: ${p}`));
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (!/^application\/([\w.+-]+\+)?json$/.test(type)) {
    outcome.strictNotes.push(`the error body is JSON but its content type is ${type ? `"${type}"` : 'missing'}, not application/json`);
  }
}

function textOf(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return body === undefined ? '' : JSON.stringify(body) ?? '';
}

function parse(body: unknown): { value?: unknown; problem?: string } {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    return body === undefined ? { problem: 'is empty' } : { value: body };
  }
  const text = textOf(body);
  if (text.trim() === '') return { problem: 'is empty' };
  try {
    return { value: JSON.parse(text) };
  } catch {
    const flat = redact(text.replace(/\s+/g, ' '));
    return { problem: `is not JSON: ${flat.length > 100 ? `${flat.slice(0, 100)}…` : flat}` };
  }
}
