// verify-client --suggest-runbook: what recorded traffic shows about a product, written in the harness's own
// formats, and where the product's runbook disagrees with it.
// - suggested route verdicts: the product's runbook with its route table rewritten to the routes the traffic
//   reached (each row commented with the bodies and headers seen);
// - an observed client profile (fixtures/clients/profile.schema.json), built from the traffic over the
//   product's shipped profile where there is one (what traffic cannot show, such as the 429 rule, is kept
//   from it or marked as not observed);
// - disagreements: a route the runbook calls not_supported that the product called, a native route it never
//   called, and a documented base URL that does not end where the contract's routes start.
import path from 'node:path';
import { yaml } from '../input/lazy-libraries.ts';
import type { Contract, LoadedRunbook, RouteRow, RouteSpec, Verdict } from '../model.ts';
import type { ClientProfile, RouteCall } from './profile.ts';
import { locate, type TrafficLine } from './traffic.ts';
import { contractPathFor, tenantRelativePath, urlPath } from './url.ts';
import { documentedCalls } from './findings.ts';
import { headerValue } from '../http/headers.ts';

type Json = Record<string, unknown>;

export interface ObservedRoute {
  route: RouteSpec;
  requests: TrafficLine[];
}

export interface Observed {
  /** by route id, in contract order */
  routes: Map<string, ObservedRoute>;
  /** requests under the tenant base path that reach no contract route (or with the wrong method) */
  offRoute: TrafficLine[];
}

export interface Disagreement {
  /** the runbook line the disagreement is about, when known */
  line?: number;
  message: string;
}

export interface Suggestion {
  /** the product's runbook with the suggested route table, as YAML; undefined when no request reached a GT route */
  runbookYaml?: string;
  profile?: ClientProfile;
  profileYaml?: string;
  disagreements: Disagreement[];
}

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const pathOf = (line: TrafficLine) => line.entry.path.split('?')[0];
const jsonBodies = (o: ObservedRoute): Json[] => o.requests.map((r) => (r.entry.body?.kind === 'json' && isRecord(r.entry.body.json) ? r.entry.body.json : undefined)).filter((b): b is Json => !!b);

/** The requests of the traffic grouped by the contract route they reach. */
export function observeRoutes(traffic: TrafficLine[], contract: Contract): Observed {
  const routes = new Map<string, ObservedRoute>();
  const offRoute: TrafficLine[] = [];
  for (const line of traffic) {
    const route = contractPathFor(pathOf(line), contract);
    if (!route || route.method !== line.entry.method.toUpperCase()) {
      offRoute.push(line);
      continue;
    }
    if (!routes.has(route.id)) routes.set(route.id, { route, requests: [] });
    routes.get(route.id)!.requests.push(line);
  }
  const ordered = new Map(contract.routes.filter((r) => routes.has(r.id)).map((r) => [r.id, routes.get(r.id)!]));
  return { routes: ordered, offRoute };
}

/** Headers every profile names on its own (or that transports add); the rest are the product's "others". */
const COMMON_HEADERS = new Set(['authorization', 'content-type', 'accept', 'user-agent', 'host', 'content-length', 'connection', 'accept-encoding', 'transfer-encoding', 'keep-alive']);

function mostCommon(values: Array<string | undefined>): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** A header name as profiles write it: Title-Case (X-GT-Conversation-Id keeps its GT). */
function headerName(name: string): string {
  return name.split('-').map((w) => (w.toLowerCase() === 'gt' ? 'GT' : w.charAt(0).toUpperCase() + w.slice(1))).join('-');
}

/** `/v1/files/{id}` and `/v1/files/{file_id}` are the same template. */
const template = (path: string) => path.replace(/\{[^}]*\}/g, '{}');

