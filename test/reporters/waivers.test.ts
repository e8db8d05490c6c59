// Waivers: known failures pass the gate until their date; new failures, expired waivers and waivers that are
// no longer needed fail it.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyWaiver, loadWaivers, parseWaivers, unmatchedWaivers, WaiverFileError, type Waiver } from '../../src/outcome/waivers.ts';
import { CheckFailure, settleCheck } from '../../src/suite/settle.ts';
import type { CheckMeta } from '../../src/model.ts';
import { defaultScenario, metaOf, type Scenario } from '../fixtures/reports/scenario.ts';
import { readReport, runFixture, tempDir, writeScenario } from './fixture-run.ts';

const NOW = new Date('2025-06-15T12:00:00Z');
const waiver = (check: string, expires: string, product = check.split('/')[0]): Waiver => ({ product, check, reason: 'GT-123 alias not published', expires, file: 'waivers.yaml', line: 1 });

describe('parseWaivers', () => {
  it('reads a YAML list', () => {
    const text = '- product: alpha\n  check: alpha/embeddings/works\n  reason: "GT-123"\n  expires: 2025-07-01\n';
    expect(parseWaivers(text, 'w.yaml')).toEqual([{ product: 'alpha', check: 'alpha/embeddings/works', reason: 'GT-123', expires: '2025-07-01', file: 'w.yaml', line: 1 }]);
  });

  it('reads JSON and a map with a waivers list', () => {
    expect(parseWaivers('[{"product":"cross-cutting","check":"cross-cutting/chat/malformed-json","reason":"r","expires":"2025-01-01"}]', 'w.json')).toHaveLength(1);
    expect(parseWaivers('waivers:\n  - {product: a, check: a/chat/works, reason: r, expires: 2025-01-01}\n', 'w.yaml')[0].check).toBe('a/chat/works');
  });

  it.each([
    ['- product: alpha\n  check: alpha/chat/works\n  reason: r\n  expires: 01/07/2025\n', 'w.yaml:4:12: [0].expires: "01/07/2025" is not a date YYYY-MM-DD'],
    ['- product: alpha\n  check: alpha/chat/works\n  expires: 2025-07-01\n', 'w.yaml:1:3: [0].reason: is required'],
    ['- product: alpha\n  check: beta/chat/works\n  reason: r\n  expires: 2025-07-01\n', 'w.yaml:2:10: [0].check: "beta/chat/works" is not a check of product "alpha" (check ids start with "alpha/")'],
    ['- product: alpha\n  check: alpha/chat/works\n  reason: r\n  expires: 2025-07-01\n  owner: me\n', 'w.yaml:5:3: [0].owner: unknown field; a waiver has product, check, reason, expires'],
    ['- {product: a, check: a/x/y, reason: r, expires: 2025-01-01}\n- {product: a, check: a/x/y, reason: s, expires: 2025-01-02}\n', 'w.yaml:2:3: [1]: a second waiver for a/x/y (the first is on line 1)'],
    ['product: a\n', 'w.yaml:1:1: expected a list of waivers or a map with a "waivers" list'],
    ['- [unclosed\n', 'w.yaml:2:1:'],
  ])('rejects a bad file with one positioned line (%#)', (text, message) => {
    let error: unknown;
    try {
      parseWaivers(text, 'w.yaml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WaiverFileError);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });

  it('says which file cannot be read', () => {
    expect(() => loadWaivers('/nonexistent/waivers.yaml')).toThrow('/nonexistent/waivers.yaml: cannot read the waiver file: ENOENT');
  });
});

describe('applyWaiver', () => {
  const failed = { product: 'alpha', checkId: 'alpha/embeddings/works', outcome: 'failed' as const, message: 'expected 200, got 404' };

  it('leaves a failure without a waiver failing', () => {
    expect(applyWaiver([waiver('alpha/chat/works', '2025-07-01')], failed, NOW)).toEqual({ outcome: 'failed', fail: true, message: 'expected 200, got 404' });
  });

  it('turns a failure with a live waiver into waived, through the last day of the waiver', () => {
    const lastDay = new Date('2025-07-01T23:59:59Z');
    const result = applyWaiver([waiver('alpha/embeddings/works', '2025-07-01')], failed, lastDay);
    expect(result).toMatchObject({ outcome: 'waived', fail: false, waiver: { expires: '2025-07-01' } });
    expect(result.message).toBe('waived until 2025-07-01 (GT-123 alias not published): expected 200, got 404');
  });

  it('fails a failure whose waiver has expired', () => {
    const result = applyWaiver([waiver('alpha/embeddings/works', '2025-06-14')], failed, NOW);
    expect(result).toMatchObject({ outcome: 'failed', fail: true });
    expect(result.message).toBe('waiver expired on 2025-06-14 (waivers.yaml:1): expected 200, got 404');
  });

  it('fails a waived check that now passes, and says to remove the waiver', () => {
    const result = applyWaiver([waiver('alpha/embeddings/works', '2025-07-01')], { ...failed, outcome: 'passed', message: 'ok' }, NOW);
    expect(result).toMatchObject({ outcome: 'failed', fail: true });
    expect(result.message).toBe('waiver for alpha/embeddings/works is no longer needed: the check passes; remove it from waivers.yaml:1');
  });

  it('matches cross-cutting checks by the product "cross-cutting"', () => {
    const result = applyWaiver([waiver('cross-cutting/chat/unknown-key', '2025-07-01', 'cross-cutting')], { checkId: 'cross-cutting/chat/unknown-key', outcome: 'failed', message: 'echoed' }, NOW);
    expect(result.outcome).toBe('waived');
  });

  it('keeps blocked and skipped checks as they are', () => {
    expect(applyWaiver([waiver('alpha/embeddings/works', '2025-07-01')], { ...failed, outcome: 'blocked' }, NOW)).toMatchObject({ outcome: 'blocked', fail: false });
  });

  it('finds waivers naming a check the plan lacks on a product and route it covers', () => {
    const planned = new Set(['alpha/chat/works', 'alpha/chat/denied-without-scope']);
    const stale = unmatchedWaivers([waiver('alpha/chat/workz', '2025-07-01'), waiver('alpha/chat/works', '2025-07-01'), waiver('beta/chat/works', '2025-07-01')], planned);
    expect(stale.map((w) => w.check)).toEqual(['alpha/chat/workz']);
  });
});

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
