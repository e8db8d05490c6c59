// src/report/write.ts: the five report files under their names (docs/reports.md's folder listing), each as its
// format has it (the JSON indented by two, the HAR by one, both with a last newline), every one scrubbed of
// key tokens, the Markdown appended to GITHUB_STEP_SUMMARY, and nothing written for a report its schema refuses.
// Each test makes a temporary folder and removes it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REPORT_FILES, writeReports } from '../../src/report/write.ts';
import { OUT_DIR_MARKER } from '../../src/report/out-dir.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import type { ConformanceReport } from '../../src/report/report-model.ts';
import { handCheck, handCounts, handReport } from './hand-report.ts';
import { inTempDir } from './temp-dir.ts';

const DIGEST = 'ab'.repeat(32);
const TOKEN = 'gtak_live_0123456789abcdefXYZ';

/** A report of one passed check with one exchange; `said` is what the tenant answered, in the check's message and body and in a run error. */
function report(said?: string): ConformanceReport {
  const check = handCheck('a/models/works', {
    product: 'a',
    route: 'models',
    message: said ?? 'all good',
    exchanges: [{ label: 'list', request: { method: 'GET', url: 'https://gt.example/api/tenant/v1/models', headers: {} }, response: { status: 200, headers: {}, bytes: 2, body: said ?? '[]' }, startedAt: '2025-01-01T00:00:00.500Z', durationMs: 3 }],
  });
  return handReport([check], { contract: { digest: DIGEST }, counts: handCounts({ passed: 1, total: 1 }), ...(said ? { errors: [said] } : {}) });
}

const inTemp = (test: (dir: string) => void) => inTempDir('write-units', test);

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('writeReports', () => {
  it('names the five files as docs/reports.md lists them', () => {
    expect(REPORT_FILES).toStrictEqual({ json: 'conformance-report.json', markdown: 'conformance-report.md', html: 'conformance-report.html', junit: 'junit.xml', har: 'evidence.har' });
  });

  it('writes them into a folder it creates and marks, and returns their paths (no step summary without one)', () => {
    inTemp((dir) => {
      const out = path.join(dir, 'out');
      const written = writeReports(report(), out, {});
      expect(written).toStrictEqual({
        json: path.join(out, 'conformance-report.json'),
        markdown: path.join(out, 'conformance-report.md'),
        html: path.join(out, 'conformance-report.html'),
        junit: path.join(out, 'junit.xml'),
        har: path.join(out, 'evidence.har'),
      });
      expect(readdirSync(out).sort()).toStrictEqual([OUT_DIR_MARKER, 'conformance-report.html', 'conformance-report.json', 'conformance-report.md', 'evidence.har', 'junit.xml']);
    });
  });

  it('writes each format: JSON indented by two, Markdown, HTML, JUnit XML, HAR indented by one', () => {
    inTemp((dir) => {
      const r = report();
      const written = writeReports(r, dir, {});
      const json = readFileSync(written.json, 'utf8');
      expect(json.startsWith('{\n  "schemaVersion": 1,\n  "harness": {\n    "name": "gt-conformance",')).toBe(true);
      expect(json.endsWith('\n  "errors": []\n}\n')).toBe(true);
      expect(JSON.parse(json)).toStrictEqual(r);
      expect(readFileSync(written.markdown, 'utf8')).toBe(renderMarkdown(r));
      expect(readFileSync(written.markdown, 'utf8').startsWith('## GT conformance: PASSED\n')).toBe(true);
      expect(readFileSync(written.html, 'utf8').startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
      expect(readFileSync(written.junit, 'utf8').startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
      const har = readFileSync(written.har, 'utf8');
      expect(har.startsWith('{\n "log": {\n  "version": "1.2",')).toBe(true);
      expect(har.endsWith('\n }\n}\n')).toBe(true);
      expect(JSON.parse(har).log.entries[0].request.url).toBe('https://gt.example/api/tenant/v1/models');
    });
  });

  it('masks a key token in every file it writes and in the step summary, the Markdown too (which escapes its underscores)', () => {
    inTemp((dir) => {
      const summary = path.join(dir, 'summary.md');
      const written = writeReports(report(`the tenant echoed ${TOKEN}`), path.join(dir, 'out'), { GITHUB_STEP_SUMMARY: summary });
      for (const file of [written.json, written.markdown, written.html, written.junit, written.har, summary]) {
        const text = readFileSync(file, 'utf8');
        expect(text, file).toContain('the tenant echoed');
        expect(text, file).not.toContain('0123456789abcdef');
      }
    });
  });

  it('appends the Markdown and a newline to the CI step summary, after what is there, and says where', () => {
    inTemp((dir) => {
      const summary = path.join(dir, 'summary.md');
      writeFileSync(summary, 'earlier step\n');
      const r = report();
      const written = writeReports(r, path.join(dir, 'out'), { GITHUB_STEP_SUMMARY: summary });
      expect(written.stepSummary).toBe(summary);
      expect(readFileSync(summary, 'utf8')).toBe(`earlier step\n${renderMarkdown(r)}\n`);
    });
  });

  it("reads GITHUB_STEP_SUMMARY from the process's environment by default, and leaves an empty one alone", () => {
    inTemp((dir) => {
      const summary = path.join(dir, 'summary.md');
      vi.stubEnv('GITHUB_STEP_SUMMARY', summary);
      expect(writeReports(report(), path.join(dir, 'a')).stepSummary).toBe(summary);
      expect(existsSync(summary)).toBe(true);
      vi.stubEnv('GITHUB_STEP_SUMMARY', '');
      expect('stepSummary' in writeReports(report(), path.join(dir, 'b'))).toBe(false);
    });
  });

  it('writes nothing, not even the folder, for a report its schema refuses', () => {
    inTemp((dir) => {
      const out = path.join(dir, 'out');
      const bad = { ...report(), contract: { digest: 'not-a-digest' } };
      expect(() => writeReports(bad, out, {})).toThrow('the conformance report does not match its schema: /contract/digest: must match pattern');
      expect(existsSync(out)).toBe(false);
    });
  });

  it('refuses a folder of other files and leaves it as it was', () => {
    inTemp((dir) => {
      writeFileSync(path.join(dir, 'keep.txt'), 'x');
      expect(() => writeReports(report(), dir, {})).toThrow('the folder holds files gt-conformance did not write (keep.txt)');
      expect(readdirSync(dir)).toStrictEqual(['keep.txt']);
    });
  });
});