/** What the product appends to its base URL for a route: the shipped profile's path when it is one for the route, else the contract path after /v1. */
function appendedPath(route: RouteSpec, shipped: RouteCall | undefined): string {
  if (shipped && [shipped.path, `/v1${shipped.path}`].some((p) => template(p) === template(route.path))) return shipped.path;
  return route.path.replace(/^\/v1(?=\/)/, '');
}

/** The route call the traffic shows, over the shipped profile's call for the route. */
function observedCall(o: ObservedRoute, shipped: RouteCall | undefined, file: string): RouteCall {
  const { route, requests } = o;
  const kinds = new Set(requests.map((r) => r.entry.body?.kind));
  const content: RouteCall['content'] = kinds.has('multipart') ? 'multipart' : kinds.has('json') ? 'json' : route.content_type === 'none' ? 'none' : route.content_type;
  const call: RouteCall = {
    via: `observed in ${file} (${requests.length} request${requests.length === 1 ? '' : 's'})`,
    method: route.method,
    path: appendedPath(route, shipped),
    content,
    ...(shipped?.trailing_slash ? { trailing_slash: shipped.trailing_slash } : {}),
  };
  const bodies = jsonBodies(o);
  if (content === 'json' && bodies.length) call.json_fields = [...new Set(bodies.flatMap((b) => Object.keys(b)))];
  if (content === 'multipart') {
    const names = [...new Set(requests.flatMap((r) => (r.entry.body?.parts ?? []).map((p) => p.name)))];
    call.multipart_fields = names.length ? names : (shipped?.multipart_fields ?? ['file']);
  }
  const routeHeaders = [...(route.optional_headers ?? []), ...(route.needs.header ? [route.needs.header] : [])].filter((h) => requests.some((r) => headerValue(r.entry.headers, h) !== undefined));
  if (routeHeaders.length) call.headers = [...new Set(routeHeaders)];
  if (route.id === 'chat') Object.assign(call, chatCall(bodies, shipped));
  if (route.id === 'embeddings') Object.assign(call, embeddingsCall(bodies, shipped));
  return call;
}

function chatCall(bodies: Json[], shipped: RouteCall | undefined): Partial<RouteCall> {
  const streamed = bodies.filter((b) => b.stream === true);
  const plain = bodies.filter((b) => b.stream !== true);
  const tokenField = bodies.some((b) => b.max_completion_tokens !== undefined) ? 'max_completion_tokens' : 'max_tokens';
  const tokenValues = new Set(bodies.map((b) => b[tokenField]));
  const onlyValue = tokenValues.size === 1 ? [...tokenValues][0] : undefined;
  const options = streamed.map((b) => b.stream_options).find(isRecord);
  return {
    stream: { default: streamed.length > plain.length, sends_false: bodies.some((b) => b.stream === false) },
    stream_options: streamed.length ? (options ?? null) : (shipped?.stream_options ?? null),
    user: bodies.some((b) => b.user !== undefined),
    max_tokens: { field: tokenField, default: typeof onlyValue === 'number' && Number.isInteger(onlyValue) && onlyValue >= 1 ? onlyValue : null },
    tools: bodies.some((b) => b.tools !== undefined) ? 'when_configured' : (shipped?.tools ?? 'never'),
  };
}

function embeddingsCall(bodies: Json[], shipped: RouteCall | undefined): Partial<RouteCall> {
  const inputs = new Set(bodies.map((b) => (Array.isArray(b.input) ? 'array' : typeof b.input === 'string' ? 'string' : 'other')));
  const formats = new Set(bodies.map((b) => (b.encoding_format === 'base64' || b.encoding_format === 'float' ? b.encoding_format : 'absent')));
  return {
    input: inputs.size === 1 && !inputs.has('other') ? ([...inputs][0] as 'array' | 'string') : (shipped?.input ?? 'as_given'),
    encoding_format: formats.size === 1 ? ([...formats][0] as 'absent' | 'base64' | 'float') : (shipped?.encoding_format ?? 'absent'),
  };
}

const NOT_OBSERVED = 'not observed in traffic: fill in from the product source';

