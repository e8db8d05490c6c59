// What every probe kind is given, and the helpers they share: the key a probe presents, the faker
// of its request content, the request of a route, and the one way a probe sends a request.
import { randomBytes } from 'node:crypto';
import type { Faker } from '@faker-js/faker';
import { seededFaker, withSeededFaker } from '../contract/seeded-faker.ts';
import type { Contract, Exchange, Probe, RouteSpec, SecretSource, Target, TargetKey } from '../model.ts';
import type { HttpAnswer, HttpClient, HttpRequest } from '../http/client.ts';
import { HttpError } from '../http/http-error.ts';
import { routeRequest, type RequestInputs, type RouteRequest } from '../contract/requests.ts';
import type { RequestCounter } from './budget.ts';
import { namesFor } from '../targets/capabilities.ts';
import type { ClientDriver } from '../drivers/driver.ts';
import type { RecordingFetch } from '../drivers/recording-fetch.ts';

/** What the probes of one run share. */
export interface ProbeEnvironment {
  contract: Contract;
  target: Target;
  secrets: SecretSource;
  http: HttpClient;
  seed: number;
  /** requests sent so far, and the most the run may send */
  counter: RequestCounter;
  pollDeadlineMs: number;
  /** names what the run creates on the tenant */
  runId?: string;
  /** makes an SDK driver whose traffic is recorded into `sink` */
  driver(id: string, key: string, sink: Exchange[], options?: { aiSdkProvider?: 'openai' | 'openai-compatible'; priority?: number }): Promise<ClientDriver>;
  /** a fetch for SDK code that records into `sink` and keeps to the run's concurrency, budget and size limits */
  recorder(sink: Exchange[], label: string, priority?: number): RecordingFetch;
}

/** One probe's view: the outputs of the probes it depends on, and where its evidence goes. */
export interface ProbeContext extends ProbeEnvironment {
  inputs: Record<string, unknown>;
  exchanges: Exchange[];
  /** the run's deadline, epoch ms */
  deadline: number;
  /** the length of the chain ahead of this probe: its requests go first among those waiting for a slot */
  priority: number;
}

/** What a probe found: no problem means it passed. */
export interface ProbeVerdict {
  problems: string[];
  summary?: string;
  output?: Record<string, unknown>;
  /** differences a --strict profile would flag (open points where the tenant chose another option) */
  strictNotes?: string[];
  /** no problem, but the tenant's answer could not show the point (why, and what would); the check is not exercised */
  notExercised?: string;
}

/** One kind of probe: the requests it sends and how it judges the answers. */
export interface ProbeKind {
  run(probe: Probe, ctx: ProbeContext): Promise<ProbeVerdict>;
  /** how many requests it sends, estimated before anything is sent */
  requests(probe: Probe): number;
  /** what it sends, in words, for `plan` ("uploads a small file, which "); empty when the route says it */
  describe: string;
  /** it waits for the tenant's processing (a poll): the longest wait of a chain, for the engine's order */
  waits?: boolean;
  /** at most this many of its requests are in flight at once (default 1): the engine's order counts its requests in rounds of that many */
  inFlight?: number;
}

export function routeOf(ctx: { contract: Contract }, id: string): RouteSpec {
  const route = ctx.contract.routes.find((r) => r.id === id);
  if (!route) throw new Error(`route ${id} is not in the contract`);
  return route;
}

export function keyOf(ctx: { target: Target }, name: string): TargetKey | undefined {
  return ctx.target.keys.find((k) => k.name === name);
}

/** A published name the key may use on the route: one that serves that route where the target says so. */
export function modelFor(ctx: { target: Target }, keyName: string, routeId: string): string | undefined {
  const key = keyOf(ctx, keyName);
  return key && namesFor(key, routeId)[0];
}

/** A name some key may use on the route: for probes whose key holds none (unauthorized, denied). */
export function anyModel(ctx: { target: Target }, routeId: string): string | undefined {
  for (const k of ctx.target.keys) {
    const name = k.modelsByRoute?.[routeId]?.[0];
    if (name) return name;
  }
  return ctx.target.keys.find((k) => k.models.length)?.models[0];
}

/** The seed of a probe's content: from the run seed and the probe id, so a probe sends the same content whatever the order. */
function contentSeed(ctx: { seed: number }, probeId: string): number {
  let h = ctx.seed >>> 0;
  for (const c of probeId) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/** A faker of the probe's own, for content it draws between requests. */
export function fakerFor(ctx: { seed: number }, probeId: string): Faker {
  return seededFaker(contentSeed(ctx, probeId));
}

const unknownSecret = `gtak_${randomBytes(18).toString('hex')}`;

/** The Authorization value a probe presents for a key name or a special key. */
export function bearerFor(ctx: { secrets: SecretSource }, key: string): string | undefined {
  if (key === '@none') return undefined;
  if (key === '@malformed') return 'not-a-gt-key';
  if (key === '@unknown') return unknownSecret;
  const secret = ctx.secrets.secretOf(key);
  if (secret === undefined) throw new Error(`no secret for key ${key} (set its secret_env variable)`);
  return secret;
}

export interface Sent {
  answer?: HttpAnswer;
  problem?: string;
}

/**
 * Sends one request with a key, recording the exchange as this probe's evidence. A transport failure
 * becomes a problem; a spent budget (or a stopped run) throws BudgetSpent from the client, so the probe is
 * not run rather than failed.
 */
export async function send(ctx: ProbeContext, key: string, request: RouteRequest, label: string): Promise<Sent> {
  const req: HttpRequest = { label, ...request, bearer: bearerFor(ctx, key), priority: ctx.priority };
  try {
    const answer = await ctx.http.send(req);
    ctx.exchanges.push(...answer.attempts);
    return { answer };
  } catch (err: unknown) {
    if (err instanceof HttpError) {
      if (err.exchange) ctx.exchanges.push(err.exchange);
      return { problem: err.message };
    }
    throw err;
  }
}

/** The probe's request of a route, filled from its key, the outputs of its prerequisites and `extra`. */
export function requestFor(ctx: ProbeContext, probe: Probe, routeId: string, extra: Partial<RequestInputs> = {}): RouteRequest {
  const key = keyOf(ctx, probe.key);
  return withSeededFaker(contentSeed(ctx, probe.id), (faker) => routeRequest(routeOf(ctx, routeId), {
    faker,
    model: modelFor(ctx, probe.key, routeId) ?? anyModel(ctx, routeId),
    datasetId: key?.datasets[0],
    conversationId: ctx.inputs.conversationId as string | undefined,
    fileId: ctx.inputs.fileId as string | undefined,
    runId: ctx.runId,
    ...extra,
  }));
}
