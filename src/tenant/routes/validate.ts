// Request bodies checked against the contract's request schema before a handler reads them, as a GT tenant
// validates its OpenAPI request bodies: a missing required field is a missing field (400, or the
// missing-field-500 defect), any other schema violation a bad request. Handlers then apply the tenant's own
// limits (dimensions, image sizes, speech formats) on top.
import type { MultipartForm, RequestContext } from '../context.ts';
import { errors } from '../http.ts';
import type { MultipartPart } from '../multipart.ts';
import { contractValidator } from '../../checks/contract-validator.ts';
import { requestBodyOf } from '../../contract/request-schema.ts';

/**
 * Fields validated with another value than the one sent: a defect that skips a field's check, or a form the
 * tenant accepts beyond the contract (token arrays as embeddings input). `undefined` leaves the field out.
 */
export type Unchecked = Record<string, unknown>;

/** Stands for a file part in the copy of a multipart form that is validated. */
const FILE_PART = '(file)';

function checkBody(ctx: RequestContext, body: Record<string, unknown>, unchecked: Unchecked): void {
  const spec = requestBodyOf(ctx.rt.contract.openapi, ctx.route.operation_id);
  if (!spec?.schemaName) return;
  const copy: Record<string, unknown> = { ...body };
  for (const [field, value] of Object.entries(unchecked)) {
    if (value === undefined) delete copy[field];
    else copy[field] = value;
  }
  for (const field of (spec.schema.required ?? []) as string[]) {
    if (Object.hasOwn(unchecked, field)) continue;
    if (copy[field] === undefined || copy[field] === null) throw ctx.missingField(field);
  }
  const problems = contractValidator().validateBody(spec.schemaName, copy);
  if (problems.length > 0) throw ctx.badRequest(`invalid request: ${problems.slice(0, 3).join('; ')}`, 'invalid_request');
}

/** The JSON body, valid against the route's request schema. */
export async function readJson(ctx: RequestContext, unchecked: (body: Record<string, unknown>) => Unchecked = () => ({})): Promise<Record<string, unknown>> {
  const body = await ctx.json();
  // The model-number-accepted defect: a legacy path maps a numeric model to the key's default model.
  if (ctx.has('model-number-accepted') && ctx.route.needs.model && typeof body.model === 'number') body.model = ctx.key.models[0] ?? String(body.model);
  checkBody(ctx, body, unchecked(body));
  return body;
}

/** The multipart form, its text fields and file parts valid against the route's request schema. */
export async function readForm(ctx: RequestContext): Promise<MultipartForm> {
  const form = await ctx.multipart();
  const unchecked: Unchecked = ctx.has('no-file-part-500') ? { file: FILE_PART } : {};
  const asBody: Record<string, unknown> = { ...form.fields };
  for (const name of Object.keys(form.files)) asBody[name] = FILE_PART;
  checkBody(ctx, asBody, unchecked);
  return form;
}

/** The multipart `file` part. With the no-file-part-500 defect its absence crashes the handler. */
export function filePart(ctx: RequestContext, form: MultipartForm): MultipartPart {
  if (!form.files.file && ctx.has('no-file-part-500')) throw errors.internal("internal server error: cannot read properties of undefined (reading 'data')");
  return ctx.requireFile(form);
}
