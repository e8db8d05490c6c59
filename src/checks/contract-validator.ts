// Validates tenant answers against the schemas of the OpenAPI contract (fixtures/contract/openapi.yaml).
// Each component schema is compiled once, on first use, and its errors are turned into one-line
// messages such as `data[0].object: must be equal to constant "model"`.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { loadContract } from '../contract/load.ts';
import { requestBodyOf } from '../contract/request-schema.ts';
import { builtValidators, COMPONENT_REF, componentDefs, contractAjv, DEFS_REF, validatorIn, type Ajv } from './contract-ajv.ts';

/** What the contract says about one status of one operation. */
export interface OperationResponse {
  /** the status (or range, or default) key the answer matched */
  documentedAs: string;
  /** the component schema of the JSON body, when the answer has one */
  schema?: string;
  mediaTypes: string[];
  /** response headers the contract marks required */
  requiredHeaders: string[];
}

export interface ContractValidator {
  /** Problems of `body` against components.schemas[schemaName]; empty when valid. */
  validateBody(schemaName: string, body: unknown): string[];
  /** Problems of an error body against the Error schema. */
  validateError(body: unknown): string[];
  /** The component schema of a JSON answer with this status, or undefined (undocumented, or not JSON). */
  schemaForOperation(operationId: string, status: number): string | undefined;
  /** Everything the contract says about this answer, or undefined when the status is not documented. */
  responseFor(operationId: string, status: number): OperationResponse | undefined;
  schemaNames(): string[];
  /**
   * Compiles now what these operations' requests and answers are validated with (ajv compiles on first use): a run
   * does it while it waits anyway, so that its first requests are not held up by it.
   */
  compileFor(operationIds: Iterable<string>): void;
  /** the component schemas compiled so far */
  compiledSchemas(): string[];
}

type Json = Record<string, unknown>;

/**
 * The validator of `openapi` (the shipped contract when not given). `useBuild`: take the validators `npm run build`
 * wrote as code for the shipped contract as it is now (src/checks/contract-ajv.ts), where there are any; the default
 * for the shipped contract. The same validators either way; compiling them costs about 0.1 s of each process's start.
 */
export function createContractValidator(given?: Record<string, unknown>, { useBuild = given === undefined } = {}): ContractValidator {
  const shipped = given === undefined ? loadContract() : undefined;
  const openapi = given ?? shipped!.openapi;
  const components = (openapi.components ?? {}) as Json;
  const schemas = (components.schemas ?? {}) as Record<string, unknown>;
  const defs = componentDefs(schemas);
  const built = useBuild && shipped ? builtValidators(shipped.digest) : undefined;
  let every: Ajv | undefined; // made on the first schema the build did not compile
  let firstOnly: Ajv | undefined; // made for the first long body only

  const compiled = new Map<string, ValidateFunction>();
  const compiledFirstOnly = new Map<string, ValidateFunction>();
  function compileIn(ajv: () => Ajv, cache: Map<string, ValidateFunction>, name: string, fromBuild?: Record<string, ValidateFunction>): ValidateFunction {
    let fn = cache.get(name);
    if (!fn) {
      if (!Object.hasOwn(schemas, name)) throw new Error(`contract has no schema "${name}" in components.schemas`);
      fn = (fromBuild && Object.hasOwn(fromBuild, name) ? fromBuild[name] : undefined) ?? validatorIn(ajv(), name);
      cache.set(name, fn);
    }
    return fn;
  }
  const validatorOf = (name: string) => compileIn(() => (every ??= contractAjv(defs, true)), compiled, name, built);

  function validateBody(schemaName: string, body: unknown): string[] {
    const fn = validatorOf(schemaName);
    if (!hasLongArray(body)) return fn(body) ? [] : describeErrors(fn.errors ?? [], defs);
    // The body is judged whole by a validator that stops at its first error, and described from its arrays' first items.
    const described = fn(firstItems(body)) ? undefined : describeErrors(fn.errors ?? [], defs);
    const whole = compileIn(() => (firstOnly ??= contractAjv(defs, false)), compiledFirstOnly, schemaName);
    if (whole(body)) return [];
    return [...(described ?? describeErrors(whole.errors ?? [], defs)), `(an array of the body has more than ${DESCRIBED_ITEMS} items: the problems above are its first ones)`];
  }

  function operation(operationId: string): Json {
    for (const item of Object.values((openapi.paths ?? {}) as Record<string, Json>)) {
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters') continue;
        if ((op as Json)?.operationId === operationId) return op as Json;
      }
    }
    throw new Error(`contract has no operation "${operationId}"`);
  }

  function responseFor(operationId: string, status: number): OperationResponse | undefined {
    const responses = (operation(operationId).responses ?? {}) as Record<string, unknown>;
    const keys = [String(status), `${Math.floor(status / 100)}XX`];
    if (status >= 400) keys.push('default');
    const key = keys.find((k) => Object.hasOwn(responses, k));
    if (!key) return undefined;
    const response = deref(openapi, responses[key]) as Json;
    const content = (response.content ?? {}) as Record<string, Json>;
    const json = content['application/json'];
    const ref = (json?.schema as Json | undefined)?.$ref;
    const headers = Object.entries((response.headers ?? {}) as Record<string, unknown>)
      .filter(([, h]) => (deref(openapi, h) as Json).required === true)
      .map(([name]) => name);
    return {
      documentedAs: key,
      schema: typeof ref === 'string' && ref.startsWith(COMPONENT_REF) ? ref.slice(COMPONENT_REF.length) : undefined,
      mediaTypes: Object.keys(content),
      requiredHeaders: headers,
    };
  }

  return {
    validateBody,
    validateError: (body) => validateBody('Error', body),
    schemaForOperation: (operationId, status) => responseFor(operationId, status)?.schema,
    responseFor,
    schemaNames: () => Object.keys(schemas),
    compiledSchemas: () => [...compiled.keys()],
    compileFor(operationIds) {
      validatorOf('Error');
      for (const id of new Set(operationIds)) {
        const request = requestBodyOf(openapi, id)?.schemaName;
        if (request) validatorOf(request);
        for (const key of Object.keys((operation(id).responses ?? {}) as Json)) {
          const status = /^\d{3}$/.test(key) ? Number(key) : /^\dXX$/.test(key) ? Number(key[0]) * 100 : 500;
          const schema = responseFor(id, status)?.schema;
          if (schema) validatorOf(schema);
        }
      }
    },
  };
}

