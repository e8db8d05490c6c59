// A product's own request for a route, rebuilt from its client profile, so a replayed check sends
// what that product sends (its stream default, stream_options, user, max_tokens, encoding_format,
// multipart fields) and not a generic request. The engine sends it through its HTTP client.
import { CONVERSATION_HEADER, loadContract } from '../contract/load.ts';
import { headerValue } from '../http/headers.ts';
import type { MultipartFile } from '../http/multipart.ts';
import type { Contract, HttpMethod } from '../model.ts';
import type { ClientProfile, RouteCall } from './profile.ts';
import { clientUrl, RouteNotCalledError, tenantRelativePath, workingBaseUrl } from './url.ts';

/** Shaped like the HTTP client's HttpRequest (src/http/client.ts); the engine adds the label and the bearer key. */
export interface ClientRequest {
  route: string;
  method: HttpMethod;
  /** relative to the tenant base URL ending in /api/tenant, e.g. /v1/chat/completions */
  path: string;
  /** the profile's own headers (content type, accept, user agent); never Authorization */
  headers: Record<string, string>;
  json?: Record<string, unknown>;
  multipart?: { fields: Record<string, string>; files: MultipartFile[] };
  stream: boolean;
}

export interface ReplayContext {
  model: string;
  /** embeddings input; default two short texts */
  inputs?: string[];
  /** the chat prompt, the speech input or the image prompt */
  text?: string;
  /** transcriptions and uploads */
  file?: { filename: string; contentType: string; bytes: Uint8Array };
  /** overrides the profile's stream default (e.g. streamText vs generateText) */
  stream?: boolean;
  /** the value of a `user` field when the profile sends one */
  user?: string;
  /** the max_tokens value when the profile's default is none */
  maxTokens?: number;
  /** for routes with {id}: a file or dataset id */
  id?: string;
  conversationId?: string;
  /** send a tool when the profile sends tools when configured */
  withTools?: boolean;
}

const TENANT_STAND_IN = 'http://tenant.invalid';
const DEFAULT_USER = 'gt-conformance-user';

function routeCall(profile: ClientProfile, routeId: string): RouteCall {
  const call = profile.routes[routeId];
  if (!call) throw new RouteNotCalledError(profile.id, routeId, profile.not_called?.[routeId]);
  return call;
}

/** The tenant-relative path the product calls when it is configured with the base URL that works. */
function replayPath(profile: ClientProfile, routeId: string, contract: Contract, id?: string): string {
  const tenantBase = `${TENANT_STAND_IN}${contract.basePath}`;
  const base = workingBaseUrl(profile, tenantBase, contract) ?? `${tenantBase}/v1`;
  const rel = tenantRelativePath(clientUrl(profile, base, routeId), contract);
  if (rel === undefined) throw new Error(`client profile "${profile.id}": route "${routeId}" leaves the tenant base path`);
  return id === undefined ? rel : rel.replace('{id}', encodeURIComponent(id));
}

function profileHeaders(profile: ClientProfile, call: RouteCall): Record<string, string> {
  const headers: Record<string, string> = {};
  if (call.content === 'json' && profile.headers.content_type) headers['Content-Type'] = profile.headers.content_type;
  if (profile.headers.accept) headers.Accept = profile.headers.accept;
  if (profile.headers.user_agent) headers['User-Agent'] = profile.headers.user_agent;
  return headers;
}

function chatBody(call: RouteCall, ctx: ReplayContext, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: ctx.model,
    messages: [{ role: 'user', content: ctx.text ?? 'Reply with one word: ping.' }],
  };
  if (stream) body.stream = true;
  else if (call.stream?.sends_false) body.stream = false;
  if (stream && call.stream_options) body.stream_options = structuredClone(call.stream_options);
  if (call.user) body.user = ctx.user ?? DEFAULT_USER;
  const maxTokens = call.max_tokens?.default ?? ctx.maxTokens;
  if (call.max_tokens && maxTokens !== undefined && maxTokens !== null) body[call.max_tokens.field] = maxTokens;
  if (ctx.withTools && call.tools === 'when_configured') {
    body.tools = [{ type: 'function', function: { name: 'lookup', description: 'Looks a word up.', parameters: { type: 'object', properties: { word: { type: 'string' } } } } }];
    if (call.tool_choice) body.tool_choice = call.tool_choice;
  }
  return body;
}

