// Waivers in a check's test and in a whole run: known failures pass the gate until their date; new failures,
// expired waivers and waivers that are no longer needed fail it. The waiver file and applyWaiver alone:
// test/outcome/waivers.test.ts.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Waiver } from '../../src/outcome/waivers.ts';
import { CheckFailure, settleCheck } from '../../src/suite/settle.ts';
import type { CheckMeta } from '../../src/model.ts';
import { defaultScenario, metaOf, type Scenario } from '../fixtures/reports/scenario.ts';
import { readReport, runFixture, tempDir, writeScenario } from './fixture-run.ts';

const NOW = new Date('2025-06-15T12:00:00Z');
const waiver = (check: string, expires: string, product = check.split('/')[0]): Waiver => ({ product, check, reason: 'GT-123 alias not published', expires, file: 'waivers.yaml', line: 1 });

describe('settleCheck', () => {
  const scenario = defaultScenario();
  const meta = (id: string): CheckMeta => metaOf(scenario.checks.find((c) => c.check.id === id)!);
  const ctx = () => {
    const skipped: string[] = [];
    return {
      task: { meta: {} } as { meta: { gt?: CheckMeta } },
      skip: ((note?: string) => {
        skipped.push(note ?? '');
        throw new Error('skipped');
      }) as never,
      skipped,
    };
  };

  it('fails the test of a new failure', async () => {
    const c = ctx();
    await expect(settleCheck(c as never, meta('alpha/embeddings/works'), { waivers: [], now: NOW })).rejects.toBeInstanceOf(CheckFailure);
    expect(c.task.meta.gt?.outcome).toBe('failed');
  });

  it('passes the test of a waived failure and records the waiver', async () => {
    const c = ctx();
    await settleCheck(c as never, meta('alpha/embeddings/works'), { waivers: [waiver('alpha/embeddings/works', '2025-07-01')], now: NOW });
    expect(c.task.meta.gt).toMatchObject({ outcome: 'waived', waiver: { reason: 'GT-123 alias not published', expires: '2025-07-01' } });
  });

  it('fails on an expired waiver and on a waiver that is no longer needed', async () => {
    await expect(settleCheck(ctx() as never, meta('alpha/embeddings/works'), { waivers: [waiver('alpha/embeddings/works', '2025-06-01')], now: NOW })).rejects.toThrow('waiver expired on 2025-06-01');
    await expect(settleCheck(ctx() as never, meta('alpha/models/works'), { waivers: [waiver('alpha/models/works', '2025-07-01')], now: NOW })).rejects.toThrow(
      'waiver for alpha/models/works is no longer needed: the check passes; remove it from waivers.yaml:1',
    );
  });

  it('skips blocked checks with the reason, and masks secrets in what it records', async () => {
    const c = ctx();
    await expect(settleCheck(c as never, meta('alpha/embeddings/denied-without-scope'), { waivers: [] })).rejects.toThrow('skipped');
    expect(c.skipped).toEqual(['blocked: blocked: the embeddings alias probe failed']);
    const d = ctx();
    await settleCheck(d as never, meta('alpha/models/works'), { waivers: [], secrets: scenario.secrets });
    expect(JSON.stringify(d.task.meta.gt)).not.toContain(scenario.secrets[0]);
    expect(JSON.stringify(d.task.meta.gt)).toContain('gtak_****WXYZ');
  });
});

// The same, end to end: the run's exit code and its report.
describe('a run with waivers', () => {
  let dir: string;
  let scenarioFile: string;
  const small = (): Scenario => {
    const s = defaultScenario();
    const keep = ['alpha/models/works', 'alpha/embeddings/works'];
    const checks = s.checks.filter((c) => keep.includes(c.check.id));
    return { ...s, checks, context: { ...s.context, findings: [], checks: checks.map((c) => c.check) } };
  };
  const waiverFile = (name: string, entries: Array<[string, string]>) => {
    const file = path.join(dir, name);
    writeFileSync(file, entries.map(([check, expires]) => `- product: alpha\n  check: ${check}\n  reason: known\n  expires: ${expires}\n`).join(''));
    return file;
  };

  beforeAll(() => {
    dir = tempDir('waivers');
    scenarioFile = writeScenario(dir, small());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails on a new failure, passes with a live waiver, fails on an expired one and on one no longer needed', async () => {
    const live = waiverFile('live.yaml', [['alpha/embeddings/works', '2999-12-31']]);
    const stale = waiverFile('stale.yaml', [['alpha/embeddings/works', '2000-01-01'], ['alpha/models/works', '2999-12-31']]);
    const [none, waived, failing] = await Promise.all([
      runFixture(path.join(dir, 'none'), scenarioFile),
      runFixture(path.join(dir, 'live'), scenarioFile, ['--waivers', live]),
      runFixture(path.join(dir, 'stale'), scenarioFile, ['--waivers', stale]),
    ]);
    expect(none.code).toBe(1);
    expect(readReport(none.outDir).checks.find((c) => c.id === 'alpha/embeddings/works')!.outcome).toBe('failed');

    expect(waived.code).toBe(0);
    const report = readReport(waived.outDir);
    expect(report.gate).toMatchObject({ passed: true, waivers: live });
    expect(report.counts).toMatchObject({ waived: 1, passed: 1, failed: 0 });

    expect(failing.code).toBe(1);
    const checks = readReport(failing.outDir).checks;
    expect(checks.find((c) => c.id === 'alpha/embeddings/works')!.message).toMatch(/^waiver expired on 2000-01-01 \(.*stale\.yaml:1\): expected 200, got 404/);
    expect(checks.find((c) => c.id === 'alpha/models/works')).toMatchObject({ outcome: 'failed', message: `waiver for alpha/models/works is no longer needed: the check passes; remove it from ${stale}:5` });
    expect(failing.stdout + failing.stderr).not.toContain('no longer needed: the check passes; remove it from waivers');
  });
});