/**
 * Arrays longer than this are judged whole but described from their first items. ajv with allErrors joins
 * the error lists at every $ref, quadratic in the errors: a model list of 20,000 wrong items took 4 s, one
 * of 1 MiB (half a million) hours, in a loop no timer can end. An embedding (3,072 numbers at most) is not long.
 */
export const DESCRIBED_ITEMS = 4096;
/** Deeper than this, a body is not searched for long arrays (no contract schema reaches that deep). */
const SEARCH_DEPTH = 64;

function hasLongArray(value: unknown, depth = 0): boolean {
  if (!value || typeof value !== 'object' || depth > SEARCH_DEPTH) return false;
  if (Array.isArray(value)) return value.length > DESCRIBED_ITEMS || value.some((v) => hasLongArray(v, depth + 1));
  return Object.values(value).some((v) => hasLongArray(v, depth + 1));
}

/** A copy with every array cut to its first DESCRIBED_ITEMS items (the error paths stay those of the body). */
function firstItems(value: unknown, depth = 0): unknown {
  if (!value || typeof value !== 'object' || depth > SEARCH_DEPTH) return value;
  if (Array.isArray(value)) return value.slice(0, DESCRIBED_ITEMS).map((v) => firstItems(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, firstItems(v, depth + 1)]));
}

let shared: ContractValidator | undefined;

/** The validator of the project's own contract, built once per process. */
export function contractValidator(): ContractValidator {
  shared ??= createContractValidator();
  return shared;
}

