// --baseline and --gate regressions: reading a baseline (every bad one is one positioned line, exit 2, before
// anything is sent), the comparison, the gate made in src/outcome/verdict.ts, and both through the reporters
// of a run and of a merge of shards.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithBaseline, failedIn, loadBaseline, type Baseline } from '../../src/report/baseline.ts';
import { newFailures, parseGateMode, runVerdict } from '../../src/outcome/verdict.ts';
import { UsageError } from '../../src/input/usage-error.ts';
import { defaultScenario } from '../fixtures/reports/scenario.ts';
import { readReport, runCli, runFixture, tempDir, writeScenario, type FixtureRun } from './fixture-run.ts';

let dir: string;
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const report = (checks: Array<{ id: string; outcome: string }>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ schemaVersion: 1, harness: { name: 'gt-conformance', version: '0.1.0' }, startedAt: '2025-01-01T00:00:00.000Z', checks, ...extra }, null, 2);

beforeAll(() => {
  dir = tempDir('baseline');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadBaseline', () => {
  const problem = (file: string) => {
    try {
      loadBaseline(file);
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      return (err as Error).message;
    }
    throw new Error(`${file} was taken as a baseline`);
  };

  it('reads the ids and outcomes of an earlier report', () => {
    const file = write('ok.json', report([{ id: 'a/models/works', outcome: 'failed' }, { id: 'b', outcome: 'passed' }]));
    expect(loadBaseline(file)).toEqual({ file, startedAt: '2025-01-01T00:00:00.000Z', harnessVersion: '0.1.0', checks: [{ id: 'a/models/works', outcome: 'failed' }, { id: 'b', outcome: 'passed' }] });
  });

  it('refuses a missing file and a folder in one line that names the flag', () => {
    expect(problem(path.join(dir, 'missing.json'))).toBe(`${path.join(dir, 'missing.json')}: --baseline: file not found`);
    expect(problem(dir)).toBe(`${dir}: --baseline: is a folder, not a file`);
  });

  it('puts a JSON syntax error at its line and column, whatever V8 says of it', () => {
    expect(problem(write('comma.json', '{\n  "a": 1,\n}'))).toMatch(/comma\.json:3:1: --baseline: not JSON \(.*\); want the conformance-report\.json/);
    // an HTML error page a CI download saved instead of the report: V8 gives context, not a position
    expect(problem(write('page.json', '\n\n   <!DOCTYPE html><html><body>404</body></html>'))).toMatch(/page\.json:3:4: --baseline: not JSON/);
    // a report cut short by an interrupted upload
    expect(problem(write('cut.json', '{"schemaVersion": 1,\n"checks": ['))).toMatch(/cut\.json:2:12: --baseline: not JSON/);
  });

  it('refuses JSON that is not a report, at the field that says so', () => {
    expect(problem(write('array.json', '[1, 2]'))).toMatch(/array\.json:1:1: --baseline: not a conformance report \(not a JSON object\)/);
    expect(problem(write('other.json', '{\n  "harness": {"name": "other"},\n  "checks": []\n}'))).toMatch(/other\.json:2:14: --baseline: not a conformance report \(no harness.name "gt-conformance"\)/);
    expect(problem(write('v2.json', '{"harness": {"name": "gt-conformance"},\n "schemaVersion": 2, "checks": []}'))).toMatch(/v2\.json:2:19: --baseline: a report of schemaVersion 2, but this harness reads schemaVersion 1/);
    const bad = write('outcome.json', report([{ id: 'a', outcome: 'passed' }, { id: 'b', outcome: 'sort of' }]));
    const lines = readFileSync(bad, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('"sort of"'));
    expect(problem(bad)).toBe(`${bad}:${line + 1}:${lines[line].indexOf('"sort of"') + 1}: --baseline: check b: unknown outcome "sort of"`);
  });
});

