// A process that runs many times (the selftest, the tests) generates a route's cases once per contract and
// options; the memo must never hand one run's cases to a different seed, budget, input or contract.
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { casesPerRound, negativeCases } from '../../src/negative/index.ts';

const contract = loadContract();
const options = { seed: 5, maxCases: 30, writesAllowed: true, inputs: { model: 'mission-agent', datasetId: 'reference-briefs' } };

describe('the generated cases are made once per contract and options', () => {
  it('hands back the same cases for the same options, equal to those of a fresh copy of the contract', () => {
    const first = negativeCases(contract, 'chat', options);
    expect(negativeCases(contract, 'chat', { ...options, inputs: { ...options.inputs } })).toBe(first);
    const fresh = negativeCases(structuredClone(contract), 'chat', options);
    expect(fresh).not.toBe(first);
    expect(fresh).toEqual(first);
  });

  it('generates anew for another seed, budget, input, write policy or route', () => {
    const first = negativeCases(contract, 'chat', options);
    const ids = (cases: ReturnType<typeof negativeCases>) => cases.map((c) => JSON.stringify(c.request));
    expect(ids(negativeCases(contract, 'chat', { ...options, seed: 6 }))).not.toEqual(ids(first));
    expect(negativeCases(contract, 'chat', { ...options, maxCases: 31 })).toHaveLength(31);
    const otherModel = negativeCases(contract, 'chat', { ...options, inputs: { ...options.inputs, model: 'other-model' } });
    expect(otherModel.some((c) => JSON.stringify(c.request).includes('other-model'))).toBe(true);
    expect(first.some((c) => JSON.stringify(c.request).includes('other-model'))).toBe(false);
    expect(negativeCases(contract, 'embeddings', options).every((c) => c.routeId === 'embeddings')).toBe(true);
    // conversations create: no cases unless writes are allowed, whatever was generated with them before
    expect(negativeCases(contract, 'conversations', options).length).toBeGreaterThan(0);
    expect(negativeCases(contract, 'conversations', { ...options, writesAllowed: false })).toEqual([]);
  });

  it('never shows a copy of the contract the cases of the original', () => {
    const edited = structuredClone(contract);
    const chat = edited.routes.find((r) => r.id === 'chat')!;
    const before = casesPerRound(contract, 'chat', options);
    // the route's operation loses its request body: nothing to generate from
    const op = Object.values(edited.openapi.paths as Record<string, Record<string, { operationId?: string; requestBody?: unknown }>>)
      .flatMap((item) => Object.values(item))
      .find((o) => o?.operationId === chat.operation_id)!;
    delete op.requestBody;
    expect(before).toBeGreaterThan(0);
    expect(casesPerRound(edited, 'chat', options)).not.toBe(before);
  });
});