/** `/data/0/object` → `data[0].object`; the root is `(body)`. */
export function jsonPathOf(instancePath: string): string {
  if (instancePath === '') return '(body)';
  let out = '';
  for (const raw of instancePath.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

const isCombinator = (e: ErrorObject) => e.keyword === 'anyOf' || e.keyword === 'oneOf';

/**
 * The most problems one body is described by. A tenant's answer of 1 MiB can hold half a million wrong items,
 * each an error: all of them made the description quadratic (minutes of CPU for 50,000, no timer can end
 * it) and a report line per item. The first ones say what is wrong; a last line says how many more there are.
 */
export const MAX_BODY_PROBLEMS = 20;
/** The most reasons one "matches none of the allowed shapes" gives, for the same reason. */
const MAX_ALTERNATIVE_REASONS = 8;

function describeErrors(errors: ErrorObject[], defs: Record<string, unknown>): string[] {
  // Errors under a failed anyOf/oneOf are summarised by that combinator's message.
  const inside = new Map<ErrorObject, ErrorObject[]>();
  const reachableOf = new Map<unknown, Set<string>>(); // every item of an array fails the same combinator schema
  errors.forEach((error, at) => {
    if (!isCombinator(error)) return;
    let reached = reachableOf.get(error.schema);
    if (!reached) reachableOf.set(error.schema, (reached = reachable(error.schema, defs)));
    inside.set(error, alternativesErrors(errors, at, reached));
  });
  const summarised = new Set([...inside.values()].flat());
  const messages = new Set<string>();
  let undescribed = 0;
  for (const error of errors) {
    if (summarised.has(error)) continue;
    if (messages.size === MAX_BODY_PROBLEMS) {
      undescribed++;
      continue;
    }
    let text: string;
    if (isCombinator(error)) {
      text = describeAlternatives(error, inside.get(error) ?? []);
    } else if (error.keyword === 'const') {
      text = `must be equal to constant ${JSON.stringify(error.params.allowedValue)}`;
    } else if (error.keyword === 'type') {
      text = `must be ${String(error.params.type).split(',').join(' or ')}`;
    } else if (error.keyword === 'enum') {
      text = `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    } else {
      text = error.message ?? error.keyword;
    }
    messages.add(`${jsonPathOf(error.instancePath)}: ${text}`);
  }
  return undescribed ? [...messages, `… and ${undescribed} more schema errors in the same body`] : [...messages];
}

/**
 * The errors of the alternatives of the failed combinator errors[at]. ajv (allErrors) writes them just before
 * the combinator's own error, about its value or a value inside it, each with a parent schema (the schema
 * object that holds the failed keyword) inside an alternative or in a schema an alternative reaches through
 * its $refs. Their schema paths do not tell: inside a $ref'd schema they are that schema's own (#/type…).
 */
function alternativesErrors(errors: ErrorObject[], at: number, reached: Set<string>): ErrorObject[] {
  const combinator = errors[at];
  const inner: ErrorObject[] = [];
  for (let i = at - 1; i >= 0; i--) {
    const e = errors[i];
    const aboutValue = e.instancePath === combinator.instancePath || e.instancePath.startsWith(`${combinator.instancePath}/`);
    if (!aboutValue || !reached.has(shapeOf(e.parentSchema))) break;
    inner.push(e);
  }
  return inner.reverse();
}

/**
 * Every schema object in `schema`, following the component $refs (#/$defs/<name>) into `defs`, by shape: the
 * build's validators (contract-ajv.ts) hold copies of the schemas, so an error's parent schema is not one of `defs`' objects.
 */
function reachable(schema: unknown, defs: Record<string, unknown>): Set<string> {
  const seen = new Set<unknown>();
  const shapes = new Set<string>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    shapes.add(shapeOf(node));
    const ref = (node as Json).$ref;
    if (typeof ref === 'string' && ref.startsWith(DEFS_REF)) visit(defs[ref.slice(DEFS_REF.length)]);
    for (const value of Object.values(node)) visit(value);
  };
  visit(schema);
  return shapes;
}

const shapeCache = new WeakMap<object, string>();
/** A schema object as text, the same for a copy of it (a schema holds no cycles: its $refs are strings). */
function shapeOf(schema: unknown): string {
  if (!schema || typeof schema !== 'object') return JSON.stringify(schema) ?? 'undefined';
  let shape = shapeCache.get(schema);
  if (shape === undefined) shapeCache.set(schema, (shape = JSON.stringify(schema)));
  return shape;
}

function describeAlternatives(error: ErrorObject, inner: ErrorObject[]): string {
  if (error.keyword === 'oneOf' && Array.isArray(error.params.passingSchemas)) {
    return 'must match exactly one of the allowed shapes, matches several';
  }
  const sameSpot = inner.filter((e) => e.instancePath === error.instancePath);
  if (sameSpot.length === inner.length && inner.length > 0 && inner.every((e) => e.keyword === 'type')) {
    const types = [...new Set(inner.flatMap((e) => String(e.params.type).split(',')))];
    return `must be ${types.join(' or ')}`;
  }
  if (sameSpot.length === inner.length && inner.length > 0 && inner.every((e) => e.keyword === 'required')) {
    const names = [...new Set(inner.map((e) => `'${String(e.params.missingProperty)}'`))];
    return `must have one of the properties ${names.join(', ')}`;
  }
  const reasons = [...new Set(inner.map((e) => `${jsonPathOf(e.instancePath)} ${e.message ?? e.keyword}`))];
  const shown = reasons.length > MAX_ALTERNATIVE_REASONS ? [...reasons.slice(0, MAX_ALTERNATIVE_REASONS), `… ${reasons.length - MAX_ALTERNATIVE_REASONS} more`] : reasons;
  return `matches none of the allowed shapes (${shown.join('; ')})`;
}

function deref(doc: Json, value: unknown): unknown {
  let current = value as Json;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 10; hops++) {
    const ref = current.$ref as string;
    if (!ref.startsWith('#/')) throw new Error(`contract: unsupported $ref "${ref}"`);
    let target: unknown = doc;
    for (const part of ref.slice(2).split('/')) target = (target as Json | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (target === undefined) throw new Error(`contract: $ref "${ref}" points nowhere`);
    current = target as Json;
  }
  return current;
}
