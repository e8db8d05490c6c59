// What each probe action does: the requests it sends and the problems it finds in the answers.
import { randomBytes } from 'node:crypto';
import { Faker, en } from '@faker-js/faker';
import type { Contract, Exchange, Probe, RouteSpec, SecretSource, Target, TargetKey } from '../model.ts';
import type { HttpAnswer, HttpClient, HttpRequest } from '../http/client.ts';
import { HttpError } from '../http/client.ts';
import { routeRequest, type RouteRequest } from './requests.ts';
import { spend, type RequestCounter } from './budget.ts';
import { callActions } from './actions-call.ts';
import { denialActions } from './actions-denial.ts';
import { lifecycleActions } from './actions-lifecycle.ts';
import { findingActions } from './actions-findings.ts';
import type { ClientDriver } from '../drivers/driver.ts';
import type { RecordingFetch } from '../drivers/recording-fetch.ts';

export interface ActionContext {
  contract: Contract;
  target: Target;
  secrets: SecretSource;
  http: HttpClient;
  seed: number;
  /** requests sent so far, and the most the run may send */
  counter: RequestCounter;
  pollDeadlineMs: number;
  /** makes an SDK driver whose traffic is recorded into `sink` */
  driver(id: string, key: string, sink: Exchange[], options?: { aiSdkProvider?: 'openai' | 'openai-compatible' }): Promise<ClientDriver>;
  /** a fetch for SDK code that records into `sink` and keeps to the run's concurrency, budget and size limits */
  recorder(sink: Exchange[], label: string): RecordingFetch;
}

export interface ProbeContext extends ActionContext {
  inputs: Record<string, unknown>; // outputs of the probes this one depends on
  exchanges: Exchange[]; // this probe's evidence
  deadline: number;
}

export interface ActionOutcome {
  problems: string[];
  summary?: string;
  output?: Record<string, unknown>;
  strictNotes?: string[];
}

export type Action = (probe: Probe, ctx: ProbeContext) => Promise<ActionOutcome>;

const actions: Record<string, Action> = {
  ...callActions,
  ...denialActions,
  ...lifecycleActions,
  ...findingActions,
  none: async () => ({ problems: ['nothing to run'] }),
};

export function actionFor(probe: Probe): Action {
  const action = actions[probe.action];
  if (!action) return async () => ({ problems: [`the harness has no action "${probe.action}"`] });
  return action;
}

// ----- helpers the actions share -----

export function routeOf(ctx: ActionContext, id: string): RouteSpec {
  const route = ctx.contract.routes.find((r) => r.id === id);
  if (!route) throw new Error(`route ${id} is not in the contract`);
  return route;
}

export function keyOf(ctx: ActionContext, name: string): TargetKey | undefined {
  return ctx.target.keys.find((k) => k.name === name);
}

/** A faker seeded from the run seed and the probe id, so a probe sends the same content whatever the order. */
export function fakerFor(ctx: ActionContext, probeId: string): Faker {
  const f = new Faker({ locale: [en] });
  let h = ctx.seed >>> 0;
  for (const c of probeId) h = (Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0);
  f.seed(h);
  return f;
}

const unknownSecret = `gtak_${randomBytes(18).toString('hex')}`;

/** The Authorization value a probe presents for a key name or a special key. */
export function bearerFor(ctx: ActionContext, key: string): string | undefined {
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

/** Sends one request with a key, recording the exchange as this probe's evidence; transport failures become a problem. */
export async function send(ctx: ProbeContext, key: string, request: RouteRequest, label: string): Promise<Sent> {
  try {
    spend(ctx.counter);
  } catch (err) {
    return { problem: (err as Error).message };
  }
  const req: HttpRequest = { label, ...request, bearer: bearerFor(ctx, key) };
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

export function requestFor(ctx: ProbeContext, probe: Probe, routeId: string, extra: Partial<Parameters<typeof routeRequest>[1]> = {}): RouteRequest {
  const key = keyOf(ctx, probe.key);
  return routeRequest(routeOf(ctx, routeId), {
    faker: fakerFor(ctx, probe.id),
    model: key?.models[0] ?? ctx.target.keys.find((k) => k.models.length)?.models[0],
    datasetId: key?.datasets[0],
    conversationId: ctx.inputs.conversationId as string | undefined,
    fileId: ctx.inputs.fileId as string | undefined,
    ...extra,
  });
}
