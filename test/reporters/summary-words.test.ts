// The summary's words for the baseline comparison, the negative group and what a run created, as the doc
// comments of src/report/summary.ts write them (docs/testing.md, "Mutation scores": no test Stryker runs held them).
import { describe, expect, it } from 'vitest';
import { comparisonWords, createdWords, negativeWords } from '../../src/report/summary.ts';

describe('summary words', () => {
  it('compares with a baseline, naming its run when it has a start time, each count in its singular or plural', () => {
    const c = { baseline: { file: 'base.json', startedAt: '2026-12-01T10:00:00Z' }, new_failures: ['a', 'b'], fixed: ['c'], still_failing: ['d', 'e', 'f'], new_checks: ['g', 'h', 'i', 'j'], removed_checks: [] };
    expect(comparisonWords(c)).toBe('against the baseline base.json (run of 2026-12-01T10:00:00Z): 2 new failures, 1 fixed, 3 still failing, 4 new checks, 0 removed');
    expect(comparisonWords({ ...c, baseline: { file: 'b.json' }, new_failures: ['a'], new_checks: ['g'] })).toBe('against the baseline b.json: 1 new failure, 1 fixed, 3 still failing, 1 new check, 0 removed');
  });

  it('describes the negative group with its seed to replay', () => {
    expect(negativeWords({ seed: 1, routes: 8, cases: 96, requests: 96 })).toBe('negative group: 96 generated cases on 8 routes, 96 requests, seed 1 (replay with --seed 1)');
    expect(negativeWords({ seed: 7, routes: 1, cases: 1, requests: 1 })).toBe('negative group: 1 generated case on 1 route, 1 request, seed 7 (replay with --seed 7)');
  });

  it('names only the kinds of object a run created', () => {
    expect(createdWords([{ object: 'conversation' }])).toBe('created on the tenant: 1 conversation');
    expect(createdWords([{ object: 'file' }, { object: 'file' }])).toBe('created on the tenant: 2 files');
  });
});
