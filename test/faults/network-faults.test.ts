// Network faults between the harness and a tenant: a proxy puts one fault on one route, a whole run goes
// through it, and only the checks that need that route may change: each fails (or is blocked, for
// dependants) with a message naming the route, the key preset and what was seen. No bound here is a
// wall-clock guess: a hung request or a stalled stream is answered normally once the proxy's fuse (ten
// times the request timeout) runs out, so a harness that did not give up in time passes the check and
// shows in the proxy's `fused` count; a refused connection must fail before a run deadline the test sets.
// Each case has its own tenant and proxy, so the cases run side by side, three at a time: their waits
// overlap, and a loaded machine does not have to carry eight whole runs on this worker's one event loop
// (beside four CPU hogs, eight at once made clean answers take longer than the request timeout).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Check, CheckResult, Plan } from '../../src/model.ts';
import type { FaultRule } from './fault-proxy.ts';
import { FAULT_LIMITS, reachedChecks, runAgainstClosedPort, runThroughProxy, type FaultRun } from './fault-run.ts';
import { faultCases } from './cases.ts';
import { Semaphore } from '../../src/http/semaphore.ts';

let clean: FaultRun;
beforeAll(async () => {
  // Nothing hangs in the clean run, so its requests get a timeout no loaded machine reaches.
  clean = await runThroughProxy(undefined, { ...FAULT_LIMITS, timeoutMs: 60_000 });
});

const fewAtOnce = new Semaphore(3);

/** Runs `run` once fewer than three fault runs are going. */
async function oneOfFew<T>(run: () => Promise<T>): Promise<T> {
  const release = await fewAtOnce.acquire();
  try {
    return await run();
  } finally {
    release();
  }
}

describe('network faults on one route', () => {
  it('the clean run through the proxy is the baseline: every check has a result, none failed', () => {
    expect(clean.results).toHaveLength(clean.plan.checks.length);
    expect(clean.results.filter((r) => r.outcome === 'failed' || r.outcome === 'blocked').map((r) => `${r.checkId}: ${r.message}`)).toEqual([]);
  });

  for (const c of faultCases) {
    it.concurrent(c.name, async () => {
      const reach = reachedChecks(clean.plan, clean.probeResults, c.rule, c.affects);
      expect(reach.checks.size, 'the fault reaches some check').toBeGreaterThan(0);

      const run = await oneOfFew(() => runThroughProxy(c.rule, c.runOptions));
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
      expect(run.fused, 'requests the harness still waited on when the proxy gave up holding them').toBe(0);
    });
  }
});

describe('connection refused', () => {
  it.concurrent('a target on a closed port fails every check that sends, fast, and the rest of the report is complete', async () => {
    const all: FaultRule = { matches: () => true, fault: { kind: 'hang' } };
    const reach = reachedChecks(clean.plan, clean.probeResults, all);
    // No request may wait for a timeout (10 minutes here): every one must be refused before the run deadline.
    const run = await oneOfFew(() => runAgainstClosedPort({ ...FAULT_LIMITS, timeoutMs: 10 * 60_000, runDeadlineMs: 60_000 }));
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
    const stopped = [...run.probeResults.values()].filter((r) => r.status === 'not_run' || /run deadline/.test(r.message));
    expect(stopped.map((r) => `${r.probeId}: ${r.message}`)).toEqual([]);
  });
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

/** The message names a probe that met the fault: "<route> with key <key>" (and its preset where that is another name). */
function namesHitProbe(result: CheckResult, plan: Plan, hit: Set<string>): boolean {
  return plan.probes.some((p) => hit.has(p.id) && result.message.includes(`${p.route} with key ${p.key}`));
}
