// The seeded fakers: a probe's content depends on its seed only, whether it gets a faker of its own or the
// shared one reseeded (withSeededFaker), and whatever was drawn before.
import { describe, expect, it } from 'vitest';
import { seededFaker, withSeededFaker } from '../../src/contract/seeded-faker.ts';
import { loadContract } from '../../src/contract/load.ts';
import { routeRequest } from '../../src/contract/requests.ts';

const asText = (value: unknown) => JSON.stringify(value, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));

describe('withSeededFaker', () => {
  it('draws what a faker of its own with the same seed draws, for every route, after any other draw', () => {
    const contract = loadContract();
    for (const seed of [1, 42, 0xdeadbeef]) {
      for (const route of contract.routes) {
        // something else drawn in between must not shift the stream
        withSeededFaker(seed + 1, (faker) => faker.lorem.paragraphs(3));
        const shared = withSeededFaker(seed, (faker) => routeRequest(route, { faker, model: 'm', datasetId: 'd', runId: 'r' }));
        const own = routeRequest(route, { faker: seededFaker(seed), model: 'm', datasetId: 'd', runId: 'r' });
        expect(asText(shared), `${route.id}, seed ${seed}`).toBe(asText(own));
      }
    }
  });

  it('refuses a use that draws later, when another caller may have reseeded the faker', () => {
    expect(() => withSeededFaker(1, async (faker) => faker.word.noun())).toThrow(/at once/);
  });
});
