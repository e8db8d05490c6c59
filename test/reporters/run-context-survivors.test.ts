// What the first mutation run of src/report/run-context.ts left alive (docs/testing.md, the fifth session): two
// plans of as many checks with other ids, a split of more than nine shards, and an empty tenant profile.
import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/model.ts';
import { mergeRunContexts, missingShards } from '../../src/report/run-context.ts';

function context(fields: Partial<RunContext> = {}): RunContext {
  return {
    harnessVersion: '1',
    contractDigest: 'c',
    runbooks: [],
    target: { kind: 'embedded', host: '127.0.0.1:1' },
    seed: 1,
    strict: false,
    startedAt: '2025-01-01T00:00:00.000Z',
    checks: [{ id: 'a/models/works' }],
    ...fields,
  } as unknown as RunContext;
}

const merge = (a: RunContext, b: RunContext) => mergeRunContexts([{ file: 'x.json', context: a }, { file: 'y.json', context: b }]);

describe('mergeRunContexts, more', () => {
  it('refuses two plans of as many checks when their ids differ', () => {
    expect(() => merge(context(), context({ checks: [{ id: 'a/chat/works' }] } as Partial<RunContext>))).toThrow(
      'run contexts disagree: x.json and y.json differ in planned checks merge only shards of one run',
    );
  });

  it('reads an empty tenant profile as none', () => {
    const target = (profile?: string) => context({ target: { kind: 'embedded', host: 'h', ...(profile === undefined ? {} : { profile }) } });
    expect(merge(target(''), target()).target.profile).toBe('');
  });
});

describe('missingShards, more', () => {
  it('reads shard numbers of two digits', () => {
    const given = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11].map((i) => context({ shard: `${i}/11` }));
    expect(missingShards(given)).toStrictEqual(['shard 10/11 is missing: give report --merge the blob folder of every shard']);
  });
});
