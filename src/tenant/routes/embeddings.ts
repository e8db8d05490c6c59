// R3 POST /v1/embeddings: one deterministic vector per input, as floats or base64 little-endian float32.
import type { RequestContext, RouteHandler } from '../context.ts';
import { errors, sendJson } from '../http.ts';
import { countTokens } from '../content/chat-reply.ts';
import { DEFAULT_DIMENSIONS, embeddingOf, float32Base64 } from '../content/embedding.ts';
import { readJson, type Unchecked } from './validate.ts';

const MAX_DIMENSIONS = 256;
/** About 8k tokens, the context of common embedding models; a longer input is refused, not truncated. */
const MAX_INPUT_CHARS = 32_768;
/** Past this the long-input-500 defect's tokenizer buffer overflows. */
const DEFECT_OVERFLOW_CHARS = 65_536;

const isTokens = (x: unknown) => Array.isArray(x) && x.length > 0 && x.every(Number.isInteger);

/** Token arrays (OpenAI's other input form) are accepted beyond the contract; defects skip a field's check. */
function unchecked(ctx: RequestContext, body: Record<string, unknown>): Unchecked {
  const skip: Unchecked = {};
  if (isTokens(body.input) || (Array.isArray(body.input) && body.input.length > 0 && body.input.every(isTokens))) skip.input = 'tokens';
  if (ctx.has('encoding-format-500')) skip.encoding_format = undefined;
  return skip;
}

/** The texts to embed: a string, an array of strings, or token arrays (embedded by their ids). */
function inputsOf(ctx: RequestContext, input: unknown): string[] {
  if (input === undefined || input === null) throw ctx.missingField('input');
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) throw ctx.badRequest('field "input" must be a string or a non-empty array');
  if (input.every((x) => typeof x === 'string')) return input as string[];
  if (input.every((x) => Number.isInteger(x))) return [`tokens:${input.join(',')}`];
  if (input.every(isTokens)) return input.map((x) => `tokens:${(x as number[]).join(',')}`);
  throw ctx.badRequest('field "input" must be a string, an array of strings, or token arrays');
}

function checkLength(ctx: RequestContext, inputs: string[]): void {
  const longest = Math.max(...inputs.map((t) => t.length));
  if (longest > DEFECT_OVERFLOW_CHARS && ctx.has('long-input-500')) throw errors.internal('internal server error: tokenizer buffer overflow');
  if (longest > MAX_INPUT_CHARS) throw ctx.badRequest(`an input is ${longest} characters long, more than the model's context of ${MAX_INPUT_CHARS}`, 'context_length_exceeded');
}

export const createEmbeddings: RouteHandler = async (ctx) => {
  const body = await readJson(ctx, (b) => unchecked(ctx, b));
  const model = ctx.requireString(body, 'model');
  const inputs = inputsOf(ctx, body.input);
  checkLength(ctx, inputs);
  const format = body.encoding_format ?? undefined;
  if (format !== undefined && format !== 'float' && format !== 'base64') {
    if (ctx.has('encoding-format-500')) throw errors.internal(`internal server error: no encoder for ${JSON.stringify(format)}`);
    throw ctx.badRequest('field "encoding_format" must be "float" or "base64"');
  }
  const dimensions = body.dimensions ?? DEFAULT_DIMENSIONS;
  if (!Number.isInteger(dimensions) || (dimensions as number) < 1 || (dimensions as number) > MAX_DIMENSIONS) {
    throw ctx.badRequest(`field "dimensions" must be an integer from 1 to ${MAX_DIMENSIONS}`);
  }
  ctx.requireModel(model);

  const base64 = format === 'base64' ? !ctx.has('base64-ignored') : format === undefined && ctx.has('float-default-base64');
  const data = inputs.map((text, index) => {
    const vector = embeddingOf(text, dimensions as number);
    return { object: 'embedding', index, embedding: base64 ? float32Base64(vector) : vector };
  });
  if (ctx.has('embeddings-out-of-order')) data.reverse();
  const tokens = inputs.reduce((n, t) => n + Math.max(1, countTokens(t)), 0);
  sendJson(ctx.res, 200, { object: 'list', model, data, usage: { prompt_tokens: tokens, total_tokens: tokens } });
};