describe('the comparison and the gate', () => {
  const baseline: Baseline = {
    file: 'base.json',
    checks: [
      { id: 'still', outcome: 'failed' },
      { id: 'fixed', outcome: 'failed' },
      { id: 'was-fine', outcome: 'passed' },
      { id: 'unknown-now', outcome: 'failed' },
      { id: 'gone', outcome: 'passed' },
    ],
  };
  const now = [
    { id: 'still', outcome: 'failed' as const, message: 'x' },
    { id: 'fixed', outcome: 'passed' as const, message: '' },
    { id: 'was-fine', outcome: 'failed' as const, message: 'y' },
    { id: 'unknown-now', outcome: 'skipped' as const, message: 'not run in this shard' },
    { id: 'brand-new', outcome: 'failed' as const, message: 'z' },
  ];

  it('sorts every check id into new failures, fixed, still failing, new and removed', () => {
    expect(compareWithBaseline(now, baseline)).toEqual({
      baseline: { file: 'base.json' },
      new_failures: ['was-fine', 'brand-new'],
      fixed: ['fixed'],
      still_failing: ['still'],
      new_checks: ['brand-new'],
      removed_checks: ['gone'],
    });
  });

  it('--gate regressions fails only on new failures; the default fails on any', () => {
    const baselineFailed = failedIn(baseline);
    expect(newFailures(now, baselineFailed).map((c) => c.id)).toEqual(['was-fine', 'brand-new']);
    expect(runVerdict({ checks: now, baselineFailed })).toEqual({ passed: false, reasons: ['3 checks failed'] });
    expect(runVerdict({ checks: now, gate: 'regressions', baselineFailed })).toEqual({ passed: false, reasons: ['2 new failures against the baseline'] });
    const onlyOld = now.filter((c) => c.id === 'still' || c.id === 'fixed');
    expect(runVerdict({ checks: onlyOld, gate: 'regressions', baselineFailed })).toEqual({ passed: true, reasons: [] });
    // without a baseline every failure is new
    expect(runVerdict({ checks: onlyOld, gate: 'regressions' })).toEqual({ passed: false, reasons: ['1 new failure against the baseline'] });
  });

  it('a run stopped early, a run error and a gate problem fail it whichever the gate', () => {
    const stopped = [{ id: 'a', outcome: 'not_run' as const, message: 'not run: the request budget of 10 requests was spent' }];
    expect(runVerdict({ checks: stopped, gate: 'regressions' })).toEqual({ passed: false, reasons: ['1 check not run: the request budget of 10 requests was spent'] });
    expect(runVerdict({ checks: [], gate: 'regressions', problems: ['shard 2/2 is missing'], errors: ['boom'] }).reasons).toEqual(['shard 2/2 is missing', '1 run error']);
  });

  it('takes --gate any or regressions, and says so for anything else', () => {
    expect(parseGateMode('regressions')).toBe('regressions');
    expect(parseGateMode(undefined)).toBeUndefined();
    expect(() => parseGateMode('new')).toThrow('--gate must be any (every failed check fails the run) or regressions (only new failures against --baseline), got "new"');
  });
});

describe('on the command line', () => {
  it('run refuses a bad baseline with one positioned line and exit 2, before a folder is made or a request sent', async () => {
    const out = path.join(dir, 'never');
    const bad = write('bad.json', '{"schemaVersion": 1,\n  "checks": [}');
    const run = await runCli(['run', '--baseline', bad, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(new RegExp(`^${bad}:2:14: --baseline: not JSON`)), 'gt-conformance run: 1 input problem; nothing was sent']);
    expect(existsSync(out)).toBe(false);
    expect(run.stdout).toBe('');
  });

  it('report takes --baseline and --gate with --merge only, and checks the file before merging', async () => {
    const alone = await runCli(['report', '--baseline', 'x.json']);
    expect([alone.code, alone.stderr.trim()]).toEqual([2, 'gt-conformance report: --waivers, --fail-on-findings, --baseline, --gate and --certify go with --merge (a run takes them directly)']);
    const missing = await runCli(['report', '--merge', dir, '--baseline', path.join(dir, 'nope.json'), '--gate', 'regressions', '--out', path.join(dir, 'merged-never')]);
    expect([missing.code, missing.stderr.trim()]).toEqual([2, `gt-conformance report: ${path.join(dir, 'nope.json')}: --baseline: file not found`]);
  });
});

