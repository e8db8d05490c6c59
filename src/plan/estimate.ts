// How many requests a probe sends, before anything is sent (polls: a typical number of rounds on both status paths).
import type { Probe } from '../model.ts';

const POLL_ROUNDS = 6;

export function estimateRequests(probe: Probe): number {
  if (probe.skip) return 0;
  switch (probe.action) {
    case 'call':
      if (probe.driver !== 'http') return probe.route === 'embeddings' || probe.route === 'chat' ? 2 : 1;
      if (probe.params?.profile) return 2;
      return probe.route === 'chat' || probe.route === 'embeddings' ? 2 : 1;
    case 'poll':
      return POLL_ROUNDS;
    case 'failed-upload':
      return 1 + POLL_ROUNDS;
    case 'conversation':
      return 2;
    default:
      return 1;
  }
}

/** Requests per route for the whole plan, each probe counted once. */
export function requestsPerRoute(probes: Probe[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of probes) counts.set(p.route, (counts.get(p.route) ?? 0) + estimateRequests(p));
  return counts;
}
