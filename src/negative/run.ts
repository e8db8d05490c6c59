// The negative group of one route: the cases a seed yields within a budget, sending them through the
// caller's HTTP client, and shrinking each failing kind to its smallest failing request with fast-check.
//
// Replay: the run's seed and the route give each kind its own fast-check seed; the cases are fast-check's
// runs of that kind's arbitrary, spread over the budget in a seeded order. The same seed gives the same
// cases. A failure carries its kind's fast-check seed and counterexample path: `caseAt` (or fc.check with
// `{ seed, path }`) rebuilds exactly that request.
import { fastCheck, type FastCheck } from '../input/lazy-libraries.ts';
import { loadContract, routeById } from '../contract/load.ts';
import { operationCreates } from '../contract/request-schema.ts';
import type { Contract, RouteSpec } from '../model.ts';
import type { RouteRequest } from '../contract/requests.ts';
import { caseKinds, type CaseKind, type NegativeInputs } from './kinds.ts';
import { expectationText, judgeAnswer, type Expectation, type JudgeOptions, type NegativeAnswer } from './judge.ts';
import { curlLine } from './curl.ts';

export interface NegativeOptions extends JudgeOptions {
  /** the run's seed */
  seed: number;
  /** the generated cases sent for this route, exactly (fewer only when the route yields no kind) */
  maxCases: number;
  /** routes that store something (a documented 201: conversations, uploads) get no case unless true */
  writesAllowed: boolean;
  inputs?: NegativeInputs;
  bodyLimitBytes?: number;
  uploadLimitBytes?: number;
  /** requests spent on shrinking, for all failures of the route together; default 40 */
  maxShrinkRequests?: number;
  /** generated cases sent at once (the caller's client may hold them to fewer); default 4 */
  inFlight?: number;
  /** cases that got no answer (reset, timeout, a stalled stream, a 429 after the retries) before the route counts as down and the rest are not sent; default 1 */
  maxUnanswered?: number;
  /** the base URL in curl lines; default "$GT_BASE_URL" */
  curlBaseUrl?: string;
  contract?: Contract;
}

export interface NegativeCase {
  /** `<route>/<kind>#<run>` */
  id: string;
  routeId: string;
  kind: string;
  expect: Expectation;
  statuses: readonly number[];
  request: RouteRequest;
  /** the kind's fast-check seed and this case's run, as a counterexample path */
  replay: { seed: number; path: string };
}

export interface ShrunkFailure {
  routeId: string;
  kind: string;
  /** what the case must get, in words */
  expected: string;
  /** what was wrong with the answer to the shrunk request */
  problems: string[];
  /** the smallest failing request found */
  request: RouteRequest;
  curl: string;
  /** the run's seed: `--seed` with it sends the same cases */
  seed: number;
  /** fast-check's seed and path of the shrunk request (caseAt rebuilds it) */
  replay: { seed: number; path: string };
  /** the case that failed first, before shrinking */
  firstCase: string;
  shrinkSteps: number;
}

/** The caller's HTTP client: the run's one client, its budget, concurrency and write policy. */
export type NegativeSend = (request: RouteRequest & { label: string }) => Promise<NegativeAnswer>;

export interface NegativeRun {
  routeId: string;
  seed: number;
  /** generated cases sent */
  cases: number;
  /** every request sent, shrinking included */
  requests: number;
  /** cases answered 429 after the client's retries: not judged */
  rateLimited: number;
  failures: ShrunkFailure[];
  /** why the run stopped early (the caller's send refused: a spent budget) */
  stopped?: string;
  /** the route stopped answering: the cases not yet sent were left out, and nothing was shrunk */
  down?: string;
}

const DEFAULT_MAX_SHRINK_REQUESTS = 40;
/** the generated cases of one route in flight at once (the run's concurrency bound holds over them too) */
export const NEGATIVE_IN_FLIGHT = 4;
const DEFAULT_MAX_UNANSWERED = 1;

/** FNV-1a over the parts: a 32-bit fast-check seed per route and kind. */
function seedOf(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  for (const c of parts.join('\0')) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h | 0;
}

/**
 * What a route's cases depend on, beside the contract: the same key gives the same kinds and cases. A process
 * that runs many times (the selftest's 42 runs, the tests) generates each route's cases once.
 */