describe('through the reporters', () => {
  let single: FixtureRun;
  let merged: FixtureRun;
  const scenario = defaultScenario();
  const failing = scenario.checks.filter((c) => c.outcome === 'failed').map((c) => c.check.id);

  beforeAll(async () => {
    expect(failing).toContain('alpha/chat/works');
    expect(failing).toHaveLength(3);
    const scenarioFile = writeScenario(dir, scenario);
    const ids = scenario.checks.map((c) => c.check.id);
    // every failure known before, one check that no longer exists, one that is new
    const known = write('known.json', report([...ids.filter((id) => id !== 'alpha/models/works').map((id) => ({ id, outcome: failing.includes(id) ? 'failed' : 'passed' })), { id: 'alpha/speech/works', outcome: 'passed' }]));
    // alpha/chat/works passed before: a regression
    const regressed = write('regressed.json', report(ids.map((id) => ({ id, outcome: failing.includes(id) && id !== 'alpha/chat/works' ? 'failed' : 'passed' }))));
    // one shard of one is the whole run as a blob: what a merge job downloads
    const shard = await runFixture(path.join(dir, 'shard'), scenarioFile, ['--shard', '1/1']);
    cpSync(path.join(shard.outDir, 'blob'), path.join(dir, 'artifacts', 'blob-1'), { recursive: true });
    [single, merged] = await Promise.all([
      runFixture(path.join(dir, 'single'), scenarioFile, ['--baseline', known, '--gate', 'regressions']),
      runFixture(path.join(dir, 'merged'), scenarioFile, ['--merge', path.join(dir, 'artifacts'), '--baseline', regressed, '--gate', 'regressions']),
    ]);
  });

  it('a run whose failures all failed before passes --gate regressions, and its reports say what changed, first', () => {
    expect(single.code).toBe(0);
    const r = readReport(single.outDir);
    expect(r.gate).toMatchObject({ passed: true, mode: 'regressions', reasons: [] });
    expect(r.comparison).toMatchObject({ new_failures: [], fixed: [], new_checks: ['alpha/models/works'], removed_checks: ['alpha/speech/works'] });
    expect([...r.comparison!.still_failing].sort()).toEqual([...failing].sort());
    const md = readFileSync(path.join(single.outDir, 'conformance-report.md'), 'utf8');
    expect(md.indexOf('### Against the baseline')).toBeGreaterThan(0);
    expect(md.indexOf('### Against the baseline')).toBeLessThan(md.indexOf('| outcome | checks |'));
    expect(md).toContain('0 new failures, 0 fixed, 3 still failing, 1 new check, 1 removed');
    const html = readFileSync(path.join(single.outDir, 'conformance-report.html'), 'utf8');
    expect(html.indexOf('<section class="comparison" data-new="false">')).toBeGreaterThan(0);
    expect(html.indexOf('<section class="comparison"')).toBeLessThan(html.indexOf('<table class="matrix">'));
  });

  it('a merge with a baseline the run regressed against fails, naming the new failure', () => {
    expect(merged.code).toBe(1);
    const r = readReport(merged.outDir);
    expect(r.gate).toMatchObject({ passed: false, mode: 'regressions', reasons: ['1 new failure against the baseline'] });
    expect(r.comparison).toMatchObject({ new_failures: ['alpha/chat/works'], removed_checks: [], new_checks: [] });
    const md = readFileSync(path.join(merged.outDir, 'conformance-report.md'), 'utf8');
    expect(md).toMatch(/\*\*New failures \(1\)\*\*\n\n- \*\*alpha › chat \\\[native\\\] › POST \/v1\/chat\/completions works\*\* \(`alpha\/chat\/works`\)/);
  });
});
