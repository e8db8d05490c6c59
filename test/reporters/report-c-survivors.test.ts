// What the mutation run of src/report part c (docs/testing.md, "The fifth session") found untested in
// markdown.ts, baseline.ts and curl.ts, each expected value written out by hand from the module's comments:
// conformance-report.md's lists at exactly their bounds (50 of a kind, 20 reproductions), its keys section;
// a baseline's problems positioned at the field they are about, and a baseline larger than a few bytes;
// the curl commands' patterns at their anchors, and the reproduction of a check of the embedded tenant.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/model.ts';
import { loadBaseline } from '../../src/report/baseline.ts';
import { curlCommand, parseMultipartRecord, reproduction } from '../../src/report/curl.ts';
import type { ConformanceReport, ReportFinding } from '../../src/report/report-model.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { handReport, handCheck } from './hand-report.ts';

const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const lines = (md: string) => md.split('\n');
/** A check of product p on route r, named `p › r › ID` */
const routeCheck = (id: string, outcome: 'failed' | 'waived' | 'blocked') => handCheck(id, { product: 'p', route: 'r', outcome, message: 'm' });

describe('conformance-report.md at its bounds', () => {
  it('lists 50 of a kind whole, without a "… and" line', () => {
    const blocked = numbered('b/', 50).map((id) => routeCheck(id, 'blocked'));
    const ids = numbered('i/', 50);
    const created = numbered('f', 50).map((id) => ({ object: 'file' as const, id, route: 'POST /v1/files', checks: [] }));
    const md = renderMarkdown(
      handReport(blocked, {
        comparison: { baseline: { file: 'b.json' }, new_failures: ids, fixed: ids, still_failing: ids, new_checks: ids, removed_checks: ids },
        created,
        errors: ids,
      }),
    );
    expect(md).not.toContain('… and');
    expect(lines(md).filter((l) => /^- \*\*p › r › b\/\d+\*\* \(`b\/\d+`\): m$/.test(l))).toHaveLength(50);
    // new failures, fixed, still failing, new and removed checks
    expect(lines(md).filter((l) => /^- `i\/\d+`$/.test(l))).toHaveLength(5 * 50);
    expect(lines(md).filter((l) => /^- file `f\d+` \(POST \/v1\/files\)$/.test(l))).toHaveLength(50);
    expect(lines(md).filter((l) => /^- i\/\d+$/.test(l))).toHaveLength(50);
  });

  it('lists 50 of 51 new failures, failed, waived checks, findings, created objects and errors, and counts the rest', () => {
    const failed = numbered('x/', 51).map((id) => routeCheck(id, 'failed'));
    const waived = numbered('w/', 51).map((id) => routeCheck(id, 'waived'));
    const created = numbered('f', 51).map((id) => ({ object: 'file' as const, id, route: 'POST /v1/files', checks: [] }));
    const md = renderMarkdown(handReport([...failed, ...waived], { comparison: { baseline: { file: 'b.json' }, new_failures: failed.map((c) => c.id), fixed: [], still_failing: [], new_checks: [], removed_checks: [] }, created, errors: numbered('e', 51) }));
    expect(md).toContain('### Failed (51)');
    expect(md).toContain('### Waived (51)');
    expect(lines(md).filter((l) => l === '- … and 1 more: see conformance-report.html')).toHaveLength(2);
    expect(md).toContain('- **p › r › x/50** (`x/50`): m\n- … and 1 more: see conformance-report.json (comparison.new_failures)');
    expect(md).toContain('- file `f50` (POST /v1/files)\n- … and 1 more: see conformance-report.json (created)');
    expect(md).not.toContain('`w/51`');
    expect(md).not.toContain('`f51`');
    expect(md).toContain('- e50\n');
    expect(md).not.toContain('- e51');
  });

  it('lists at most 50 runbook findings of each source, and 50 skip reasons', () => {
    const findingChecks = numbered('fc/', 51).map((id) => handCheck(id, { group: 'finding', product: 'p', outcome: 'runbook_defect', message: id }));
    const findings: ReportFinding[] = numbered('g', 51).map((file) => ({ product: 'q', file, message: 'bad', outcome: 'runbook_defect' }));
    const product = { id: 'q', product: 'Q', file: 'q.yaml', digest: 'd', compatibility: 'c', category: 'k', preset: 'p', driver: 'http', outcome: 'failed', counts: {}, routes: [], validation: [], findings, checks: [] } as unknown as ConformanceReport['products'][number];
    const md = renderMarkdown(handReport(findingChecks, { products: [product], keyCoverage: { keys: [], skipped: numbered('reason ', 51).map((reason) => ({ reason, checks: ['c'] })) } }));
    expect(md).toContain('### Runbook findings (102)');
    expect(md).toContain('- p (runbook defect): fc/50\n- g1: bad');
    expect(md).not.toContain('fc/51');
    expect(md).toContain('- g50: bad\n\n');
    expect(md).not.toContain('- g51');
    expect(md.endsWith('- skipped (1): reason 50\n')).toBe(true);
    expect(md).not.toContain('reason 51');
  });

  it('reproduces exactly 20 failed checks without a "… and" line', () => {
    const exchange = { label: 'l', request: { method: 'GET', url: 'https://gt.example/v1/models', headers: {} }, startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1 };
    const failed = numbered('x/', 20).map((id) => handCheck(id, { outcome: 'failed', exchanges: [exchange] }));
    const md = renderMarkdown(handReport(failed));
    expect(lines(md).filter((l) => l.startsWith('<details><summary>'))).toHaveLength(20);
    expect(md).not.toContain('… and');
  });
});

