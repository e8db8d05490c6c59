// The harness never deletes or overwrites a file it did not write: its output folders carry a marker, a
// non-empty folder without it is refused, and in a marked folder only the harness's own files are replaced.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimOutDir, clearOwnedAnew, OUT_DIR_MARKER, outDirProblem } from '../../src/report/out-dir.ts';
import { writeReports } from '../../src/report/write.ts';
import { reportReporters, ALLURE_RESULTS_DIR } from '../../reporters/run-reporters.ts';
import { recordFileProblem } from '../../src/tenant/record.ts';
import { buildReport, type TestRun } from '../../src/report/build.ts';
import { defaultScenario, metaOf } from '../fixtures/reports/scenario.ts';
import { projectRoot } from '../../src/paths.ts';
import { cliInProcess } from './in-process.ts';

const root = path.join(os.tmpdir(), `gt-out-dir-${process.pid}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A fresh folder holding the given files (name → text). */
function folder(files: Record<string, string> = {}): string {
  const dir = path.join(root, `f${++n}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => [path.relative(dir, path.join(e.parentPath, e.name)), readFileSync(path.join(e.parentPath, e.name), 'utf8')]));

function report() {
  const scenario = defaultScenario();
  const tests: TestRun[] = scenario.checks.filter((c) => c.outcome).map((c) => ({ name: c.check.title, meta: metaOf(c), state: 'passed', errors: [] }));
  return buildReport({ context: scenario.context, tests, routeCatalog: [], now: new Date('2025-01-01T01:00:00Z') });
}

describe('claimOutDir', () => {
  it('creates a new folder, or takes an empty one, and marks it', () => {
    const fresh = path.join(folder(), 'a', 'b');
    expect(claimOutDir(fresh)).toBe(fresh);
    expect(readdirSync(fresh)).toEqual([OUT_DIR_MARKER]);
    const empty = folder();
    claimOutDir(empty);
    expect(readdirSync(empty)).toEqual([OUT_DIR_MARKER]);
  });

  it('takes a marked folder whatever else it holds', () => {
    const marked = folder({ [OUT_DIR_MARKER]: 'x', 'notes.txt': 'mine' });
    expect(outDirProblem(marked)).toBeUndefined();
  });

  it('refuses a folder of other files, a file, and an empty value, one line each saying what to do', () => {
    const theirs = folder({ 'notes.txt': 'mine', 'thesis.tex': 'mine', 'a/b.txt': 'mine', 'z.txt': 'mine' });
    expect(() => claimOutDir(theirs)).toThrow(
      `--out ${theirs}: the folder holds files gt-conformance did not write (a, notes.txt, thesis.tex, … (4 entries)), and it never deletes or overwrites those; give a new or empty folder, or one gt-conformance wrote before (it holds ${OUT_DIR_MARKER})`,
    );
    expect(existsSync(path.join(theirs, OUT_DIR_MARKER))).toBe(false);
    const file = path.join(folder({ 'f.txt': 'mine' }), 'f.txt');
    expect(() => claimOutDir(file, '--allure-out')).toThrow(`--allure-out ${file}: is a file, not a folder; give a folder for the files gt-conformance writes`);
    expect(() => claimOutDir(path.join(file, 'sub'))).toThrow(`--out ${path.join(file, 'sub')}: cannot use the folder: a part of the path is a file, not a folder`);
    expect(() => claimOutDir('')).toThrow('--out needs a folder, got an empty value');
  });

  it('clearOwnedAnew removes only the names the harness writes there', () => {
    const dir = folder({ [OUT_DIR_MARKER]: 'x', 'sub/old-result.json': 'stale', 'sub/keep.txt': 'mine' });
    clearOwnedAnew(dir, 'sub', (name) => name.endsWith('-result.json'));
    expect(snapshot(path.join(dir, 'sub'))).toEqual({ 'keep.txt': 'mine' });
  });
});

describe('the writers go through it', () => {
  it('writeReports refuses a folder of other files and leaves it as it was', () => {
    const theirs = folder({ 'junit.xml': 'their junit', 'conformance-report.json': 'theirs' });
    const before = snapshot(theirs);
    expect(() => writeReports(report(), theirs, {})).toThrow(/the folder holds files gt-conformance did not write \(conformance-report\.json, junit\.xml\)/);
    expect(snapshot(theirs)).toEqual(before);
  });

  it('writeReports replaces its own files in a marked folder, and nothing else', () => {
    const dir = folder();
    writeReports(report(), dir, {});
    writeFileSync(path.join(dir, 'mine.txt'), 'mine');
    writeReports(report(), dir, {});
    expect(Object.keys(snapshot(dir)).sort()).toEqual([OUT_DIR_MARKER, 'conformance-report.html', 'conformance-report.json', 'conformance-report.md', 'evidence.har', 'junit.xml', 'mine.txt']);
    expect(readFileSync(path.join(dir, 'mine.txt'), 'utf8')).toBe('mine');
  });

  it("a run's reporters clear stale Allure results, and only those, before the run", () => {
    const stale = '0a3f2c1e-1111-4222-8333-944455556666';
    const dir = folder({ [OUT_DIR_MARKER]: 'x', [`${ALLURE_RESULTS_DIR}/${stale}-result.json`]: '{}', [`${ALLURE_RESULTS_DIR}/${stale}-attachment.txt`]: 't', [`${ALLURE_RESULTS_DIR}/categories.json`]: '[]', [`${ALLURE_RESULTS_DIR}/README.md`]: 'mine' });
    reportReporters({ outDir: dir });
    expect(snapshot(path.join(dir, ALLURE_RESULTS_DIR))).toEqual({ 'README.md': 'mine' });
    const theirs = folder({ [`${ALLURE_RESULTS_DIR}/${stale}-result.json`]: 'someone else’s' });
    expect(() => reportReporters({ outDir: theirs })).toThrow(/the folder holds files gt-conformance did not write \(allure-results\)/);
    expect(snapshot(theirs)).toEqual({ [`${ALLURE_RESULTS_DIR}/${stale}-result.json`]: 'someone else’s' });
  });
});