/** A client profile of what the traffic shows, valid against profile.schema.json; fields traffic cannot show come from `shipped` or say so. */
export function observedProfile(loaded: LoadedRunbook, observed: Observed, traffic: TrafficLine[], trafficFile: string, contract: Contract, shipped?: ClientProfile): ClientProfile {
  const { runbook } = loaded;
  const file = path.basename(trafficFile);
  const headersOf = (name: string) => traffic.map((t) => headerValue(t.entry.headers, name));
  // route headers (X-GT-Conversation-Id) go on their routes, not among the product's own headers
  const routeHeaders = new Set(contract.routes.flatMap((r) => [...(r.optional_headers ?? []), ...(r.needs.header ? [r.needs.header] : [])]).map((h) => h.toLowerCase()));
  const others = [...new Set(traffic.flatMap((t) => Object.keys(t.entry.headers)))].filter((h) => !COMMON_HEADERS.has(h) && !routeHeaders.has(h)).map(headerName);
  const routes: ClientProfile['routes'] = {};
  for (const [id, o] of observed.routes) routes[id] = observedCall(o, shipped?.routes[id], file);
  const base = observedBase(observed, routes);
  const embeddings = routes.embeddings;
  const notCalled = Object.fromEntries(Object.entries(shipped?.not_called ?? {}).filter(([id]) => !routes[id]));
  const contentType = mostCommon(headersOf('content-type').filter((v) => v && /json/i.test(v)));
  const accept = mostCommon(headersOf('accept'));
  const userAgent = mostCommon(headersOf('user-agent'));
  return {
    id: `${runbook.id}-observed`,
    title: `${runbook.product} (observed)`,
    library: shipped?.library ?? { name: runbook.product, version: 'unknown (observed traffic)' },
    product_version: shipped ? `${shipped.product_version}; traffic in ${file}` : `the version that sent ${file}`,
    sources: [{ repo: 'observed traffic', files: [file], note: `${traffic.length} request${traffic.length === 1 ? '' : 's'} recorded against a GT tenant` }, ...(shipped?.sources ?? [])],
    driver: shipped?.driver ?? runbook.driver,
    url: {
      ...(shipped?.url.default_base ? { default_base: shipped.url.default_base } : {}),
      ...(shipped?.url.base_env ? { base_env: shipped.url.base_env } : {}),
      trailing_slash: shipped?.url.trailing_slash ?? 'strip',
      inserts_v1: false,
      ...(shipped?.url.field_routes ? { field_routes: shipped.url.field_routes } : {}),
      ...(base ? { note: `base URL path in the traffic: ${base}` } : {}),
    },
    headers: {
      authorization: 'bearer',
      ...(accept ? { accept } : {}),
      ...(contentType ? { content_type: contentType } : {}),
      ...(userAgent ? { user_agent: userAgent } : {}),
      ...(others.length ? { others } : {}),
    },
    routes,
    ...(Object.keys(notCalled).length ? { not_called: notCalled } : {}),
    ...(shipped?.validation && routes[shipped.validation.route] ? { validation: shipped.validation } : {}),
    needs: shipped?.needs ?? {
      json_content_type: 'application/json',
      stream_content_type: 'text/event-stream',
      done_sentinel: true,
      error_shape: '{error: {message, type, code}}',
      embeddings_encoding: embeddings?.encoding_format === 'base64' ? 'base64' : embeddings ? 'float' : 'none',
      note: `${NOT_OBSERVED} (these are the strictest choices)`,
    },
    retry: shipped?.retry ?? { retries: 0, statuses: [], on_429: 'never', headerless_429: 'stop', note: NOT_OBSERVED },
  };
}

