// The kinds of case a route's request schema yields, each with a fast-check arbitrary of requests.
// Fields, types, enums, bounds and required-ness come from the contract's request schema; only what a
// schema cannot say is a named constant here. Every request starts from a background: the harness's
// known-good request for the route (src/contract/requests.ts) with its optional fields drawn afresh, so
// shrinking drops them and leaves the smallest request that still fails.
//
// A kind's arbitrary, and the known-good request it starts from, are built when first asked for: the command
// line counts each route's cases (casesPerRound) with these same rules, and it loads neither fast-check nor
// faker for that (about 0.1 s of CPU). Only the check worker, which draws the cases, builds the arbitraries.
import type { Arbitrary } from 'fast-check';
import { fastCheck as fc } from '../input/lazy-libraries.ts';
import { withSeededFaker } from '../contract/seeded-faker.ts';
import type { Contract, RouteSpec } from '../model.ts';
import { routeRequest, type RouteRequest } from '../contract/requests.ts';
import { requestBodyOf, requiredHeadersOf, resolveRef, successMediaTypes, type JsonSchema } from '../contract/request-schema.ts';
import { alternatives, exampleOf, fieldsOf, pathText, typeAllowed, typesOf, type FieldSpec, type JsonType } from './schema.ts';
import type { Expectation } from './judge.ts';

export interface CaseKind {
  /** e.g. `wrong-type:messages[0].role`, `unknown-enum:encoding_format`, `valid` */
  id: string;
  expect: Expectation;
  /** the statuses that refuse it (refused), or that may refuse it (robust) */
  statuses: readonly number[];
  /** built on first use */
  readonly arbitrary: Arbitrary<RouteRequest>;
  /** its share of the budget against the other kinds */
  weight: number;
}

/** What the target supplies: the names a request must carry to reach the route at all. */
export interface NegativeInputs {
  /** a model the key may use (routes whose needs say model) */
  model?: string;
  /** a dataset on the key's allowlist (routes with {id} in the path) */
  datasetId?: string;
  /** a conversation of the key's family (routes that require X-GT-Conversation-Id) */
  conversationId?: string;
  /** the run's id, in the names of what a valid case creates */
  runId?: string;
}

export interface KindOptions {
  inputs: NegativeInputs;
  /** seeds the route's known-good request */
  seed: number;
  /** the tenant's JSON body limit: with it, a case sends one byte more */
  bodyLimitBytes?: number;
  /** the tenant's multipart file limit: with it, a case uploads one byte more */
  uploadLimitBytes?: number;
}

// ---- what the schema cannot say ----

/** Longer than any embedding model's context (8k tokens), speech input (4096) or image prompt (4000), but
 * well under common 1 MiB body limits, so the tenant's handling of the field is tested, not its body limit. */
export const OVERSIZE_STRING_CHARS = 100_000;
/** The field that names the model a route is called with (routes.yaml: needs.model). */
export const MODEL_FIELD = 'model';
/** The OpenAI flag that turns a JSON answer into an event stream. */
export const STREAM_FIELD = 'stream';
/** Free text the tenant passes through without interpreting it (OpenAI's end-user id). */
export const OPAQUE_TEXT_FIELDS: readonly string[] = ['user'];
/** The extra field that carries a body past the tenant's limit. */
export const PADDING_FIELD = 'gt_padding';
/** Refusal statuses (GT-API.md, "Errors"): a bad request is 400 or 422; 413 and 415 where HTTP names the cause. */
export const STATUSES = {
  invalid: [400, 422],
  tooLarge: [413, 400, 422],
  contentType: [415, 400, 422],
  robust: [400, 413, 422],
} as const;
const UNKNOWN_ENUM_VALUE = 'gt-unknown-value';
const WORDS = ['alpha', 'brief', 'cedar', 'delta', 'ember', 'fjord', 'grove', 'harbor'];
/** One value of each JSON type; a field gets one case kind per type it does not allow. */
const WRONG_VALUES: ReadonlyArray<[JsonType, unknown]> = [['integer', 42], ['number', 1.5], ['string', 'wrong-type'], ['boolean', true], ['object', {}], ['array', []], ['null', null]];
const VALID_WEIGHT = 2;

const REMOVE = Symbol('remove');
type Body = Record<string, unknown>;