describe('conformance-report.md, its words', () => {
  it("writes a backtick of an id in a code span as '", () => {
    expect(renderMarkdown(handReport([handCheck('a`b', { product: 'p', route: 'r', outcome: 'failed', message: 'm' })]))).toContain('- **p › r › a&#96;b** (`a\'b`): m');
  });

  it('counts the reproductions past 20 in a line of its own', () => {
    const exchange = { label: 'l', request: { method: 'GET', url: 'https://gt.example/v1/models', headers: {} }, startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1 };
    const md = renderMarkdown(handReport(numbered('x/', 22).map((id) => handCheck(id, { outcome: 'failed', exchanges: [exchange] }))));
    // the last section here: the count line, then the blank line that ends the section
    expect(md.endsWith('\n\n… and 2 more: see conformance-report.html\n')).toBe(true);
  });
});

describe("conformance-report.md's keys section", () => {
  it('none without keys or skips; the idle keys and the uses comma-separated; no skip list without skips', () => {
    expect(renderMarkdown(handReport([], { keyCoverage: { keys: [], skipped: [] } }))).not.toContain('### Keys');
    const idle = (key: string) => ({ key, purpose: 'inference' as const, checks: 0, routes: [], serves: [] });
    const md = renderMarkdown(
      handReport([], {
        keyCoverage: {
          keys: [{ key: 'k1', purpose: 'inference', checks: 4, routes: [], serves: [{ kind: 'works', routes: [], checks: 3 }, { kind: 'auth', routes: [], checks: 1 }] }, idle('k2'), idle('k3')],
          skipped: [],
        },
      }),
    );
    expect(md.slice(md.indexOf('### Keys'))).toBe(
      [
        '### Keys',
        '',
        'Serve nothing in this run: `k2`, `k3`',
        '',
        '<details><summary>What each key serves</summary>',
        '',
        '| key | preset | purpose | checks | serves |',
        '|---|---|---|---:|---|',
        '| k1 |  | inference | 4 | works 3, auth 1 |',
        '| k2 |  | inference | 0 | nothing |',
        '| k3 |  | inference | 0 | nothing |',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  it('the skips alone make the section', () => {
    const md = renderMarkdown(handReport([], { keyCoverage: { keys: [], skipped: [{ reason: 'no key', checks: ['a'] }] } }));
    expect(md.slice(md.indexOf('### Keys'))).toBe(['### Keys', '', '<details><summary>What each key serves</summary>', '', '| key | preset | purpose | checks | serves |', '|---|---|---|---:|---|', '', '</details>', '', '- skipped (1): no key', ''].join('\n'));
  });
});

describe('a baseline', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-report-c-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };

  it("places a problem at the field it is about: the harness, a check's outcome", () => {
    const harness = file('harness.json', '{"checks": [],\n "harness": {"name": "x"}}');
    expect(() => loadBaseline(harness)).toThrow(`${harness}:2:13: --baseline: not a conformance report (no harness.name "gt-conformance"); want the conformance-report.json an earlier gt-conformance run wrote`);
    const outcome = file('outcome.json', '{"harness": {"name": "gt-conformance"}, "schemaVersion": 1, "checks": [\n{"id": "a",\n "outcome": "nope"}]}');
    expect(() => loadBaseline(outcome)).toThrow(`${outcome}:3:13: --baseline: check a: unknown outcome "nope"`);
  });

  it('not an object is at 1:1, wherever its value starts', () => {
    const list = file('list.json', '\n  []');
    expect(() => loadBaseline(list)).toThrow(`${list}:1:1: --baseline: not a conformance report (not a JSON object)`);
  });

  it('past 16 MiB, a problem is placed at 1:1 (not worth a YAML parse)', () => {
    const big = file('huge.json', `{"pad": "${'x'.repeat(16 * 1024 * 1024)}",\n "harness": {"name": "x"}}`);
    expect(() => loadBaseline(big)).toThrow(`${big}:1:1: --baseline: not a conformance report (no harness.name "gt-conformance")`);
  });

  it('of a few KiB is read whole', () => {
    const checks = numbered('product/route/check-', 100).map((id) => ({ id, outcome: 'passed' }));
    const big = file('big.json', JSON.stringify({ schemaVersion: 1, harness: { name: 'gt-conformance' }, checks }, null, 2));
    expect(loadBaseline(big).checks).toHaveLength(100);
  });
});

describe('curl commands', () => {
  const url = 'https://gt.example/api/tenant/v1/chat/completions';
  const C = ' \\\n  ';
  const ex = (method: string, headers: Record<string, string> = {}, body?: string): Exchange => ({ label: 'l', request: { method, url, headers, ...(body !== undefined ? { body } : {}) }, startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1 });

  it('quotes a method that is not all capitals, wherever the capitals are', () => {
    expect(curlCommand(ex('a;B'))).toBe(`curl -i -X 'a;B' '${url}'`);
    expect(curlCommand(ex('B;a'))).toBe(`curl -i -X 'B;a' '${url}'`);
  });

  it('streams for "stream":true without spaces', () => {
    expect(curlCommand(ex('POST', {}, '{"stream":true}'))).toBe(`curl -i -N '${url}'${C}--data-raw '{"stream":true}'`);
  });

  it('takes the scheme only from the start of the authorization value', () => {
    expect(curlCommand(ex('GET', { authorization: 'gtak_x y' }), { keyEnv: 'K' })).toBe(`curl -i '${url}'${C}-H "Authorization: Bearer $K"`);
  });

  it('an unrecorded body is one that is only "<N bytes TYPE>"', () => {
    expect(curlCommand(ex('POST', {}, 'x <3 bytes a/b>'))).toBe(`curl -i '${url}'${C}--data-raw 'x <3 bytes a/b>'`);
    expect(curlCommand(ex('POST', {}, '<3 bytes a/b> y'))).toBe(`curl -i '${url}'${C}--data-raw '<3 bytes a/b> y'`);
  });

  it("gives a part's type only when it is a whole TYPE/SUBTYPE", () => {
    expect(curlCommand(ex('POST', { 'content-type': 'multipart/form-data' }, 'file=tone.wav <9 bytes my audio/wav>'))).toBe(`curl -i '${url}'${C}-F 'file=@fixtures/files/tone.wav'`);
  });

  it('a multipart record only under a content type that starts with multipart/', () => {
    expect(curlCommand(ex('POST', { 'content-type': 'application/vnd.multipart/x' }, 'a="b"'))).toBe(`curl -i '${url}'${C}-H 'content-type: application/vnd.multipart/x'${C}--data-raw 'a="b"'`);
    expect(curlCommand(ex('POST', { 'content-type': 'text/plain' }, 'a="b"'))).toBe(`curl -i '${url}'${C}-H 'content-type: text/plain'${C}--data-raw 'a="b"'`);
  });

  it('a multipart request keeps its other headers, and notes a stand-in when any one part has one', () => {
    expect(curlCommand(ex('POST', { 'content-type': 'multipart/form-data', 'X-Trace': 't' }, 'file=tone.wav <9 bytes audio/wav>; doc=notes.pdf <9 bytes application/pdf>'))).toBe(
      `# the uploaded file is a stand-in from fixtures/files/ (run from the gt-conformance folder)\ncurl -i '${url}'${C}-H 'X-Trace: t'${C}-F 'file=@fixtures/files/tone.wav;type=audio/wav'${C}-F 'doc=@fixtures/files/undecodable.pdf;filename=notes.pdf;type=application/pdf'`,
    );
  });

  it('a multipart request without a body is sent bodiless; a part named with a path never names the file sent', () => {
    expect(curlCommand(ex('POST', { 'content-type': 'multipart/form-data' }))).toBe(`curl -i -X POST '${url}'${C}-H 'content-type: multipart/form-data'`);
    expect(curlCommand(ex('POST', { 'content-type': 'multipart/form-data' }, 'd=../files/brief.txt <9 bytes text/plain>'))).toBe(
      `# the uploaded file is a stand-in from fixtures/files/ (run from the gt-conformance folder)\ncurl -i '${url}'${C}-F 'd=@fixtures/files/brief.txt;type=text/plain'`,
    );
  });

  it('a multipart record: parts only separated by "; ", names only at the start of a part', () => {
    expect(parseMultipartRecord('a="x"XYb="c"')).toBeUndefined();
    expect(parseMultipartRecord(';;aa=f <1 bytes t/x>')).toBeUndefined();
  });

  it('reproduces a check of the embedded tenant against gt-conformance mock, with how to start it', () => {
    const failed = handCheck('a/models/works', { outcome: 'failed', keyEnv: 'GT_KEY_A', exchanges: [{ ...ex('GET'), request: { method: 'GET', url: 'http://127.0.0.1:40123/api/tenant/v1/models', headers: {} } }] });
    expect(reproduction(failed, { target: { kind: 'embedded', host: '127.0.0.1:40123' } })).toBe(
      "# against the embedded tenant: start gt-conformance mock --export-keys gt-keys.env (it listens on http://127.0.0.1:8787), then . ./gt-keys.env here\ncurl -i 'http://127.0.0.1:8787/api/tenant/v1/models'",
    );
  });
});