const generationKey = (routeId: string, o: Pick<NegativeOptions, 'seed' | 'writesAllowed' | 'inputs' | 'bodyLimitBytes' | 'uploadLimitBytes'> & { maxCases?: number }) =>
  JSON.stringify([routeId, o.seed, o.maxCases ?? null, o.writesAllowed, o.inputs ?? {}, o.bodyLimitBytes ?? null, o.uploadLimitBytes ?? null]);

/** entries kept per contract: a run's routes and keys, many times over; a process of many runs starts afresh past it */
const MEMO_ENTRIES = 512;

/** One memo per contract object, so an edited copy never meets the original's cases; cases and arbitraries are never mutated. */
function memoOf<T>(memos: WeakMap<Contract, Map<string, T>>, contract: Contract, key: string, make: () => T): T {
  let memo = memos.get(contract);
  if (!memo) memos.set(contract, (memo = new Map()));
  let value = memo.get(key);
  if (value === undefined) {
    if (memo.size >= MEMO_ENTRIES) memo.clear();
    memo.set(key, (value = make()));
  }
  return value;
}

const kindMemos = new WeakMap<Contract, Map<string, { route: RouteSpec; kinds: CaseKind[] }>>();
const caseMemos = new WeakMap<Contract, Map<string, NegativeCase[]>>();

function kindsFor(routeId: string, options: NegativeOptions): { route: RouteSpec; kinds: CaseKind[] } {
  const contract = options.contract ?? loadContract();
  return memoOf(kindMemos, contract, generationKey(routeId, { ...options, maxCases: undefined }), () => {
    const route = routeById(contract, routeId);
    if (!options.writesAllowed && operationCreates(contract.openapi, route.operation_id)) return { route, kinds: [] };
    return { route, kinds: caseKinds(contract, route, { inputs: options.inputs ?? {}, seed: seedOf(options.seed, routeId), bodyLimitBytes: options.bodyLimitBytes, uploadLimitBytes: options.uploadLimitBytes }) };
  });
}

/**
 * Which kind each of the budget's slots sends, in rounds: every kind once, in a seeded order, then the extra
 * weight of the heavier kinds; so a budget of at least the number of kinds sends every kind.
 */
function schedule(kinds: CaseKind[], seed: number, routeId: string, maxCases: number): number[] {
  if (kinds.length === 0) return [];
  const fc = fastCheck();
  const shuffled = (items: number[], salt: string) =>
    items.length === 0 ? [] : fc.sample(fc.shuffledSubarray(items, { minLength: items.length }), { seed: seedOf(seed, routeId, salt), numRuns: 1 })[0];
  const round = [...shuffled(kinds.map((_, i) => i), 'order'), ...shuffled(kinds.flatMap((k, i) => Array<number>(k.weight - 1).fill(i)), 'extra')];
  return Array.from({ length: Math.max(0, Math.floor(maxCases)) }, (_, i) => round[i % round.length]);
}

const kindSeed = (options: NegativeOptions, routeId: string, kind: CaseKind) => seedOf(options.seed, routeId, kind.id);

/** The cases of one round: every kind once, the valid kind by its weight. A budget of this many sends every kind. */
export function casesPerRound(contract: Contract, routeId: string, options: Pick<NegativeOptions, 'writesAllowed' | 'bodyLimitBytes' | 'uploadLimitBytes' | 'inputs'>): number {
  return kindsFor(routeId, { ...options, seed: 0, maxCases: 0, contract }).kinds.reduce((n, k) => n + k.weight, 0);
}

/** The cases the route gets for this seed and budget, in the order they are sent. */
export function negativeCases(contract: Contract, routeId: string, options: Omit<NegativeOptions, 'contract'>): NegativeCase[] {
  return memoOf(caseMemos, contract, generationKey(routeId, options), () => generateCases(contract, routeId, options));
}