let phraseArbitrary: Arbitrary<string> | undefined;
const phrase = () => (phraseArbitrary ??= fc().array(fc().constantFrom(...WORDS), { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')));

/** What builds an arbitrary: called only when cases are drawn (a kind keeps what it built: KindBuilder.add). */
type Later<T> = () => Arbitrary<T>;

class KindBuilder {
  readonly openapi: JsonSchema;
  readonly kinds: CaseKind[] = [];
  private knownGood?: RouteRequest;
  readonly streams: boolean;
  readonly answersJson: boolean;

  constructor(
    contract: Contract,
    readonly route: RouteSpec,
    readonly fields: FieldSpec[],
    readonly options: KindOptions,
  ) {
    this.openapi = contract.openapi;
    const media = successMediaTypes(this.openapi, route.operation_id);
    this.streams = media.includes('text/event-stream');
    this.answersJson = media.includes('application/json');
  }

  /** The route's known-good request (drawn with faker), with only the headers the operation requires. */
  get baseline(): RouteRequest {
    if (!this.knownGood) {
      const known = withSeededFaker(this.options.seed, (faker) => routeRequest(this.route, { faker, ...this.options.inputs }));
      // Only the headers the operation requires: an optional one (chat's X-GT-Conversation-Id) changes what is tested.
      const required = requiredHeadersOf(this.openapi, this.route.operation_id).map((h) => h.toLowerCase());
      const headers = Object.entries(known.headers ?? {}).filter(([h]) => required.includes(h.toLowerCase()));
      this.knownGood = { ...known, headers: headers.length ? Object.fromEntries(headers) : undefined };
    }
    return this.knownGood;
  }

  add(id: string, expect: Expectation, statuses: readonly number[], build: Later<RouteRequest>, weight = 1): void {
    let built: Arbitrary<RouteRequest> | undefined;
    this.kinds.push({
      id,
      expect,
      statuses,
      weight,
      get arbitrary() {
        return (built ??= build());
      },
    });
  }

  // ---- JSON bodies ----

  /** A value the tenant must accept for an optional top-level field, or undefined when the schema cannot bound one. */
  safeValue(field: FieldSpec): Later<unknown> | undefined {
    const { schema } = field;
    const types = typesOf(this.openapi, schema);
    if (!types) return undefined;
    const only = (t: JsonType) => [...types].every((x) => x === t || x === 'null');
    const orNull = (a: () => Arbitrary<unknown>): Later<unknown> => (types.has('null') ? () => fc().oneof(a(), fc().constant(null)) : a);
    if (Array.isArray(schema.enum)) {
      // A format choice is varied only where the contract can judge the answer it selects (JSON, not audio bytes).
      return this.answersJson && schema.enum.every((v) => typeof v === 'string') ? orNull(() => fc().constantFrom(...(schema.enum as string[]))) : undefined;
    }
    if (only('boolean')) return orNull(() => fc().boolean());
    if (only('integer') && schema.minimum !== undefined) {
      const min = Number(schema.minimum);
      return orNull(() => fc().integer({ min, max: Math.min(Number(schema.maximum ?? Infinity), min + 3) }));
    }
    if (only('number') && schema.minimum !== undefined && schema.maximum !== undefined) {
      const [min, max] = [Number(schema.minimum), Number(schema.maximum)];
      return orNull(() => fc().integer({ min: 0, max: 4 }).map((i) => min + ((max - min) * i) / 4));
    }
    if (only('string') && OPAQUE_TEXT_FIELDS.includes(String(field.path[0]))) return () => phrase().map((p) => `gt-${p.replace(/ /g, '-')}`);
    return undefined;
  }

  /** Text for a required text field; a string or several where it also takes an array of strings ("several inputs"). */
  textOrTexts(field: FieldSpec): Arbitrary<unknown> | undefined {
    const branches = alternatives(this.openapi, field.schema);
    if (!branches.some((b) => b.type === 'string' && b.enum === undefined && b.const === undefined)) return undefined;
    const array = branches.find((b) => b.type === 'array' && resolveRef(this.openapi, b.items).type === 'string');
    return array ? fc().oneof(phrase(), fc().array(phrase(), { minLength: Math.max(1, Number(array.minItems ?? 0)), maxLength: 3 })) : phrase();
  }

  private backgroundArbitrary?: Arbitrary<Body>;

  /** The background body: required fields from the known-good request, optional ones drawn or left out. */
  background(): Arbitrary<Body> {
    // One arbitrary for every kind of the route: fast-check's arbitraries hold no state between draws.
    this.backgroundArbitrary ??= this.newBackground();
    return this.backgroundArbitrary;
  }

  private newBackground(): Arbitrary<Body> {
    const known = (this.baseline.json ?? {}) as Body;
    const parts: Record<string, Arbitrary<unknown>> = {};
    for (const field of this.fields.filter((f) => f.path.length === 1)) {
      const name = String(field.path[0]);
      if (field.required) {
        if (name === MODEL_FIELD && this.route.needs.model) parts[name] = fc().constant(known[name] ?? this.options.inputs.model);
        else parts[name] = this.textOrTexts(field) ?? fc().constant(known[name] ?? exampleOf(this.openapi, field.schema));
        continue;
      }
      const safe = this.safeValue(field);
      if (safe) parts[name] = fc().option(safe(), { nil: undefined });
      else if (known[name] !== undefined) parts[name] = fc().option(fc().constant(known[name]), { nil: undefined });
    }
    return fc().record(parts).map((body) => Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
  }

  jsonRequest(body: Body): RouteRequest {
    const request: RouteRequest = { method: this.baseline.method, path: this.baseline.path, json: body };
    if (this.baseline.headers) request.headers = { ...this.baseline.headers };
    if (this.streams && body[STREAM_FIELD] === true) request.stream = true;
    return request;
  }

  /** The body with `value` at the field's path, building the containers on the way from the schema. */
  withValueAt(body: Body, field: FieldSpec, value: unknown): Body {
    const root = structuredClone(body);
    let node = root as Record<string | number, unknown>;
    field.path.slice(0, -1).forEach((key, i) => {
      if (node[key] === null || typeof node[key] !== 'object') node[key] = exampleOf(this.openapi, field.containers[i]);
      node = node[key] as Record<string | number, unknown>;
      if (Array.isArray(node) && node.length === 0) node.push(exampleOf(this.openapi, field.containers[i + 1]));
    });
    const last = field.path[field.path.length - 1];
    if (value === REMOVE) delete node[last];
    else node[last] = value;
    return root;
  }

  /** A kind that puts `value` at the field's path; its id is `<what>:<path><suffix>`. */
  mutated(what: string, field: FieldSpec, value: unknown, { suffix = '', expect = 'refused' as Expectation, statuses = STATUSES.invalid as readonly number[] } = {}): void {
    this.add(`${what}:${pathText(field.path)}${suffix}`, expect, statuses, () => this.background().map((body) => this.jsonRequest(this.withValueAt(body, field, value))));
  }

  /** The JSON types the field does not allow, with a value of each: a number only once (42, or 1.5 where integers are allowed). */
  wrongValues(field: FieldSpec, types: Set<JsonType>): Array<[JsonType, unknown]> {
    const wrong = WRONG_VALUES.filter(([t]) => !typeAllowed(types, t) && (t !== 'null' || field.required));
    return wrong.some(([t]) => t === 'integer') ? wrong.filter(([t]) => t !== 'number') : wrong;
  }

  jsonKinds(): void {
    for (const field of this.fields) {
      const { schema } = field;
      const branches = alternatives(this.openapi, schema);
      const types = typesOf(this.openapi, schema);
      const isModel = field.path.length === 1 && field.path[0] === MODEL_FIELD;
      if (field.required) this.mutated('missing', field, REMOVE);
      if (types) for (const [type, value] of this.wrongValues(field, types)) this.mutated('wrong-type', field, value, { suffix: `=${type}` });
      const anyString = branches.some((b) => typesOf(this.openapi, b)?.has('string') && b.enum === undefined && b.const === undefined);
      const enumerated = branches.some((b) => Array.isArray(b.enum) || b.const !== undefined);
      if (enumerated && !anyString) this.mutated('unknown-enum', field, UNKNOWN_ENUM_VALUE);
      if (branches.some((b) => b.type === 'array' && Number(b.minItems ?? 0) >= 1) && !branches.some((b) => b.type === 'array' && !b.minItems)) {
        this.mutated('empty-array', field, []);
      }
      if (branches.some((b) => b.type === 'string' && Number(b.minLength ?? 0) >= 1) && !branches.some((b) => b.type === 'string' && !b.minLength)) {
        this.mutated('empty-string', field, '');
      }
      if (schema.minimum !== undefined) this.mutated('below-minimum', field, Number(schema.minimum) - 1);
      if (schema.maximum !== undefined) this.mutated('above-maximum', field, Number(schema.maximum) + 1);
      if (anyString && !isModel && schema.maxLength === undefined) {
        this.mutated('oversize', field, 'a'.repeat(OVERSIZE_STRING_CHARS), { expect: 'robust', statuses: STATUSES.robust });
      }
    }
    this.add('wrong-content-type', 'refused', STATUSES.contentType, () => this.background().map((body) => ({
      method: this.baseline.method,
      path: this.baseline.path,
      headers: { ...this.baseline.headers, 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: new URLSearchParams(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString(),
    })));
    const limit = this.options.bodyLimitBytes;
    if (limit !== undefined) {
      this.add('over-limit', 'refused', STATUSES.tooLarge, () => this.background().map((body) => this.jsonRequest({ ...body, [PADDING_FIELD]: 'a'.repeat(limit + 1) })));
    }
    this.validKinds();
  }

  /**
   * Valid requests: each optional field the schema bounds set once per round (each enum and boolean value
   * its own kind, so stream on and base64 are always sent), and `valid`, the fields in random combinations.
   */
  validKinds(): void {
    const valid = (id: string, bodies: Later<Body>, weight = 1) => this.add(id, 'success', [], () => bodies().map((body) => this.jsonRequest(body)), weight);
    let varies = false;
    for (const field of this.fields.filter((f) => f.path.length === 1 && !f.required)) {
      const safe = this.safeValue(field);
      if (!safe) continue;
      varies = true;
      const name = String(field.path[0]);
      const types = typesOf(this.openapi, field.schema);
      const values = Array.isArray(field.schema.enum) ? field.schema.enum : types && [...types].every((t) => t === 'boolean' || t === 'null') ? [true, false] : undefined;
      if (values) for (const value of values) valid(`valid:${name}=${String(value)}`, () => this.background().map((body) => ({ ...body, [name]: value })));
      else valid(`valid:${name}`, () => fc().tuple(this.background(), safe()).map(([body, value]) => ({ ...body, [name]: value })));
    }
    valid('valid', () => this.background(), varies ? VALID_WEIGHT : 1);
  }

  // ---- multipart bodies: every part is text or a file, so types cannot be wrong, only absent or unknown ----

  multipartKinds(): void {
    const known = () => this.baseline.multipart ?? { fields: {}, files: [] };
    const request = (fields: Record<string, string>, files = known().files): RouteRequest => ({
      method: this.baseline.method,
      path: this.baseline.path,
      ...(this.baseline.headers ? { headers: { ...this.baseline.headers } } : {}),
      multipart: { fields, files },
    });
    const without = (name: string) => Object.fromEntries(Object.entries(known().fields).filter(([k]) => k !== name));
    const constant = (make: () => RouteRequest): Later<RouteRequest> => () => fc().constant(make());
    for (const field of this.fields.filter((f) => f.path.length === 1)) {
      const name = String(field.path[0]);
      const { schema } = field;
      if (field.filePart) {
        if (field.required) this.add(`missing-file-part:${name}`, 'refused', STATUSES.invalid, constant(() => request(known().fields, known().files.filter((f) => f.field !== name))));
        continue;
      }
      if (field.required) this.add(`missing:${name}`, 'refused', STATUSES.invalid, constant(() => request(without(name))));
      if (Array.isArray(schema.enum)) this.add(`unknown-enum:${name}`, 'refused', STATUSES.invalid, constant(() => request({ ...known().fields, [name]: UNKNOWN_ENUM_VALUE })));
      else if (Number(schema.minLength ?? 0) >= 1) this.add(`empty-string:${name}`, 'refused', STATUSES.invalid, constant(() => request({ ...known().fields, [name]: '' })));
      if (!Array.isArray(schema.enum) && name !== MODEL_FIELD) {
        this.add(`oversize:${name}`, 'robust', STATUSES.robust, constant(() => request({ ...known().fields, [name]: 'a'.repeat(OVERSIZE_STRING_CHARS) })));
      }
    }
    this.add('wrong-content-type', 'refused', STATUSES.contentType, constant(() => ({ method: this.baseline.method, path: this.baseline.path, ...(this.baseline.headers ? { headers: { ...this.baseline.headers } } : {}), json: { ...known().fields } })));
    const limit = this.options.uploadLimitBytes;
    // The known-good request uploads a file for each file part the schema has: the first one goes one byte past the limit.
    if (limit !== undefined && this.fields.some((f) => f.filePart)) {
      this.add('over-limit', 'refused', STATUSES.tooLarge, constant(() => request(known().fields, known().files.map((f, i) => (i === 0 ? { ...f, bytes: new Uint8Array(limit + 1).fill(97) } : f)))));
    }
    this.add('valid', 'success', [], constant(() => request(known().fields)));
  }

  headerKinds(): void {
    for (const header of requiredHeadersOf(this.openapi, this.route.operation_id)) {
      const headers = () => Object.fromEntries(Object.entries(this.baseline.headers ?? {}).filter(([h]) => h.toLowerCase() !== header.toLowerCase()));
      this.add(`missing-header:${header}`, 'refused', STATUSES.invalid, () => fc().constant({ ...this.baseline, headers: headers() }));
    }
  }
}

/** Every kind of case the route's request schema yields; none for a route without a request body. */
export function caseKinds(contract: Contract, route: RouteSpec, options: KindOptions): CaseKind[] {
  const body = requestBodyOf(contract.openapi, route.operation_id);
  if (!body) return [];
  const builder = new KindBuilder(contract, route, fieldsOf(contract.openapi, body.schema), options);
  if (body.mediaType === 'multipart/form-data') builder.multipartKinds();
  else builder.jsonKinds();
  builder.headerKinds();
  return builder.kinds;
}
