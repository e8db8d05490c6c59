// What the OpenAPI document says about the request of one operation: its body's media type and schema,
// its required headers, whether it creates something. Read by the embedded tenant (to validate bodies)
// and by the negative generator (to derive its cases), so both follow the same document.

export type JsonSchema = Record<string, unknown>;

export interface RequestBodySpec {
  /** e.g. application/json, multipart/form-data */
  mediaType: string;
  /** the component schema the body refers to, when it is a $ref */
  schemaName?: string;
  /** the body schema with its top-level $ref followed */
  schema: JsonSchema;
}

const COMPONENT_REF = '#/components/schemas/';

function operation(openapi: JsonSchema, operationId: string): JsonSchema {
  for (const item of Object.values((openapi.paths ?? {}) as Record<string, JsonSchema>)) {
    for (const [method, op] of Object.entries(item)) {
      if (method !== 'parameters' && (op as JsonSchema)?.operationId === operationId) return op as JsonSchema;
    }
  }
  throw new Error(`contract has no operation "${operationId}"`);
}

/** Follows $refs into the document (components, parameters, ...) until a schema that is not a reference. */
export function resolveRef(openapi: JsonSchema, value: unknown): JsonSchema {
  let current = (value ?? {}) as JsonSchema;
  for (let hops = 0; typeof current.$ref === 'string'; hops++) {
    const ref = current.$ref as string;
    if (hops > 10 || !ref.startsWith('#/')) throw new Error(`contract: cannot follow $ref "${ref}"`);
    let target: unknown = openapi;
    for (const part of ref.slice(2).split('/')) target = (target as JsonSchema | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (target === undefined) throw new Error(`contract: $ref "${ref}" points nowhere`);
    current = target as JsonSchema;
  }
  return current;
}

/** The request body of an operation, or undefined when it takes none (GET routes). */
export function requestBodyOf(openapi: JsonSchema, operationId: string): RequestBodySpec | undefined {
  const body = operation(openapi, operationId).requestBody;
  if (!body) return undefined;
  const content = (resolveRef(openapi, body).content ?? {}) as Record<string, JsonSchema>;
  const [mediaType, media] = Object.entries(content)[0] ?? [];
  if (!mediaType) return undefined;
  const ref = (media?.schema as JsonSchema | undefined)?.$ref;
  return {
    mediaType,
    ...(typeof ref === 'string' && ref.startsWith(COMPONENT_REF) ? { schemaName: ref.slice(COMPONENT_REF.length) } : {}),
    schema: resolveRef(openapi, media?.schema),
  };
}

/** The header parameters the operation marks required (R9's X-GT-Conversation-Id). */
export function requiredHeadersOf(openapi: JsonSchema, operationId: string): string[] {
  const params = (operation(openapi, operationId).parameters ?? []) as unknown[];
  return params
    .map((p) => resolveRef(openapi, p))
    .filter((p) => p.in === 'header' && p.required === true)
    .map((p) => String(p.name));
}

/** The operation documents 201 Created: calling it successfully stores something (a conversation, a file). */
export function operationCreates(openapi: JsonSchema, operationId: string): boolean {
  return Object.hasOwn((operation(openapi, operationId).responses ?? {}) as JsonSchema, '201');
}

/** The media types the operation documents for a success status, e.g. ['application/json', 'text/event-stream']. */
export function successMediaTypes(openapi: JsonSchema, operationId: string): string[] {
  const responses = (operation(openapi, operationId).responses ?? {}) as JsonSchema;
  const ok = Object.keys(responses).find((status) => /^2\d\d$/.test(status));
  return ok ? Object.keys((resolveRef(openapi, responses[ok]).content ?? {}) as JsonSchema) : [];
}
