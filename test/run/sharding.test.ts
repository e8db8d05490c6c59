// A run split in three vitest shards and merged gives the conformance report of one run. The merge holds for any
// set of checks, so the run is two fixture products on two routes (the whole matrix is other tests' job). The shards
// and the merge are the command line's; the one run they are compared with is the same run in this process
// (runDirect: the same plan, tenant defect and seed), whose outcomes do not depend on a process of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDirect } from '../../src/run/direct.ts';
import { gtConformance, readReport } from './cli.ts';
import { productFiles } from '../fixtures/products.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'gt-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCOPE = ['--seed', '11', '--defect', 'models-leak', '--product', 'dify', '--product', 'librechat', '--route', 'models', '--route', 'chat', '--fuzz', '0', ...productFiles()];

/**
 * What that run is, counted by hand from the two runbooks and the cross-cutting kinds of models and chat:
 * - rows: models and chat of each product, a works and a denial each; models-leak fails both models/works (2 failed, 2 passed, 4 denied)
 * - the manual checklist items: dify's two and librechat's one (3 manual; the machine items go with --route)
 * - models: no, malformed, unknown and revoked key, and the upload key (5 denied); the lowercase bearer (1 passed)
 * - chat: the four keys, a model off the allowlist, another family's and an unknown conversation (7 denied);
 *   malformed JSON and a missing field (2 passed); the negative group, which --fuzz 0 turns off (1 skipped)
 */
const COUNTS = { passed: 5, denied_as_expected: 16, failed: 2, blocked: 0, not_run: 0, not_exercised: 0, skipped: 1, waived: 0, manual: 3, runbook_defect: 0, total: 27 };

describe('gt-conformance run --shard i/n and report --merge', () => {
  it('merges three shards into the outcomes and counts of a single run with the same seed', async () => {
    const shards = path.join(dir, 'shards');
    const merged = path.join(dir, 'merged');
    const [one, ...runs] = await Promise.all([
      runDirect({ defects: ['models-leak'] }, { products: ['dify', 'librechat'], routes: ['models', 'chat'], fuzz: 0, runbookFiles: productFiles() }, 11),
      ...[1, 2, 3].map((i) => gtConformance(['run', '--shard', `${i}/3`, '--out', path.join(shards, `s${i}`), ...SCOPE])),
    ]);
    for (const run of runs) expect([0, 1], run.stderr).toContain(run.code); // a shard fails when it holds a failed check
    const merge = await gtConformance(['report', '--merge', shards, '--out', merged]);
    expect(merge.code, merge.stderr).toBe(1); // the defect fails the merged run as it fails the single one
    const all = readReport(merged);
    expect(all.counts).toEqual(COUNTS);
    const outcomes = Object.fromEntries(all.checks.map((c) => [c.id, c.outcome]));
    expect(outcomes).toEqual(Object.fromEntries(one.results.map((r) => [r.checkId, r.outcome])));
    expect(Object.entries(outcomes).filter(([, o]) => o === 'failed').map(([id]) => id).sort()).toEqual(['dify/models/works', 'librechat/models/works']);
  });
});
