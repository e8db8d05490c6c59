// The request estimate of a plan (src/plan/estimate.ts): each probe as its kind counts it, summed per route.
// The per-kind counts are the probe kinds' own (src/probes): a plain HTTP chat sends a plain and a streamed
// request, embeddings a float and a base64 one, a negative group its cases, a list of models or a denial one.
import { describe, expect, it } from 'vitest';
import { estimateRequests, requestsPerRoute } from '../../src/plan/estimate.ts';
import type { Probe } from '../../src/model.ts';

const probe = (id: string, over: Partial<Probe>): Probe => ({ id, route: 'models', kind: 'call', key: 'k', expect: 'success', driver: 'http', ...over });

describe('requestsPerRoute', () => {
  it('adds up the requests of every probe of a route, and keeps routes apart', () => {
    const probes = [
      probe('a', { route: 'chat' }),
      probe('b', { route: 'chat', key: 'other' }),
      probe('c', { route: 'models' }),
      probe('d', { route: 'embeddings' }),
      probe('e', { route: 'chat', kind: 'denied', expect: 'denied' }),
    ];
    expect([...requestsPerRoute(probes)]).toEqual([
      ['chat', 2 + 2 + 1],
      ['models', 1],
      ['embeddings', 2],
    ]);
    expect(requestsPerRoute([]).size).toBe(0);
  });

  it('asks the probe kind for each probe', () => {
    expect(estimateRequests(probe('m', {}))).toBe(1);
    expect(estimateRequests(probe('c', { route: 'chat' }))).toBe(2);
    expect(estimateRequests(probe('n', { route: 'chat', kind: 'negative', params: { cases: 7 } }))).toBe(7);
  });
});