function embeddingsBody(call: RouteCall, ctx: ReplayContext): Record<string, unknown> {
  const inputs = ctx.inputs ?? ['conformance probe one', 'conformance probe two'];
  const input = call.input === 'string' || (call.input === 'as_given' && inputs.length === 1) ? inputs[0] : inputs;
  const body: Record<string, unknown> = { model: ctx.model, input };
  if (call.encoding_format && call.encoding_format !== 'absent') body.encoding_format = call.encoding_format;
  return body;
}

/** JSON bodies of the other routes: the fields the profile lists, from the context. */
function fieldsBody(call: RouteCall, ctx: ReplayContext): Record<string, unknown> {
  const values: Record<string, unknown> = { model: ctx.model, input: ctx.text ?? 'conformance probe', prompt: ctx.text ?? 'a small red square', voice: 'alloy', response_format: 'mp3' };
  const body: Record<string, unknown> = {};
  for (const field of call.json_fields ?? ['model']) if (values[field] !== undefined) body[field] = values[field];
  return body;
}

function multipart(call: RouteCall, ctx: ReplayContext): ClientRequest['multipart'] {
  const fields: Record<string, string> = {};
  const files: MultipartFile[] = [];
  for (const field of call.multipart_fields ?? []) {
    if (field === 'file') {
      if (ctx.file) files.push({ field, ...ctx.file });
    } else if (field === 'model') fields.model = ctx.model;
  }
  return { fields, files };
}

/** The request the product sends for a route, as its profile describes it. */
export function buildClientRequest(profile: ClientProfile, routeId: string, ctx: ReplayContext, contract: Contract = loadContract()): ClientRequest {
  const call = routeCall(profile, routeId);
  const stream = routeId === 'chat' ? (ctx.stream ?? call.stream?.default ?? false) : false;
  const headers = profileHeaders(profile, call);
  if (call.headers?.includes(CONVERSATION_HEADER) && ctx.conversationId) headers[CONVERSATION_HEADER] = ctx.conversationId;
  const request: ClientRequest = { route: routeId, method: call.method, path: replayPath(profile, routeId, contract, ctx.id), headers, stream };
  if (call.content === 'multipart') request.multipart = multipart(call, ctx);
  else if (call.content === 'json') {
    request.json = routeId === 'chat' ? chatBody(call, ctx, stream) : routeId === 'embeddings' ? embeddingsBody(call, ctx) : fieldsBody(call, ctx);
  }
  return request;
}