describe('mock --record appends only to a recording', () => {
  const entry = JSON.stringify({ at: '2025-01-01T00:00:00.000Z', method: 'GET', path: '/api/tenant/v1/models', headers: {}, status: 200, response: { bytes: 2 }, durationMs: 1 });
  it('takes a new file, an empty one and a recording', () => {
    const dir = folder({ 'empty.jsonl': '', 'rec.jsonl': `${entry}\n${entry}\n` });
    for (const name of ['new.jsonl', 'empty.jsonl', 'rec.jsonl']) expect(recordFileProblem(path.join(dir, name)), name).toBeUndefined();
  });
  it('refuses any other file, and a folder', () => {
    const dir = folder({ 'notes.md': '# notes\n', 'json.jsonl': '{"a":1}\n', 'cut.jsonl': `${entry}\n{"at":` });
    for (const name of ['notes.md', 'json.jsonl', 'cut.jsonl'])
      expect(recordFileProblem(path.join(dir, name)), name).toBe('exists and is not a recording written by mock --record; give a new file name (the harness appends only to its own recordings)');
    expect(recordFileProblem(dir)).toBe('is a folder; give a file name for the recording');
  });
});


describe('the command line: one line, exit 2, nothing touched', () => {
  it('run --out with a folder of other files, with a file, and empty', async () => {
    const theirs = folder({ 'notes.txt': 'mine' });
    const file = path.join(theirs, 'notes.txt');
    // the smallest run, should the folder ever be taken by mistake
    const small = ['--product', 'dify', '--route', 'models', '--verdict', 'native'];
    for (const [out, line] of [
      [theirs, `gt-conformance run: --out ${theirs}: the folder holds files gt-conformance did not write (notes.txt), and it never deletes or overwrites those;`],
      [file, `gt-conformance run: --out ${file}: is a file, not a folder; give a folder for the files gt-conformance writes`],
      ['', 'gt-conformance run: --out needs a value, got an empty one'],
    ]) {
      const { code, err } = await cliInProcess(['run', ...small, '--out', out]);
      expect(code).toBe(2);
      expect(err).toEqual([expect.stringContaining(line)]);
    }
    expect(snapshot(theirs)).toEqual({ 'notes.txt': 'mine' });
  });

  it('run --out under /proc, where no folder can be made: one line, exit 2', async () => {
    // In a child with a deadline of its own: Node 20's recursive mkdir looped forever there (the harness now
    // makes each level itself), and in process that loop would hang the suite instead of failing this test.
    const { code, stderr } = await new Promise<{ code: number | string | null | undefined; stderr: string }>((resolve) =>
      execFile(process.execPath, [path.join(projectRoot, 'bin', 'gt-conformance.js'), 'run', '--product', 'dify', '--route', 'models', '--verdict', 'native', '--out', '/proc/gt-conformance-out'], { cwd: projectRoot, timeout: 300_000 }, (err, _out, stderr) =>
        resolve({ code: err ? err.code : 0, stderr }),
      ),
    );
    expect(code).toBe(2);
    expect(stderr.trim().split('\n').at(-1)).toBe('gt-conformance run: --out /proc/gt-conformance-out: cannot create the folder: ENOENT');
  });

  it('report --allure-out and report --merge --out refuse a folder of other files before they start', async () => {
    const theirs = folder({ 'index.html': 'their page' });
    const results = folder({ [OUT_DIR_MARKER]: 'x', [`${ALLURE_RESULTS_DIR}/0a3f2c1e-1111-4222-8333-944455556666-result.json`]: '{}' });
    const allure = await cliInProcess(['report', '--allure', '--out', results, '--allure-out', theirs]);
    expect(allure.code).toBe(2);
    expect(allure.err).toEqual([expect.stringContaining(`gt-conformance report: --allure-out ${theirs}: the folder holds files gt-conformance did not write (index.html)`)]);
    const merge = await cliInProcess(['report', '--merge', results, '--out', theirs]);
    expect(merge.code).toBe(2);
    expect(merge.err).toEqual([expect.stringContaining(`gt-conformance report: --out ${theirs}: the folder holds files gt-conformance did not write (index.html)`)]);
    expect(snapshot(theirs)).toEqual({ 'index.html': 'their page' });
  });
});
