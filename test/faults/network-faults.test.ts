// Network faults between the harness and a tenant: a proxy puts one fault on one route, a whole run goes
// through it, and only the checks that need that route may change: each fails (or is blocked, for
// dependants) within its deadline, with a message naming the route, the key preset and what was seen.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Check, CheckResult, Plan, Probe, ProbeResult } from '../../src/model.ts';
import type { RunOptions } from '../../src/run/options.ts';
import type { FaultRule, SeenRequest } from './fault-proxy.ts';
import { FAULT_LIMITS, probeSpanMs, reachedChecks, runAgainstClosedPort, runThroughProxy, type FaultRun } from './fault-run.ts';

const T = FAULT_LIMITS.timeoutMs;
/** An SDK driver retries twice with its own backoff (the AI SDK waits 2 s, then 4 s). */
const SDK_BOUND_MS = 3 * T + 6_000 + 2_000;

const on = (method: string, path: RegExp, body?: RegExp) => (r: SeenRequest) => r.method === method && path.test(r.path.split('?')[0]) && (!body || body.test(r.body));

interface FaultCase {
  name: string;
  rule: FaultRule;
  /** the routes of the checks the fault may reach: its own, and those of checks that depend on it */
  routes: string[];
  /** what every affected message must say was seen (an SDK says it in its own words) */
  seen: RegExp;
  /** what the plain-HTTP probes say, exactly */
  httpSays: RegExp;
  /** the longest a plain-HTTP probe the fault reaches may take */
  httpBoundMs: number;
  runOptions?: Partial<RunOptions>;
  /** the probes the fault can fail; default all that send a matching request */
  affects?: (probe: Probe) => boolean;
}

const cases: FaultCase[] = [
  {
    name: 'connection reset mid-body on POST /v1/embeddings',
    rule: { matches: on('POST', /\/v1\/embeddings$/), fault: { kind: 'reset-mid-body' } },
    routes: ['embeddings'],
    seen: /connection reset after \d+ bytes|terminated|Failed to process successful response/,
    httpSays: /POST \/v1\/embeddings: connection reset after \d+ bytes/,
    httpBoundMs: T,
  },
  {
    name: 'GET /v1/models never answers',
    rule: { matches: on('GET', /\/v1\/models$/), fault: { kind: 'hang' } },
    routes: ['models', 'chat'], // the chat-with-alias checklist item lists the models first
    seen: new RegExp(`no answer within ${T} ms|Request timed out`),
    httpSays: new RegExp(`GET /v1/models: no answer within ${T} ms`),
    httpBoundMs: 2 * T + 500,
  },
  {
    name: 'a streamed chat completion stops without [DONE] and never closes',
    rule: { matches: on('POST', /\/v1\/chat\/completions$/, /"stream":\s*true/), fault: { kind: 'sse-stall' } },
    routes: ['chat'],
    seen: /stream broke|stalled|aborted due to timeout/,
    httpSays: /the stream broke( after \d+ bytes)?: Body Timeout Error/,
    httpBoundMs: 2 * T + 500,
  },
  {
    name: 'malformed JSON with a 200 on POST /v1/conversations',
    rule: { matches: on('POST', /\/v1\/conversations$/), fault: { kind: 'malformed-json' } },
    routes: ['conversations', 'conversation-files', 'chat'],
    seen: /is not JSON/,
    httpSays: /conversations with key conversation-app: the body is not JSON: \{"id":"conv_/,
    httpBoundMs: T,
  },
  {
    name: 'a reverse proxy answers 502 with an HTML page on POST /v1/audio/transcriptions',
    rule: { matches: on('POST', /\/v1\/audio\/transcriptions$/), fault: { kind: 'html-502' } },
    routes: ['transcriptions'],
    seen: /502/,
    httpSays: /answered 502.*<title>502 Bad Gateway<\/title>/,
    httpBoundMs: T,
  },
  {
    name: 'a 429 storm (Retry-After: 1) on POST /v1/audio/speech outlasts the retry budget',
    rule: { matches: on('POST', /\/v1\/audio\/speech$/), fault: { kind: 'rate-limit-storm', retryAfterSeconds: 1 } },
    routes: ['speech'],
    seen: /429/,
    httpSays: /speech with key \S+: (answered 429, expected \d+|expected 200 with audio, got 429)/,
    // three retries after 1 s each, then the fourth 429 is the answer
    httpBoundMs: 3 * 1_000 + 1_000,
  },
  {
    // An unread stream once held its connection slot forever: with a live target's 2 slots the run deadlocked.
    name: "a streamed chat answered 202 instead of 200, with a live target's concurrency of 2",
    rule: { matches: on('POST', /\/v1\/chat\/completions$/, /"stream":\s*true/), fault: { kind: 'other-2xx', status: 202 } },
    // the SDKs take any 2xx as a stream and pass; the harness's own checks (plain and client profiles) want 200
    affects: (probe) => probe.driver === 'http',
    routes: ['chat'],
    seen: /202/,
    httpSays: /chat with key openai-chat: stream: expected 200, got 202/,
    httpBoundMs: 2 * T,
    runOptions: { ...FAULT_LIMITS, concurrency: 2 },
  },
];

let clean: FaultRun;
beforeAll(async () => {
  clean = await runThroughProxy(undefined);
}, 60_000);

describe('network faults on one route', () => {
  it('the clean run through the proxy is the baseline: every check has a result, none failed', () => {
    expect(clean.results).toHaveLength(clean.plan.checks.length);
    expect(clean.results.filter((r) => r.outcome === 'failed' || r.outcome === 'blocked').map((r) => `${r.checkId}: ${r.message}`)).toEqual([]);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const reach = reachedChecks(clean.plan, clean.probeResults, c.rule, c.affects);
      expect(reach.checks.size, 'the fault reaches some check').toBeGreaterThan(0);

      const run = await runThroughProxy(c.rule, c.runOptions);
      expect(run.picked.length, 'the proxy faulted requests').toBeGreaterThan(0);
      assertComplete(run);
      assertOnlyReachedChanged(run, reach.checks);
      assertNoSecret(run);

      const checks = new Map(run.plan.checks.map((k) => [k.id, k]));
      for (const id of reach.checks) expect(c.routes, `${id} is on a route the fault may reach`).toContain(checks.get(id)!.route);
      for (const result of run.results.filter((r) => reach.checks.has(r.checkId) && !isFinding(checks.get(r.checkId)!))) {
        expect(['failed', 'blocked'], `${result.checkId}: ${result.message}`).toContain(result.outcome);
        expect(result.message, result.checkId).toMatch(c.seen);
        expect(namesHitProbe(result, run.plan, reach.hit), `${result.checkId} names the faulted route and key preset: ${result.message}`).toBe(true);
      }
      // Dependants are blocked, not failed: only a probe that sent the faulted request fails.
      for (const id of reach.probes) {
        const status = run.probeResults.get(id)!.status;
        expect(status, id).toBe(reach.hit.has(id) ? 'failed' : 'blocked');
      }
      expect([...reach.hit].some((id) => c.httpSays.test(run.probeResults.get(id)!.message)), `a plain-HTTP probe says ${c.httpSays}`).toBe(true);
      assertWithinDeadlines(run, reach.hit, c.httpBoundMs);
    }, 60_000);
  }
});