function generateCases(contract: Contract, routeId: string, options: Omit<NegativeOptions, 'contract'>): NegativeCase[] {
  const opts = { ...options, contract };
  const { kinds } = kindsFor(routeId, opts);
  const slots = schedule(kinds, options.seed, routeId, options.maxCases);
  const fc = fastCheck();
  const samples = kinds.map((kind, i) => {
    const count = slots.filter((s) => s === i).length;
    return count === 0 ? [] : fc.sample(kind.arbitrary, { seed: kindSeed(opts, routeId, kind), numRuns: count });
  });
  const taken = kinds.map(() => 0);
  return slots.map((i) => {
    const kind = kinds[i];
    const run = taken[i]++;
    return { id: `${routeId}/${kind.id}#${run}`, routeId, kind: kind.id, expect: kind.expect, statuses: kind.statuses, request: samples[i][run], replay: { seed: kindSeed(opts, routeId, kind), path: String(run) } };
  });
}

/** The request at a fast-check path of a kind (a failure's `replay`), without sending it. */
export function caseAt(contract: Contract, routeId: string, kindId: string, replay: { seed: number; path: string }, options: Omit<NegativeOptions, 'contract' | 'seed' | 'maxCases'> & { seed: number }): RouteRequest {
  const { kinds } = kindsFor(routeId, { ...options, maxCases: 0, contract });
  const kind = kinds.find((k) => k.id === kindId);
  if (!kind) throw new Error(`route ${routeId} has no negative case kind "${kindId}"`);
  let found: RouteRequest | undefined;
  const fc = fastCheck();
  // The property fails once, at the path, and passes every shrink after it: the counterexample is that node.
  const result = fc.check(fc.property(kind.arbitrary, (request) => {
    if (found) return true;
    found = request;
    return false;
  }), { seed: replay.seed, path: replay.path });
  if (!result.failed || !found) throw new Error(`no case at path ${replay.path} of ${routeId}/${kindId}`);
  return found;
}

class NotSent extends Error {}

/** A thrown error that is the tenant's doing (no answer, reset, timeout), not the caller refusing to send. */
const isTransportError = (err: unknown) => typeof (err as { kind?: unknown })?.kind === 'string';

/** Sends the route's cases through `send`, judges each answer, and shrinks the first failure of each kind. */
export async function runNegative(routeId: string, send: NegativeSend, options: NegativeOptions): Promise<NegativeRun> {
  const contract = options.contract ?? loadContract();
  const { route, kinds } = kindsFor(routeId, { ...options, contract });
  const result: NegativeRun = { routeId, seed: options.seed, cases: 0, requests: 0, rateLimited: 0, failures: [] };
  const kindById = new Map(kinds.map((k) => [k.id, k]));
  let unanswered = 0;
  let downSince: NotSent | undefined;

  /** Counts an answer that says nothing about the case sent; after a few, the route counts as down. */
  const unansweredCase = () => {
    if (++unanswered >= (options.maxUnanswered ?? DEFAULT_MAX_UNANSWERED)) downSince ??= new NotSent(`the route stopped answering (${unanswered === 1 ? 'a case' : `${unanswered} cases`} got no answer, a stalled stream or a 429 after the retries): the other cases were not sent`);
  };

  async function attempt(kind: CaseKind, request: RouteRequest, label: string): Promise<{ problems: string[]; rateLimited?: boolean }> {
    let answer: NegativeAnswer;
    try {
      answer = await send({ ...request, label });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!isTransportError(err)) throw new NotSent(message);
      result.requests++;
      // A server may close the connection once a body passes its limit (RFC 9110 section 15.5.14).
      if (kind.id === 'over-limit' && (err as { kind: string }).kind === 'reset') return { problems: [] };
      // A route that does not answer says so after a few cases: sending the rest would only wait out their timeouts.
      unansweredCase();
      return { problems: [`no answer: ${message}`] };
    }
    result.requests++;
    const verdict = await judgeAnswer(route, kind.expect, kind.statuses, answer, options);
    if (verdict.rateLimited || verdict.stalled) unansweredCase();
    return verdict;
  }

  const cases = negativeCases(contract, routeId, options);
  const verdicts: Array<{ problems: string[]; rateLimited?: boolean } | undefined> = [];
  let next = 0;
  let stopped: NotSent | undefined;
  // A few cases in flight at once; the caller's client still bounds the concurrency against the tenant.
  const worker = async () => {
    while (next < cases.length && !stopped && !downSince) {
      const i = next++;
      try {
        verdicts[i] = await attempt(kindById.get(cases[i].kind)!, cases[i].request, `negative ${cases[i].id}`);
      } catch (err) {
        if (!(err instanceof NotSent)) throw err;
        stopped ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.inFlight ?? NEGATIVE_IN_FLIGHT) }, worker));
  // The first failure of each kind in the order of the cases, whatever order the answers came in.
  const firstFailures = new Map<string, { c: NegativeCase; problems: string[] }>();
  cases.forEach((c, i) => {
    const verdict = verdicts[i];
    if (!verdict) return;
    result.cases++;
    if (verdict.rateLimited) result.rateLimited++;
    else if (verdict.problems.length > 0 && !firstFailures.has(c.kind)) firstFailures.set(c.kind, { c, problems: verdict.problems });
  });
  if (stopped) result.stopped = stopped.message;
  if (downSince) result.down = downSince.message;
  // Once the caller refused to send, failures are reported as found, without shrinking.
  let shrinkBudget = options.maxShrinkRequests ?? DEFAULT_MAX_SHRINK_REQUESTS;
  for (const [kindId, first] of firstFailures) {
    const kind = kindById.get(kindId)!;
    const shrunk = await shrink(kind, first, () => !result.stopped && !result.down && shrinkBudget-- > 0, attempt);
    if (shrunk.stopped) result.stopped ??= shrunk.stopped;
    result.failures.push({
      routeId,
      kind: kindId,
      expected: expectationText(kind.expect, kind.statuses),
      problems: shrunk.problems,
      request: shrunk.request,
      curl: curlLine(shrunk.request, options.curlBaseUrl),
      seed: options.seed,
      replay: { seed: first.c.replay.seed, path: shrunk.path },
      firstCase: first.c.id,
      shrinkSteps: shrunk.steps,
    });
  }
  return result;
}

