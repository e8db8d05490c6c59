// Vendor mode: checks traffic recorded from a real product against its runbook (and notes where it
// differs from its client profile). A vendor certifies the product, not the tenant.
import type { Contract, Runbook, RouteSpec } from '../model.ts';
import { contractValidator } from '../checks/contract-validator.ts';
import type { ClientProfile } from './profile.ts';
import type { TrafficLine } from './traffic.ts';
import { contractPathFor, tenantRelativePath } from './url.ts';
import { headerValue } from '../http/headers.ts';

export interface TrafficProblem {
  /** TrafficLine.where: a line number, or a HAR entry */
  where: string;
  message: string;
}

export interface TrafficVerdict {
  requests: number;
  problems: TrafficProblem[];
  /** differences from the client profile: the profile may be stale, the product is the truth */
  notes: TrafficProblem[];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The component schema name of an operation's request body and its media type, from the OpenAPI document. */
export function requestSchemaFor(contract: Contract, operationId: string): { schema: string; mediaType: string } | undefined {
  for (const item of Object.values((contract.openapi.paths ?? {}) as Record<string, Json>)) {
    for (const op of Object.values(item)) {
      if (!isRecord(op) || op.operationId !== operationId) continue;
      const content = (isRecord(op.requestBody) ? op.requestBody.content : undefined) as Record<string, Json> | undefined;
      for (const [mediaType, media] of Object.entries(content ?? {})) {
        const ref = isRecord(media.schema) ? media.schema.$ref : undefined;
        if (typeof ref === 'string') return { schema: ref.split('/').pop()!, mediaType };
      }
    }
  }
  return undefined;
}


/** The recorded body as the object its request schema describes: JSON as is, multipart parts by name. */
function bodyValue(body: TrafficLine['entry']['body']): unknown {
  if (!body) return undefined;
  if (body.kind === 'json') return body.json;
  if (body.kind === 'multipart') return Object.fromEntries((body.parts ?? []).map((p) => [p.name, p.value ?? (p.filename !== undefined ? `<file ${p.filename}>` : '')]));
  return undefined;
}

/** Why the runbook does not let this product call the route; undefined when it does. */
function routeNotAllowed(runbook: Runbook, route: RouteSpec): string | undefined {
  const row = runbook.routes.find((r) => r.route === route.id);
  if (row) return row.verdict === 'not_supported' ? `the runbook marks ${route.id} not_supported: ${row.integration}` : undefined;
  // R7 is in no runbook's table: it is the bootstrap the GT extension routes build on.
  if (route.id === 'conversations' && runbook.routes.some((r) => r.verdict === 'gt_extension')) return undefined;
  return `the runbook does not list ${route.id} among the routes the product calls`;
}

function profileNotes(profile: ClientProfile, route: RouteSpec, body: unknown): string[] {
  const call = profile.routes[route.id];
  if (!call || !isRecord(body)) return [];
  const notes: string[] = [];
  if (route.id === 'chat' && body.stream === true && call.stream_options && body.stream_options === undefined) notes.push(`streamed chat without stream_options; profile ${profile.id} sends ${JSON.stringify(call.stream_options)}`);
  if (route.id === 'chat' && body.stream === true && call.stream_options === null && body.stream_options !== undefined) notes.push(`streamed chat with stream_options; profile ${profile.id} sends none`);
  if (route.id === 'embeddings' && call.encoding_format) {
    const sent = typeof body.encoding_format === 'string' ? body.encoding_format : 'absent';
    if (sent !== call.encoding_format) notes.push(`embeddings with encoding_format ${sent}; profile ${profile.id} sends ${call.encoding_format}`);
  }
  return notes;
}

export function verifyTraffic(traffic: TrafficLine[], runbook: Runbook, contract: Contract, profile?: ClientProfile): TrafficVerdict {
  const validator = contractValidator();
  const problems: TrafficProblem[] = [];
  const notes: TrafficProblem[] = [];
  for (const { where, entry } of traffic) {
    const what = `${entry.method} ${entry.path.split('?')[0]}`;
    const add = (message: string) => problems.push({ where, message: `${what}: ${message}` });

    const auth = headerValue(entry.headers, 'authorization');
    if (!auth || !/^Bearer\s+\S+/i.test(auth)) add('no bearer Authorization header (every GT route needs Authorization: Bearer gtak_...)');

    const route = contractPathFor(entry.path.split('?')[0], contract);
    if (!route) {
      const rel = tenantRelativePath(entry.path.split('?')[0], contract);
      const hint = rel !== undefined && contractPathFor(`${contract.basePath}/v1${rel}`, contract) ? `; with /v1 it would be ${contract.basePath}/v1${rel}: the product's base URL must end in ${contract.basePath}/v1` : '';
      add(`not a GT route${hint}`);
      continue;
    }
    if (route.method !== entry.method.toUpperCase()) {
      add(`${route.id} is ${route.method}, not ${entry.method}`);
      continue;
    }
    const refused = routeNotAllowed(runbook, route);
    if (refused) add(refused);

    if (route.needs.header && !headerValue(entry.headers, route.needs.header)) add(`${route.id} needs the ${route.needs.header} header (${route.number})`);

    const schema = requestSchemaFor(contract, route.operation_id);
    const body = bodyValue(entry.body);
    if (schema && body !== undefined) {
      for (const p of validator.validateBody(schema.schema, body)) add(`request body: ${p}`);
    }
    if (profile) for (const n of profileNotes(profile, route, body)) notes.push({ where, message: `${what}: ${n}` });
  }
  return { requests: traffic.length, problems, notes };
}
