// A merge of a sharded run knows how many shards there were (each shard's run context says "i/n"), and a
// missing shard fails the gate with a line naming it, instead of passing as a smaller whole run.
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingShards } from '../../src/report/run-context.ts';
import type { RunContext } from '../../src/model.ts';
import { defaultScenario } from '../fixtures/reports/scenario.ts';
import { readReport, runFixture, tempDir, writeScenario } from '../reporters/fixture-run.ts';

const context = (shard?: string) => ({ ...defaultScenario().context, ...(shard ? { shard } : {}) }) as RunContext;

describe('missingShards', () => {
  it('names each shard of the split that is not there', () => {
    expect(missingShards([context('1/3'), context('3/3')])).toEqual(['shard 2/3 is missing: give report --merge the blob folder of every shard']);
    expect(missingShards([context('2/3'), context('1/3'), context('3/3')])).toEqual([]);
  });

  it('refuses shards of different splits, and misses nothing in a whole run', () => {
    expect(missingShards([context('1/2'), context('2/3')])).toEqual(['shards of different splits (1/2, 2/3): merge the shards of one run']);
    expect(missingShards([context()])).toEqual([]);
  });
});

describe('report --merge of a sharded run', () => {
  let dir: string;
  let partial: ReturnType<typeof readReport>;
  let whole: ReturnType<typeof readReport>;

  beforeAll(async () => {
    dir = tempDir('merge-shards');
    const scenario = writeScenario(dir, defaultScenario());
    await Promise.all([1, 2].map((i) => runFixture(path.join(dir, `shard-${i}`), scenario, ['--shard', `${i}/2`])));
    cpSync(path.join(dir, 'shard-1', 'blob'), path.join(dir, 'one', 'blob-1'), { recursive: true });
    for (const i of [1, 2]) cpSync(path.join(dir, `shard-${i}`, 'blob'), path.join(dir, 'both', `blob-${i}`), { recursive: true });
    const [one, both] = await Promise.all([runFixture(path.join(dir, 'merged-one'), scenario, ['--merge', path.join(dir, 'one')]), runFixture(path.join(dir, 'merged-both'), scenario, ['--merge', path.join(dir, 'both')])]);
    expect(one.code, one.stderr).toBe(1);
    expect(both.code, both.stderr).not.toBe(3);
    partial = readReport(one.outDir);
    whole = readReport(both.outDir);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails the gate of a merge without shard 2 of 2, naming it', () => {
    expect(partial.gate.passed).toBe(false);
    expect(partial.gate.reasons).toContain('shard 2/2 is missing: give report --merge the blob folder of every shard');
  });

  it('says nothing of shards when every one is there', () => {
    expect(whole.gate.reasons.filter((r) => /shard/.test(r))).toEqual([]);
  });
});