/** Shrinks a failing case with fast-check from its path, sending each candidate while the budget lasts. */
async function shrink(
  kind: CaseKind,
  first: { c: NegativeCase; problems: string[] },
  mayCall: () => boolean,
  attempt: (kind: CaseKind, request: RouteRequest, label: string) => Promise<{ problems: string[]; rateLimited?: boolean }>,
): Promise<{ request: RouteRequest; problems: string[]; path: string; steps: number; stopped?: string }> {
  const seen = new Map<string, string[]>([[keyOf(first.c.request), first.problems]]);
  let stopped: string | undefined;
  const fc: FastCheck = fastCheck(); // typed: fc.pre is an assertion function, which TypeScript calls only through a typed name
  const property = fc.asyncProperty(kind.arbitrary, async (request) => {
    const key = keyOf(request);
    let problems = seen.get(key);
    if (!problems) {
      // Out of budget, refused by the caller, or rate limited: the candidate is skipped, neither passing nor failing.
      fc.pre(!stopped && mayCall());
      let verdict: { problems: string[]; rateLimited?: boolean };
      try {
        verdict = await attempt(kind, request, `negative ${first.c.routeId}/${kind.id} (shrinking)`);
      } catch (err) {
        if (!(err instanceof NotSent)) throw err;
        stopped = err.message;
        return fc.pre(false);
      }
      fc.pre(!verdict.rateLimited);
      problems = verdict.problems;
      seen.set(key, problems);
    }
    return problems.length === 0;
  });
  const outcome = await fc.check(property, { seed: first.c.replay.seed, path: first.c.replay.path });
  const unshrunk = { request: first.c.request, problems: first.problems, path: first.c.replay.path, steps: 0, stopped };
  if (!outcome.failed || outcome.counterexample === null || outcome.counterexamplePath === null) return unshrunk;
  const [request] = outcome.counterexample;
  return { request, problems: seen.get(keyOf(request)) ?? first.problems, path: outcome.counterexamplePath, steps: outcome.numShrinks, ...(stopped ? { stopped } : {}) };
}

/** Identifies a request for the shrink cache; a file part by its size and first bytes. */
function keyOf(request: RouteRequest): string {
  return JSON.stringify(request, (_k, v) => (v instanceof Uint8Array ? `bytes:${v.length}:${Buffer.from(v.subarray(0, 16)).toString('hex')}` : v));
}