describe('connection refused', () => {
  it('a target on a closed port fails every check that sends, fast, and the rest of the report is complete', async () => {
    const all: FaultRule = { matches: () => true, fault: { kind: 'hang' } };
    const reach = reachedChecks(clean.plan, clean.probeResults, all);
    const run = await runAgainstClosedPort();
    assertComplete(run);
    assertOnlyReachedChanged(run, reach.checks);
    assertNoSecret(run);
    const checks = new Map(run.plan.checks.map((k) => [k.id, k]));
    const reached = run.results.filter((r) => reach.checks.has(r.checkId) && !isFinding(checks.get(r.checkId)!));
    expect(reached.length).toBeGreaterThan(100);
    for (const result of reached) {
      expect(['failed', 'blocked'], result.checkId).toContain(result.outcome);
      expect(result.message, result.checkId).toMatch(/connection refused|Connection error|ECONNREFUSED/);
      expect(namesHitProbe(result, run.plan, reach.hit), `${result.checkId}: ${result.message}`).toBe(true);
    }
    expect(run.probeResults.get('models:call:openai-chat')!.message).toBe('models with key openai-chat: GET /v1/models: connection refused');
    assertWithinDeadlines(run, reach.hit, 500);
    expect(run.wallMs).toBeLessThan(SDK_BOUND_MS + 2_000);
  }, 60_000);
});

function isFinding(check: Check): boolean {
  return check.group === 'finding'; // a documentation defect whatever the tenant answers
}

function assertComplete(run: FaultRun) {
  expect(run.results.map((r) => r.checkId)).toEqual(run.plan.checks.map((c) => c.id));
  expect(run.probeResults.size).toBe(run.plan.probes.length);
  for (const r of run.results) expect(r.message, r.checkId).not.toBe('');
}

/** A check the fault does not reach ends as it did in the clean run. */
function assertOnlyReachedChanged(run: FaultRun, reached: Set<string>) {
  const before = new Map(clean.results.map((r) => [r.checkId, r.outcome]));
  const changed = run.results.filter((r) => !reached.has(r.checkId) && r.outcome !== before.get(r.checkId));
  expect(changed.map((r) => `${r.checkId}: ${before.get(r.checkId)} → ${r.outcome}: ${r.message}`)).toEqual([]);
}

function assertNoSecret(run: FaultRun) {
  const everything = JSON.stringify({ results: run.results, probes: [...run.probeResults.values()] });
  expect(run.secrets.length).toBeGreaterThan(5);
  for (const secret of run.secrets) expect(everything.includes(secret), 'a tenant secret in a result').toBe(false);
  expect(everything).not.toMatch(/gtak_(?!\*{4})[A-Za-z0-9]{8,}/);
}

/** The message names a probe that met the fault: "<route> with key <preset>". */
function namesHitProbe(result: CheckResult, plan: Plan, hit: Set<string>): boolean {
  return plan.probes.some((p) => hit.has(p.id) && result.message.includes(`${p.route} with key ${p.keyPreset}`));
}

/** Every request ended within the per-request timeout; every probe the fault hit, within its bound. */
function assertWithinDeadlines(run: FaultRun, hit: Set<string>, httpBoundMs: number) {
  for (const id of hit) {
    const result: ProbeResult = run.probeResults.get(id)!;
    for (const e of result.exchanges) {
      // A stream's headers come within T; its body may then stall for T after the last byte before it is cut.
      const streamed = /"stream":\s*true/.test(e.request.body ?? '');
      expect(e.durationMs, `${id}: ${e.label}`).toBeLessThanOrEqual((streamed ? 2 * T : T) + 500);
    }
    const probe = run.plan.probes.find((p) => p.id === id)!;
    const bound = probe.driver === 'http' ? httpBoundMs : SDK_BOUND_MS;
    expect(probeSpanMs(result), `${id} took too long`).toBeLessThanOrEqual(bound + 500);
  }
}