/** The base URL path the traffic shows: the first request's path less what the product appends for its route. */
function observedBase(observed: Observed, calls: ClientProfile['routes']): string | undefined {
  const [first] = observed.routes.values();
  const call = first && calls[first.route.id];
  if (!call) return undefined;
  const segments = call.path.split('/').length - 1;
  return pathOf(first.requests[0]).split('/').slice(0, -segments).join('/') || '/';
}

function verdictFor(route: RouteSpec): Verdict {
  return route.kind === 'gt_extension' ? 'gt_extension' : 'native';
}

/** What the requests of a route carried, for the comment on its row. */
function describeRequests(o: ObservedRoute): string {
  const methods = `${o.route.method} ${pathOf(o.requests[0])}`;
  const bodies = jsonBodies(o);
  const fields = [...new Set(bodies.flatMap((b) => Object.keys(b)))];
  const parts = [...new Set(o.requests.flatMap((r) => (r.entry.body?.parts ?? []).map((p) => p.name)))];
  const streamed = bodies.filter((b) => b.stream === true).length;
  // the product's own headers are in the profile; a row names the route's headers (X-GT-Conversation-Id)
  const routeHeaders = [...(o.route.optional_headers ?? []), ...(o.route.needs.header ? [o.route.needs.header] : [])];
  const headers = routeHeaders.filter((h) => o.requests.some((r) => headerValue(r.entry.headers, h) !== undefined));
  return [
    `observed ${o.requests.length}× ${methods}`,
    fields.length ? `body fields ${fields.join(', ')}` : '',
    parts.length ? `multipart parts ${parts.join(', ')}` : '',
    streamed ? `${streamed} streamed` : '',
    headers.length ? `headers ${headers.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** The route table the traffic suggests, in the runbook's order, then routes only the traffic has: observed routes get the verdict of their kind, unobserved rows stay. */
export function suggestedRows(loaded: LoadedRunbook, observed: Observed): Array<{ row: RouteRow; comment: string }> {
  const existing = loaded.runbook.routes;
  const ids = [...existing.map((r) => r.route), ...[...observed.routes.keys()].filter((id) => !existing.some((r) => r.route === id))];
  return ids.map((id) => {
    const row = existing.find((r) => r.route === id);
    const seen = observed.routes.get(id);
    if (!seen) return { row: row!, comment: row!.verdict === 'not_supported' ? ' not seen in the traffic' : ' not seen in the traffic: keep it only if the product calls it elsewhere' };
    const kept = row && row.verdict !== 'not_supported';
    return {
      row: { route: id, verdict: verdictFor(seen.route), integration: kept ? row.integration : describeRequests(seen), ...(kept && row.requires_scope ? { requires_scope: row.requires_scope } : {}) },
      comment: ` ${describeRequests(seen)}${row?.verdict === 'not_supported' ? '; the runbook says not_supported' : row ? '' : '; not in the runbook'}`,
    };
  });
}

/** Where the runbook disagrees with what the product did; `file` names the traffic file in the messages. */
export function runbookDisagreements(loaded: LoadedRunbook, observed: Observed, profile: ClientProfile, contract: Contract, file: string): Disagreement[] {
  const where = (line: TrafficLine) => locate(file, line.where);
  const { runbook } = loaded;
  const out: Disagreement[] = [];
  runbook.routes.forEach((row, i) => {
    const seen = observed.routes.get(row.route);
    const line = loaded.lineOf(`routes[${i}].verdict`) ?? loaded.lineOf(`routes[${i}]`);
    if (row.verdict === 'not_supported' && seen) {
      out.push({ line, message: `${row.route} is not_supported, but the product called it ${seen.requests.length}× (first at ${where(seen.requests[0])}: ${seen.route.method} ${pathOf(seen.requests[0])})` });
    }
    if (row.verdict === 'native' && !seen) out.push({ line, message: `${row.route} is native, but the product never called it in this traffic` });
  });
  // A base URL the product was given that stops short of /v1: the requests reach no route, but would with /v1.
  const routesStart = `${contract.basePath}/v1`;
  const short = observed.offRoute.filter((t) => {
    const rel = tenantRelativePath(pathOf(t), contract);
    return rel !== undefined && contractPathFor(`${routesStart}${rel}`, contract) !== undefined;
  });
  if (short.length) {
    out.push({
      message: `the product's base URL ends in ${contract.basePath}, not where the contract's routes start (${routesStart}): it called ${short[0].entry.method} ${pathOf(short[0])} (${where(short[0])}${short.length > 1 ? ` and ${short.length - 1} more` : ''}), which is no GT route`,
    });
  }
  // The runbook's documented base URL, followed by what the product appends (as observed), must reach the route.
  const wrong = documentedCalls(runbook, profile, contract).filter((c) => c.reaches !== c.route && observed.routes.has(c.route));
  for (const fieldIndex of new Set(wrong.map((c) => c.field))) {
    const [first, ...likewise] = wrong.filter((c) => c.field === fieldIndex);
    const field = runbook.configuration[fieldIndex];
    const seen = observed.routes.get(first.route)!;
    out.push({
      line: loaded.lineOf(`configuration[${fieldIndex}].value`),
      message:
        `${field.name} is documented as ${field.value}, which ends in ${urlPath(field.value).replace(/\/+$/, '') || '/'}, not where the contract's routes start (${routesStart}): ` +
        `the product would call ${first.path} (${first.reaches ? `GT route ${first.reaches}` : 'no GT route'})${likewise.length ? `, likewise ${likewise.map((c) => c.path).join(', ')}` : ''}; in the traffic it called ${pathOf(seen.requests[0])}`,
    });
  }
  return out;
}