/** The product's connection or credentials check, or undefined when it makes none. */
export function validationCall(profile: ClientProfile, ctx: { model: string }, contract: Contract = loadContract()): ClientRequest | undefined {
  const spec = profile.validation;
  if (!spec) return undefined;
  const call = routeCall(profile, spec.route);
  const request: ClientRequest = { route: spec.route, method: call.method, path: replayPath(profile, spec.route, contract), headers: profileHeaders(profile, call), stream: spec.stream };
  if (call.method === 'POST') request.json = { model: ctx.model, ...(spec.stream ? { stream: true } : {}), ...structuredClone(spec.body ?? {}) };
  return request;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why the product refuses the answer to its validation call; empty when it accepts it. */
export function checkValidationAnswer(profile: ClientProfile, status: number, body: unknown): string[] {
  const spec = profile.validation;
  if (!spec) return [];
  const who = profile.title;
  if (status !== spec.expect.status) return [`${who} refuses the connection: its validation call answered HTTP ${status}, it needs ${spec.expect.status}`];
  const problems: string[] = [];
  if (spec.expect.object !== undefined) {
    const object = isRecord(body) ? body.object : undefined;
    const missing = object === undefined || object === null || object === '';
    if (missing && spec.expect.missing_object === 'rejected') problems.push(`${who} refuses the connection: the validation answer has no object field, it needs "${spec.expect.object}"`);
    if (!missing && object !== spec.expect.object) problems.push(`${who} refuses the connection: the validation answer has object ${JSON.stringify(object)}, it needs "${spec.expect.object}"`);
  }
  if (spec.expect.list_of_ids) {
    const data = isRecord(body) ? body.data : undefined;
    if (!Array.isArray(data) || !data.every((m) => isRecord(m) && typeof m.id === 'string')) problems.push(`${who} shows no models: the validation answer is not {data: [{id}]}`);
  }
  return problems;
}

/** Whether the product tries again after this answer, and why; a 429 it gives up on is the product's failure. */
export function wouldRetry(profile: ClientProfile, status: number, retryAfter: string | undefined): { retry: boolean; reason: string } {
  const rule = profile.retry;
  if (rule.retries === 0 || !rule.statuses.includes(status)) return { retry: false, reason: `${profile.title} does not retry HTTP ${status}` };
  if (status !== 429) return { retry: true, reason: `${profile.title} retries HTTP ${status}` };
  const seconds = retryAfter === undefined ? undefined : Number(retryAfter);
  const usable = seconds !== undefined && Number.isFinite(seconds) && seconds >= 0 && seconds <= (rule.honours_retry_after_max_s ?? Infinity);
  if (rule.on_429 === 'never') return { retry: false, reason: `${profile.title} does not retry a 429` };
  if (rule.on_429 === 'retry_after_only' && !usable) {
    return {
      retry: false,
      reason: retryAfter === undefined ? `${profile.title} gives up on a 429 without Retry-After` : `${profile.title} gives up on a 429 whose Retry-After (${retryAfter}) is over ${rule.honours_retry_after_max_s} s`,
    };
  }
  return { retry: true, reason: usable ? `${profile.title} waits Retry-After ${retryAfter} s and retries` : `${profile.title} retries a 429 with backoff` };
}

/** An answer to a replayed request, as the engine saw it. */
export interface ClientAnswer {
  status: number;
  headers: Record<string, string>;
  /** parsed JSON for JSON answers, the raw text for streams */
  body: unknown;
  streamed: boolean;
}


/** What in a successful answer this product cannot use, beyond the contract: content types, [DONE], embeddings encoding. */
export function checkClientAnswer(profile: ClientProfile, request: ClientRequest, answer: ClientAnswer): string[] {
  if (answer.status < 200 || answer.status > 299) return [];
  const who = profile.title;
  const problems: string[] = [];
  const contentType = headerValue(answer.headers, 'content-type') ?? '';
  if (request.stream) {
    const wanted = profile.needs.stream_content_type;
    if (wanted !== 'any' && !contentType.includes(wanted)) problems.push(`${who} reads a stream only with Content-Type ${wanted}; got ${contentType || 'none'}`);
    if (profile.needs.done_sentinel && typeof answer.body === 'string' && !/^data: ?\[DONE\]\s*$/m.test(answer.body)) problems.push(`${who} needs the stream to end with data: [DONE]`);
    return problems;
  }
  if (request.method === 'POST' && request.route !== 'speech' && !contentType.includes(profile.needs.json_content_type)) {
    problems.push(`${who} parses the answer only as ${profile.needs.json_content_type}; got ${contentType || 'none'}`);
  }
  if (request.route === 'embeddings' && isRecord(answer.body) && Array.isArray(answer.body.data)) {
    const asked = (request.json?.encoding_format as string | undefined) ?? 'float';
    for (const item of answer.body.data) {
      const embedding = isRecord(item) ? item.embedding : undefined;
      if (asked === 'base64' && typeof embedding !== 'string') {
        problems.push(`${who} asked for base64 embeddings and got ${Array.isArray(embedding) ? 'float arrays' : 'no string'}: it decodes them into wrong vectors without an error`);
        break;
      }
      if (asked === 'float' && !Array.isArray(embedding)) {
        problems.push(`${who} ${request.json?.encoding_format ? 'asked for float' : 'sends no encoding_format and'} reads data[].embedding as numbers; got ${typeof embedding === 'string' ? 'base64 strings' : 'something else'}`);
        break;
      }
    }
  }
  return problems;
}
