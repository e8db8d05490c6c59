// Network faults between the harness and a tenant: a proxy puts one fault on one route, a whole run goes
// through it, and only the checks that need that route may change: each fails (or is blocked, for
// dependants) within its deadline, with a message naming the route, the key preset and what was seen.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Check, CheckResult, Plan, ProbeResult } from '../../src/model.ts';
import type { FaultRule } from './fault-proxy.ts';
import { probeSpanMs, reachedChecks, runAgainstClosedPort, runThroughProxy, type FaultRun } from './fault-run.ts';
import { faultCases, SDK_BOUND_MS, T } from './cases.ts';

let clean: FaultRun;
beforeAll(async () => {
  clean = await runThroughProxy(undefined);
}, 60_000);

describe('network faults on one route', () => {
  it('the clean run through the proxy is the baseline: every check has a result, none failed', () => {
    expect(clean.results).toHaveLength(clean.plan.checks.length);
    expect(clean.results.filter((r) => r.outcome === 'failed' || r.outcome === 'blocked').map((r) => `${r.checkId}: ${r.message}`)).toEqual([]);
  });

  for (const c of faultCases) {
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

/**
 * Every request ended within the per-request timeout; every probe the fault hit, within its bound.
 * The bounds catch unbounded waits (a retry loop, a stalled stream), so the slack is half the bound:
 * a busy machine adds scheduling delay, a missing bound adds whole timeouts.
 */
function assertWithinDeadlines(run: FaultRun, hit: Set<string>, httpBoundMs: number) {
  for (const id of hit) {
    const result: ProbeResult = run.probeResults.get(id)!;
    for (const e of result.exchanges) {
      // A stream's headers come within T; its body may then stall for T after the last byte before it is cut.
      const streamed = /"stream":\s*true/.test(e.request.body ?? '');
      expect(e.durationMs, `${id}: ${e.label}`).toBeLessThanOrEqual(withSlack(streamed ? 2 * T : T));
    }
    const probe = run.plan.probes.find((p) => p.id === id)!;
    const bound = probe.driver === 'http' ? httpBoundMs : SDK_BOUND_MS;
    expect(probeSpanMs(result), `${id} took too long`).toBeLessThanOrEqual(withSlack(bound));
  }
}

function withSlack(boundMs: number): number {
  return boundMs + Math.max(500, boundMs / 2);
}
