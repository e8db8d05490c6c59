// The harness is sharp (each defect fails exactly the checks that probe it) and tolerant (open points).
import { describe, expect, it } from 'vitest';
import { DEFECTS } from '../../src/tenant/index.ts';
import { expectedDefects } from '../../src/selftest/expectations.ts';
import { runSelftest, type SelftestReport } from '../../src/selftest/selftest.ts';
import { runDirect } from '../../src/run/direct.ts';
import { productFiles } from '../fixtures/products.ts';

// The fixed copies of the shipped runbooks: a runbook added to runbooks/ changes no outcome here
// (test/layouts/extra-runbook.test.ts shows the expectations hold for one).
const runbookFiles = productFiles();

describe('mutation run: every defect of the embedded tenant alone', () => {
  let report: SelftestReport;

  it('passes every check against the clean tenant and the tolerant one', async () => {
    report = await runSelftest(undefined, undefined, { runbookFiles });
    expect(report.clean.failed.map((f) => f.checkId)).toEqual([]);
    expect(report.tolerant.failed.map((f) => f.checkId)).toEqual([]);
  }, 900_000); // a guard only: 42 in-process runs, about 40 s on a quiet machine, several minutes beside CPU hogs

  it('proves every check kind: some caught defect fails checks of that kind', () => {
    expect(report.kinds.length).toBeGreaterThan(25);
    expect(report.kinds.filter((k) => k.provenBy.length === 0).map((k) => k.kind)).toEqual([]);
    expect(report.kinds.find((k) => k.kind === 'revoked-key-fails-closed')?.provenBy).toContain('revoked-key-accepted');
    expect(report.proven).toBe(report.kinds.length);
  });

  it('has, for every defect, a check kind meant to catch it', () => {
    expect(expectedDefects()).toEqual(DEFECTS.map((d) => d.id).sort());
  });

  it.each(DEFECTS.map((d) => d.id))('%s fails the run, and only the checks that probe it', (defect) => {
    const row = report.rows.find((r) => r.defect === defect)!;
    expect(row.failed.length, 'the run must fail').toBeGreaterThan(0);
    expect(row.unexpected, 'checks that failed but do not probe this defect').toEqual([]);
    expect(row.missed, 'checks that probe this defect but passed').toEqual([]);
  });
});

describe('the strict profile', () => {
  it('flags the tolerant tenant where it made the other allowed choice, and passes the clean one', async () => {
    const [tolerant, clean] = await Promise.all([runDirect({ profile: 'tolerant', processingMs: 150 }, { strict: true, runbookFiles }), runDirect({ processingMs: 150 }, { strict: true, runbookFiles })]);
    const flagged = tolerant.results.filter((r) => r.outcome === 'failed');
    expect(flagged.length).toBeGreaterThan(10);
    expect(flagged.every((r) => /strict: /.test(r.message))).toBe(true);
    expect(flagged.some((r) => /answered 422 where 400 is the default/.test(r.message))).toBe(true);
    expect(flagged.some((r) => /answered 404 where 403 is the default/.test(r.message))).toBe(true);
    expect(clean.results.filter((r) => r.outcome === 'failed')).toEqual([]);
  });
});
