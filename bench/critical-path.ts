// What a plan costs before anything is sent: its longest chain of dependent requests (the critical path),
// the requests its unique probes send, and what a naive run per product, without sharing probes, would send.
import type { Plan, Probe } from '../src/model.ts';
import { estimateRequests } from '../src/plan/estimate.ts';
import { NEGATIVE_IN_FLIGHT } from '../src/negative/run.ts';

/**
 * Round trips a probe makes one after another, and whether it waits for upload processing.
 * A poll is bounded below by the processing time P, then one request that sees the terminal state and one
 * that confirms it on the other status path (GET /v1/files/{id}, then /v1/uploads/{id}): 2 round trips after
 * P, so the upload chain's floor is 3L + P (the upload, then those two).
 * A negative probe keeps NEGATIVE_IN_FLIGHT generated cases in flight, so its cases take a quarter as many
 * round trips one after another. Every other probe sends its requests in sequence (chat: plain then streamed;
 * a client profile: its validation call then its request), so estimateRequests is its chain length.
 */
export function probeCost(probe: Probe): { roundTrips: number; waitsForProcessing: boolean } {
  if (probe.kind === 'poll') return { roundTrips: 2, waitsForProcessing: true };
  if (probe.kind === 'failed-upload') return { roundTrips: 1 + 2, waitsForProcessing: true };
  if (probe.kind === 'negative') return { roundTrips: Math.ceil(estimateRequests(probe) / NEGATIVE_IN_FLIGHT), waitsForProcessing: false };
  return { roundTrips: estimateRequests(probe), waitsForProcessing: false };
}

export interface CriticalPath {
  /** round trips on the longest chain */
  roundTrips: number;
  /** the chain waits for upload processing once (no chain holds two uploads in sequence) */
  waitsForProcessing: boolean;
  /** probe ids, first to last */
  chain: string[];
  /** the lower bound in ms: roundTrips × L + (waitsForProcessing ? P : 0) */
  lowerBoundMs: number;
}

/**
 * The critical path: the chain of probes linked by dependsOn whose round trips, each costing at least the
 * tenant's added latency L, plus the processing time P where the chain polls an upload, take longest.
 * No scheduler can finish the run sooner than that chain, however many requests it sends at once:
 *   chainMs(p) = roundTrips(p) × L + (polls(p) ? P : 0) + max over d in dependsOn(p) of chainMs(d)
 *   lower bound = max over probes p of chainMs(p)
 */
export function criticalPath(plan: Plan, latencyMs: number, processingMs: number): CriticalPath {
  const byId = new Map(plan.probes.map((p) => [p.id, p]));
  const memo = new Map<string, { ms: number; roundTrips: number; waits: boolean; chain: string[] }>();
  const visit = (id: string): { ms: number; roundTrips: number; waits: boolean; chain: string[] } => {
    const known = memo.get(id);
    if (known) return known;
    const probe = byId.get(id);
    if (!probe) return { ms: 0, roundTrips: 0, waits: false, chain: [] };
    const own = probeCost(probe);
    const before = (probe.dependsOn ?? []).map(visit).reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, roundTrips: 0, waits: false, chain: [] as string[] });
    const result = {
      ms: before.ms + own.roundTrips * latencyMs + (own.waitsForProcessing ? processingMs : 0),
      roundTrips: before.roundTrips + own.roundTrips,
      waits: before.waits || own.waitsForProcessing,
      chain: [...before.chain, id],
    };
    memo.set(id, result);
    return result;
  };
  const longest = plan.probes.map((p) => visit(p.id)).reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, roundTrips: 0, waits: false, chain: [] as string[] });
  return { roundTrips: longest.roundTrips, waitsForProcessing: longest.waits, chain: longest.chain, lowerBoundMs: longest.ms };
}

/** A probe and every probe it depends on, transitively. */
function withPrerequisites(ids: string[], byId: Map<string, Probe>, into = new Set<string>()): Set<string> {
  for (const id of ids) {
    if (into.has(id)) continue;
    into.add(id);
    withPrerequisites(byId.get(id)?.dependsOn ?? [], byId, into);
  }
  return into;
}

const requestsOf = (ids: Iterable<string>, byId: Map<string, Probe>) => [...ids].reduce((n, id) => n + (byId.get(id) ? estimateRequests(byId.get(id)!) : 0), 0);

export interface Sharing {
  /** probes that send something (not skipped) */
  uniqueProbes: number;
  /** estimated requests of those probes, each sent once */
  dedupRequests: number;
  /** estimated requests if each product ran its own checks with nothing shared between products
   *  (its probes and their prerequisites, once per product), plus the cross-cutting checks once */
  naiveRequests: number;
}

export function sharing(plan: Plan): Sharing {
  const byId = new Map(plan.probes.map((p) => [p.id, p]));
  const products = [...new Set(plan.checks.map((c) => c.product).filter((p): p is string => !!p))];
  let naive = 0;
  for (const product of products) {
    const ids = plan.checks.filter((c) => c.product === product).flatMap((c) => c.probes);
    naive += requestsOf(withPrerequisites(ids, byId), byId);
  }
  naive += requestsOf(withPrerequisites(plan.checks.filter((c) => !c.product).flatMap((c) => c.probes), byId), byId);
  const sending = plan.probes;
  return { uniqueProbes: sending.length, dedupRequests: requestsOf(sending.map((p) => p.id), byId), naiveRequests: naive };
}
