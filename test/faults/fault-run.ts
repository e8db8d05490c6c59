// A whole conformance run through the fault proxy, and what a fault should touch: the checks whose probes
// (or the probes they depend on) sent a request the rule picks out, found from a clean run's exchanges.
import type { Exchange, Plan, Probe, ProbeResult } from '../../src/model.ts';
import { runAgainst, type TargetRun } from '../../src/run/direct.ts';
import type { RunOptions } from '../../src/run/options.ts';
import { startTenant } from '../../src/tenant/index.ts';
import { closedPortOrigin, startFaultProxy, type FaultRule, type SeenRequest } from './fault-proxy.ts';

export interface FaultRun extends TargetRun {
  /** every secret the tenant issued for the run: none may appear in any result */
  secrets: string[];
  picked: SeenRequest[];
  /** the most requests the tenant had in flight at once (0 when nothing listened) */
  peakInFlight: number;
  /** hung or stalled requests the harness was still waiting on when the proxy's fuse ran out (0 when it gave up in time) */
  fused: number;
}

/**
 * The per-request timeout is the only small limit, so that a hung request costs seconds: 4 s, room for a
 * clean answer on a loaded machine (1.5 s was not: docs/testing.md). The poll and run deadlines are the
 * defaults' (nothing waits for them in a fault case); a test that needs a tighter bound sets its own.
 */
export const FAULT_LIMITS = { timeoutMs: 4_000, pollDeadlineMs: 30_000, runDeadlineMs: 5 * 60_000 } satisfies Partial<RunOptions>;

/**
 * How long the proxy holds a hung request or a stalled stream before answering it normally: the upper bound
 * on the harness's own timeout, with a margin of ten times that timeout. A harness that did not give up
 * would get a normal answer and pass the check, and the run's `fused` count says so.
 */
export const FAULT_FUSE_MS = 10 * FAULT_LIMITS.timeoutMs;

export async function runThroughProxy(rule: FaultRule | undefined, runOptions: Partial<RunOptions> = FAULT_LIMITS): Promise<FaultRun> {
  const tenant = await startTenant({ freshSecrets: true, processingMs: 150 });
  const proxy = await startFaultProxy(new URL(tenant.baseUrl).origin, rule, { fuseMs: FAULT_FUSE_MS });
  try {
    const run = await runAgainst({ ...tenant.target, baseUrl: `${proxy.origin}${new URL(tenant.baseUrl).pathname}` }, tenant.secrets, runOptions);
    return { ...run, secrets: Object.values(tenant.secrets), picked: proxy.picked, peakInFlight: proxy.peakInFlight(), fused: proxy.fused() };
  } finally {
    await proxy.close();
    await tenant.close();
  }
}

/** A run whose target listens nowhere. */
export async function runAgainstClosedPort(runOptions: Partial<RunOptions> = FAULT_LIMITS): Promise<FaultRun> {
  const tenant = await startTenant({ freshSecrets: true, processingMs: 150 });
  await tenant.close(); // its keys and secrets stay valid descriptions; nothing answers any more
  const run = await runAgainst({ ...tenant.target, baseUrl: `${await closedPortOrigin()}${new URL(tenant.baseUrl).pathname}` }, tenant.secrets, runOptions);
  return { ...run, secrets: Object.values(tenant.secrets), picked: [], peakInFlight: 0, fused: 0 };
}

export function seenOf(exchange: Exchange): SeenRequest {
  const url = new URL(exchange.request.url);
  const userAgent = Object.entries(exchange.request.headers).find(([h]) => h.toLowerCase() === 'user-agent')?.[1] ?? '';
  return { method: exchange.request.method, path: `${url.pathname}${url.search}`, body: exchange.request.body ?? '', userAgent };
}

/**
 * The checks a fault on `rule` reaches, judged from a clean run: a probe is hit when one of its exchanges
 * matches (for faults that corrupt a tenant's answer, only exchanges the tenant answered 2xx), and every
 * probe that depends on a hit probe is reached too.
 */
export function reachedChecks(plan: Plan, clean: Map<string, ProbeResult>, rule: FaultRule, affects: (probe: Probe) => boolean = () => true): { checks: Set<string>; probes: Set<string>; hit: Set<string> } {
  const successOnly = ['reset-mid-body', 'sse-stall', 'malformed-json', 'other-2xx'].includes(rule.fault.kind);
  const hit = new Set<string>();
  const affected = new Set(plan.probes.filter(affects).map((p) => p.id));
  for (const [id, result] of clean) {
    if (!affected.has(id)) continue;
    const matching = result.exchanges.some((e) => rule.matches(seenOf(e)) && (!successOnly || (e.response && e.response.status >= 200 && e.response.status < 300)));
    if (matching) hit.add(id);
  }
  const reached = new Set(hit);
  for (let grew = true; grew; ) {
    grew = false;
    for (const probe of plan.probes) {
      if (!reached.has(probe.id) && (probe.dependsOn ?? []).some((d) => reached.has(d))) {
        reached.add(probe.id);
        grew = true;
      }
    }
  }
  const checks = new Set(plan.checks.filter((c) => c.probes.some((p) => reached.has(p))).map((c) => c.id));
  return { checks, probes: reached, hit };
}

/** How long a probe took from its first request to the end of its last one, in ms. */
export function probeSpanMs(result: ProbeResult): number {
  if (result.exchanges.length === 0) return 0;
  const starts = result.exchanges.map((e) => Date.parse(e.startedAt));
  const ends = result.exchanges.map((e) => Date.parse(e.startedAt) + e.durationMs);
  return Math.max(...ends) - Math.min(...starts);
}
