// How many requests a plan sends, before anything is sent: each probe as its kind estimates it, counted once.
import type { Probe } from '../model.ts';
import { PROBE_KINDS } from '../probes/index.ts';

export function estimateRequests(probe: Probe): number {
  return PROBE_KINDS[probe.kind].requests(probe);
}

/** Requests per route for the whole plan, each probe counted once. */
export function requestsPerRoute(probes: Probe[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of probes) counts.set(p.route, (counts.get(p.route) ?? 0) + estimateRequests(p));
  return counts;
}