/** The runbook file's text with the suggested route table (comments on each row) and a header saying what it is. */
export function suggestedRunbookYaml(runbookText: string, rows: Array<{ row: RouteRow; comment: string }>, header: string[]): string {
  const doc = yaml().parseDocument(runbookText);
  const table = doc.createNode(rows.map((r) => r.row));
  table.items.forEach((item, i) => {
    (item as { commentBefore?: string }).commentBefore = rows[i].comment;
  });
  doc.set('routes', table);
  doc.commentBefore = [...(doc.commentBefore ? [doc.commentBefore] : []), ...header.map((h) => ` ${h}`)].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Everything --suggest-runbook writes and prints, from traffic that verify-client has read (`file`: the traffic file as given). */
export function suggestRunbook(loaded: LoadedRunbook, runbookText: string, traffic: TrafficLine[], file: string, contract: Contract, shipped?: ClientProfile): Suggestion {
  const observed = observeRoutes(traffic, contract);
  const profile = observedProfile(loaded, observed, traffic, file, contract, shipped);
  const disagreements = runbookDisagreements(loaded, observed, profile, contract, file);
  // a profile needs at least one route: with none reached there is nothing to suggest, only what is wrong
  if (observed.routes.size === 0) return { disagreements };
  const header = [
    `Suggested by gt-conformance verify-client from ${path.basename(file)} (${traffic.length} request${traffic.length === 1 ? '' : 's'}): the route table is what the traffic shows.`,
    `The client profile the traffic shows is ${profile.id}.yaml beside this file; to use it, copy it into fixtures/clients/ and name it in client_profile.`,
    ...disagreements.map((d) => `disagrees${d.line ? ` (line ${d.line} of ${loaded.file})` : ''}: ${d.message}`),
  ];
  const profileDoc = yaml().parseDocument('');
  profileDoc.contents = profileDoc.createNode(profile) as typeof profileDoc.contents;
  profileDoc.commentBefore = ` Observed by gt-conformance verify-client from ${path.basename(file)}; valid against fixtures/clients/profile.schema.json.`;
  return {
    runbookYaml: suggestedRunbookYaml(runbookText, suggestedRows(loaded, observed), header),
    profile,
    profileYaml: profileDoc.toString({ lineWidth: 0 }),
    disagreements,
  };
}
