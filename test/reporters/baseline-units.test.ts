// --baseline read and compared in-process (the command-line and reporter cases are baseline.test.ts's): every
// bad file is one UsageError line `FILE:LINE:COL: --baseline: what` (positions counted by hand below), and the
// comparison sorts check ids as src/report/baseline.ts's header comment says.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareWithBaseline, failedIn, loadBaseline } from '../../src/report/baseline.ts';
import { UsageError } from '../../src/input/usage-error.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-baseline-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const write = (text: string) => {
  const file = path.join(dir, `b${n++}.json`);
  writeFileSync(file, text);
  return file;
};
function problem(text: string): string {
  const file = write(text);
  try {
    loadBaseline(file);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message.slice(file.length);
  }
  throw new Error('taken as a baseline');
}
const GT = '"harness": {"name": "gt-conformance"}';

describe('loadBaseline, the position of a JSON error', () => {
  it('an unexpected token, with and without context before it', () => {
    expect(problem('{"a": x}')).toMatch(/^:1:7: --baseline: not JSON \(Unexpected token/);
    expect(problem('{\n  "aaaaaaaaaaaaaaaaaaaa": 1,\n  "b": x\n}')).toMatch(/^:3:8: --baseline: not JSON/);
  });

  it('the end of the text for a cut document, the position V8 gives otherwise', () => {
    expect(problem('{\n"a": ')).toMatch(/^:2:6: --baseline: not JSON \(Unexpected end of JSON input\); want the conformance-report.json an earlier gt-conformance run wrote$/);
    expect(problem('{"a": 1}\n  x')).toMatch(/^:2:3: --baseline: not JSON/);
    expect(problem('{"a": 1}x')).toMatch(/^:1:9: --baseline: not JSON/);
  });
});

describe('loadBaseline, a document that is not a report', () => {
  it('null, a string and an array are not objects (at 1:1)', () => {
    for (const text of ['null', '"report"', '[]']) expect(problem(text), text).toBe(':1:1: --baseline: not a conformance report (not a JSON object); want the conformance-report.json an earlier gt-conformance run wrote');
  });

  it('a harness without the name, a missing schemaVersion, checks that are not a list', () => {
    expect(problem('{"checks": []}')).toBe(':1:1: --baseline: not a conformance report (no harness.name "gt-conformance"); want the conformance-report.json an earlier gt-conformance run wrote');
    expect(problem(`{${GT}, "checks": []}`)).toBe(':1:1: --baseline: a report of schemaVersion undefined, but this harness reads schemaVersion 1');
    expect(problem(`{${GT}, "schemaVersion": "1", "checks": []}`)).toBe(':1:58: --baseline: a report of schemaVersion "1", but this harness reads schemaVersion 1');
    expect(problem(`{${GT}, "schemaVersion": 1,\n "checks": {}}`)).toBe(':2:12: --baseline: not a conformance report (no checks list); want the conformance-report.json an earlier gt-conformance run wrote');
  });

  it('a check without an id, with an empty one, or that is not an object', () => {
    const head = `{${GT}, "schemaVersion": 1, "checks": [\n`;
    expect(problem(`${head}{"id": "a", "outcome": "passed"},\n{"outcome": "passed"}]}`)).toBe(':3:1: --baseline: a check without an id');
    expect(problem(`${head}{"id": "", "outcome": "passed"}]}`)).toBe(':2:1: --baseline: a check without an id');
    expect(problem(`${head}null]}`)).toBe(':2:1: --baseline: a check without an id');
    expect(problem(`${head}{"id": "a"}]}`)).toMatch(/^:2:1: --baseline: check a: unknown outcome undefined$/);
  });
});

describe('loadBaseline, a report', () => {
  it('keeps the start and the harness version only when they are text', () => {
    const file = write(`{"harness": {"name": "gt-conformance", "version": 2}, "schemaVersion": 1, "startedAt": 5, "checks": [{"id": "a", "outcome": "failed", "extra": 1}]}`);
    expect(loadBaseline(file)).toStrictEqual({ file, checks: [{ id: 'a', outcome: 'failed' }] });
    const full = write(`{"harness": {"name": "gt-conformance", "version": "1.0"}, "schemaVersion": 1, "startedAt": "2025-01-01T00:00:00Z", "checks": []}`);
    expect(loadBaseline(full)).toStrictEqual({ file: full, startedAt: '2025-01-01T00:00:00Z', harnessVersion: '1.0', checks: [] });
  });

  it('names the flag in a missing file', () => {
    const missing = path.join(dir, 'nope.json');
    expect(() => loadBaseline(missing)).toThrow(new UsageError(`${missing}: --baseline: file not found`));
  });
});

describe('failedIn and compareWithBaseline', () => {
  const baseline = {
    file: 'base.json',
    checks: [
      { id: 'fixed', outcome: 'failed' as const },
      { id: 'fixed-denied', outcome: 'failed' as const },
      { id: 'still', outcome: 'failed' as const },
      { id: 'was-failing-now-skipped', outcome: 'failed' as const },
      { id: 'regressed', outcome: 'passed' as const },
      { id: 'gone', outcome: 'failed' as const },
      { id: 'same', outcome: 'passed' as const },
    ],
  };
  const now = [
    { id: 'fixed', outcome: 'passed' as const },
    { id: 'fixed-denied', outcome: 'denied_as_expected' as const },
    { id: 'still', outcome: 'failed' as const },
    { id: 'was-failing-now-skipped', outcome: 'skipped' as const },
    { id: 'regressed', outcome: 'failed' as const },
    { id: 'same', outcome: 'passed' as const },
    { id: 'brand-new', outcome: 'failed' as const },
    { id: 'brand-new-ok', outcome: 'waived' as const },
  ];

  it('failedIn: the ids that failed, none without a baseline', () => {
    expect([...failedIn(baseline)]).toEqual(['fixed', 'fixed-denied', 'still', 'was-failing-now-skipped', 'gone']);
    expect(failedIn(undefined).size).toBe(0);
  });

  it('sorts the ids; a check that failed before and did not run now is in no failure list', () => {
    expect(compareWithBaseline(now, baseline)).toStrictEqual({
      baseline: { file: 'base.json' },
      new_failures: ['regressed', 'brand-new'],
      fixed: ['fixed', 'fixed-denied'],
      still_failing: ['still'],
      new_checks: ['brand-new', 'brand-new-ok'],
      removed_checks: ['gone'],
    });
  });

  it("names the baseline's start and harness version when it has them", () => {
    expect(compareWithBaseline([], { file: 'b.json', startedAt: '2025-01-01T00:00:00Z', harnessVersion: '1.0', checks: [] }).baseline).toStrictEqual({ file: 'b.json', startedAt: '2025-01-01T00:00:00Z', harnessVersion: '1.0' });
  });
});
