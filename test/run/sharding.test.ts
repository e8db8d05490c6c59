// A run split in three vitest shards and merged gives the conformance report of one run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gtConformance, readReport } from './cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'gt-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gt-conformance run --shard i/n and report --merge', () => {
  it('merges three shards into the outcomes and counts of a single run with the same seed', async () => {
    const single = path.join(dir, 'single');
    const shards = path.join(dir, 'shards');
    const merged = path.join(dir, 'merged');
    const runs = await Promise.all([
      gtConformance(['run', '--seed', '11', '--out', single, '--defect', 'models-leak']),
      ...[1, 2, 3].map((i) => gtConformance(['run', '--seed', '11', '--shard', `${i}/3`, '--out', path.join(shards, `s${i}`), '--defect', 'models-leak'])),
    ]);
    expect(runs[0].code).toBe(1);
    const merge = await gtConformance(['report', '--merge', shards, '--out', merged]);
    expect(merge.code).toBe(1); // the defect fails the merged run as it fails the single one
    const one = readReport(single);
    const all = readReport(merged);
    expect(all.counts).toEqual(one.counts);
    const outcomes = (r: ReturnType<typeof readReport>) => Object.fromEntries(r.checks.map((c) => [c.id, c.outcome]));
    expect(outcomes(all)).toEqual(outcomes(one));
    expect(one.counts.failed).toBeGreaterThan(0);
  }, 300_000);
});
