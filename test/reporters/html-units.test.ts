// conformance-report.html as text, without a browser: the sections docs/reports.md ("conformance-report.html")
// names, in order (header with the gate, target, seed, requests and the negative group; the comparison; the
// counts; the products × routes matrix with a cross-cutting row; the evidence panels under it; the failed checks
// linking to their cells; checklists and findings; keys; run errors; runbooks), every run value escaped, and a
// Content-Security-Policy whose hashes are those of the page's own style and script. Every expected fragment
// is written out by hand from src/report/html.ts's templates and the words of names.ts and summary.ts.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/model.ts';
import type { ConformanceReport, ReportProduct } from '../../src/report/report-model.ts';
import { esc, renderHtml } from '../../src/report/html.ts';
import { handCheck, handCounts, handReport } from './hand-report.ts';

const LIST: Exchange = {
  label: 'list',
  request: { method: 'GET', url: 'https://gt.example/api/tenant/v1/models?x=1', headers: { accept: 'application/json' } },
  response: { status: 200, headers: { 'content-type': 'application/json' }, bytes: 2, body: '[]' },
  startedAt: '2025-01-01T00:00:00.100Z',
  durationMs: 7,
};

const CHAT: Exchange = {
  label: 'chat',
  request: { method: 'POST', url: 'https://gt.example/api/tenant/v1/chat/completions', headers: {}, body: '{"stream":true}' },
  response: { status: 500, headers: {}, bytes: 4, body: 'oops' },
  startedAt: '2025-01-01T00:00:00.200Z',
  durationMs: 9,
};

function alpha(): ReportProduct {
  return {
    id: 'a',
    product: 'Alpha <A>',
    file: 'runbooks/a.yaml',
    digest: 'da',
    compatibility: 'Native OpenAI-compatible',
    category: 'SDK and HTTP',
    preset: 'inference',
    driver: 'http',
    outcome: 'failed',
    counts: handCounts({ passed: 1, failed: 1, not_run: 1 }),
    routes: [
      { route: 'models', verdict: 'native', outcome: 'passed', checks: ['a/models/works'] },
      { route: 'chat', verdict: 'gt_extension', outcome: 'failed', checks: ['a/chat/works', 'a/chat/missing-id', 'not/in/report'] },
      { route: 'speech', outcome: 'none', checks: [] },
      { route: 'images', verdict: 'not_supported', outcome: 'none', checks: [] },
    ],
    validation: [
      { text: 'lists models', check: 'models.list', checkId: 'a/models/works', outcome: 'passed', message: '' },
      { text: 'someone reads the docs', outcome: 'manual', message: '' },
      { text: 'a person checks', checkId: 'a/manual/x', outcome: 'manual', message: '' },
      { text: 'unknown check', checkId: 'not/in/report', outcome: 'not_run', message: '' },
    ],
    findings: [
      { product: 'a', file: 'runbooks/a.yaml', line: 4, message: 'no <model>', fix: 'add it', outcome: 'runbook_defect' },
      { product: 'a', file: 'g.yaml', message: 'worse', outcome: 'runbook_defect' },
    ],
    checks: ['a/models/works', 'a/chat/works', 'a/chat/missing-id', 'a/manual/x'],
  } as ReportProduct;
}

function beta(): ReportProduct {
  return {
    id: 'b',
    product: 'Beta',
    file: 'runbooks/b.yaml',
    digest: 'db',
    compatibility: 'OpenAI plus GT extensions',
    category: 'Workflow and builders',
    preset: 'chat',
    driver: 'langchain',
    outcome: 'runbook_defect',
    counts: handCounts({ runbook_defect: 1 }),
    routes: [],
    validation: [],
    findings: [{ product: 'b', file: 'b.yaml', message: 'shown by its check instead', outcome: 'runbook_defect' }],
    checks: ['b/finding/1'],
  } as ReportProduct;
}

/** A failed run of two products and the cross-cutting row, with every optional section. */
function fullReport(fields: Partial<ConformanceReport> = {}): ConformanceReport {
  const checks = [
    handCheck('a/models/works', { product: 'a', route: 'models', verdict: 'native', title: 'lists models', message: 'ok', keyPreset: 'inference', durationMs: 12, exchanges: [LIST] }),
    handCheck('a/chat/works', { product: 'a', route: 'chat', verdict: 'gt_extension', title: 'streams chat', severity: 'critical', outcome: 'failed', message: 'no [DONE] <b>', keyPreset: 'inference', keyEnv: 'GT_KEY_A', durationMs: 30, exchanges: [CHAT] }),
    handCheck('a/chat/missing-id', { product: 'a', route: 'chat', title: 'has an id', outcome: 'not_run', message: 'the run stopped', ran: false }),
    handCheck('a/manual/x', { product: 'a', group: 'validation', title: 'a person checks', outcome: 'manual' }),
    handCheck('b/finding/1', { product: 'b', group: 'finding', title: 'bad route', outcome: 'runbook_defect', message: 'R9 missing' }),
    handCheck('x/no-key', { route: 'chat', title: 'refuses no key', severity: 'critical', outcome: 'waived', message: 'known', durationMs: 0, waiver: { reason: 'known & tracked', expires: '2026-01-01' } }),
    handCheck('x/orphan', { title: 'orphan', outcome: 'failed', message: 'lost' }),
  ];
  return handReport(checks, {
    harness: { name: 'gt-conformance', version: '1.0.0' },
    contract: { digest: 'cafe' },
    runbooks: [
      { id: 'a', file: 'runbooks/a.yaml', digest: 'd1' },
      { id: 'b', file: 'runbooks/b&.yaml', digest: 'd2' },
    ],
    target: { kind: 'live', host: 'gt.example', defects: ['slow', 'flaky'] },
    seed: 3,
    gate: { passed: false, failOnFindings: false, reasons: ['2 checks failed', '1 run error'] },
    requests: { sent: 4, estimated: 5 },
    negative: { seed: 3, routes: 1, cases: 2, requests: 3 },
    routes: [{ id: 'models', number: 'R1', title: 'List models' }, { id: 'chat', number: 'R2' }, { id: 'speech' }],
    counts: handCounts({ passed: 1, failed: 2, not_run: 1, waived: 1, manual: 1, runbook_defect: 1, total: 7 }),
    products: [alpha(), beta()],
    crossCutting: { routes: [{ route: 'chat', verdict: 'native', outcome: 'waived', checks: ['x/no-key'] }], checks: ['x/no-key'] },
    errors: ['worker <crashed>'],
    ...fields,
  });
}

/** The text after the first `open` up to the next `close`. */
function between(html: string, open: string, close: string): string {
  const start = html.indexOf(open) + open.length;
  return html.slice(start, html.indexOf(close, start));
}
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

describe('esc', () => {
  it('escapes the five characters of markup, & first, everywhere in the text', () => {
    expect(esc(`<a href="x">&'</a> <b>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt; &lt;b&gt;');
    expect(esc('&lt;')).toBe('&amp;lt;');
    expect(esc(`""''&&`)).toBe('&quot;&quot;&#39;&#39;&amp;&amp;');
  });

  it('writes a number as its digits and undefined as nothing', () => {
    expect(esc(0)).toBe('0');
    expect(esc(12.5)).toBe('12.5');
    expect(esc(undefined)).toBe('');
  });
});

describe('renderHtml of a report with nothing in it', () => {
  it('is the whole page: head with the policy, header, counts, an empty matrix, empty panels, runbooks, script', () => {
    const html = renderHtml(handReport([], { counts: handCounts() }));
    const css = between(html, '<style>', '</style>');
    const script = between(html, '<script>', '</script>');
    const csp = `default-src 'none'; style-src 'sha256-${sha256(css)}'; script-src 'sha256-${sha256(script)}'; img-src data:; base-uri 'none'; form-action 'none'`;
    expect(html).toBe(
      [
        '<!doctype html>',
        '<html lang="en"><head><meta charset="utf-8">',
        `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<title>GT conformance: passed</title>',
        `<style>${css}</style>`,
        '</head><body>',
        '<header><h1>GT conformance report</h1>',
        '<p><span class="gate" data-passed="true">PASSED</span> </p>',
        '<p class="run">Target live <code>gt.example</code> · seed <code>1</code> · gt-conformance 1 · 2025-01-01T00:00:00.000Z to 2025-01-01T00:00:01.000Z<br>contract <code>c</code></p></header>',
        '',
        '<ul class="counts" aria-label="checks per outcome"><li data-outcome="none">total: <strong>0</strong></li></ul>',
        `<h2>Products × routes</h2><p class="hint">Each cell shows the product's verdict for the route and the outcome of its checks; click a cell for the checks and their HTTP exchanges.</p>`,
        '<div class="matrix-wrap"><table class="matrix"><colgroup><col class="product-col"></colgroup><thead><tr><th scope="col" class="product">product</th></tr></thead><tbody></tbody></table></div>',
        '<div id="details"></div>',
        '',
        '<h2>Checklists and findings</h2>',
        '',
        '',
        '',
        '<h2>Runbooks</h2><ul class="items"></ul>',
        `<script>${script}</script>`,
        '</body></html>',
        '',
      ].join('\n'),
    );
  });

  it("carries its own style (a colour per outcome, the sticky product column) and the script that opens a cell's panel", () => {
    const html = renderHtml(handReport([], { counts: handCounts() }));
    const css = between(html, '<style>', '</style>');
    expect(css.startsWith('\n:root { font-family: system-ui, sans-serif;')).toBe(true);
    expect(css).toContain('[data-outcome="failed"] { background: #ffcecb; color: #82071e; }');
    expect(css).toContain('.matrix th.product { position: sticky; left: 0; z-index: 1; background: #fff; }');
    expect(css).toContain('.keys tr[data-serves="none"] td { background: #fff8c5; }');
    const script = between(html, '<script>', '</script>');
    expect(script).toContain("document.querySelectorAll('section.detail').forEach(function (s) { s.hidden = s.id !== id; });");
    expect(script).toContain("history.replaceState(null, '', '#' + control.getAttribute('aria-controls'));");
    expect(script).toContain('if (location.hash.length > 1) open(location.hash.slice(1), true);');
  });
});

describe('renderHtml of a failed run with every section', () => {
  it('says FAILED with the reasons, and names the target, defects, seed, harness, times, contract, requests and negative cases', () => {
    const html = renderHtml(fullReport());
    expect(html).toContain('<title>GT conformance: failed</title>');
    expect(html).toContain('<p><span class="gate" data-passed="false">FAILED</span> 2 checks failed; 1 run error</p>');
    expect(html).toContain(
      '<p class="run">Target live <code>gt.example</code> with injected defects <code>slow, flaky</code> · seed <code>3</code> · gt-conformance 1.0.0 · ' +
        '2025-01-01T00:00:00.000Z to 2025-01-01T00:00:01.000Z<br>contract <code>cafe</code><br>4 requests sent (the plan estimated 5) · ' +
        'negative group: 2 generated cases on 1 route, 3 requests, seed 3 (replay with --seed 3)</p></header>',
    );
  });

  it('counts the checks per outcome in the order of the outcomes, leaving out the zeros', () => {
    expect(renderHtml(fullReport())).toContain(
      '<ul class="counts" aria-label="checks per outcome"><li data-outcome="passed">passed: <strong>1</strong></li><li data-outcome="failed">failed: <strong>2</strong></li>' +
        '<li data-outcome="not_run">not run: <strong>1</strong></li><li data-outcome="waived">waived: <strong>1</strong></li><li data-outcome="manual">manual: <strong>1</strong></li>' +
        '<li data-outcome="runbook_defect">runbook defect: <strong>1</strong></li><li data-outcome="none">total: <strong>7</strong></li></ul>',
    );
  });

  it('heads the matrix with a column per route: its number, id and title', () => {
    expect(renderHtml(fullReport())).toContain(
      '<div class="matrix-wrap"><table class="matrix"><colgroup><col class="product-col"><col><col><col></colgroup><thead><tr><th scope="col" class="product">product</th>' +
        '<th scope="col" data-route="models">R1 <span class="route-id">models</span><span class="sub">List models</span></th>' +
        '<th scope="col" data-route="chat">R2 <span class="route-id">chat</span></th>' +
        '<th scope="col" data-route="speech"> <span class="route-id">speech</span></th></tr></thead><tbody>',
    );
  });

  it("gives each product a row: name, id, compatibility, preset and result, then a cell per route (empty where the runbook is silent)", () => {
    const html = renderHtml(fullReport());
    expect(html).toContain(
      '<tr data-product="a"><th class="product" scope="row">Alpha &lt;A&gt;<span class="sub">a · Native OpenAI-compatible · preset inference</span><span class="result" data-outcome="failed">failed</span></th>' +
        '<td><button type="button" class="cell" data-outcome="passed" data-verdict="native" data-row="a" data-route="models" aria-controls="cell-1" aria-expanded="false" title="a › models: 1 check(s)"><span class="verdict">native</span><span class="outcome">passed</span></button></td>' +
        '<td><button type="button" class="cell" data-outcome="failed" data-verdict="gt_extension" data-row="a" data-route="chat" aria-controls="cell-2" aria-expanded="false" title="a › chat: 3 check(s)"><span class="verdict">GT extension</span><span class="outcome">failed</span></button></td>' +
        '<td class="empty"></td>' +
        '<td><button type="button" class="cell" data-outcome="none" data-verdict="not_supported" data-row="a" data-route="images" aria-controls="cell-3" aria-expanded="false" title="a › images: 0 check(s)"><span class="verdict">not supported</span><span class="outcome">no check</span></button></td></tr>',
    );
    expect(html).toContain('<tr data-product="b"><th class="product" scope="row">Beta<span class="sub">b · OpenAI plus GT extensions · preset chat</span><span class="result" data-outcome="passed">passed, with 1 finding</span></th></tr>');
  });

  it('ends the matrix with the cross-cutting row, whose cells show no verdict', () => {
    expect(renderHtml(fullReport())).toContain(
      '<tr data-product="cross-cutting"><th class="product" scope="row">cross-cutting<span class="sub">every key, every route</span></th>' +
        '<td><button type="button" class="cell" data-outcome="waived" data-verdict="native" data-row="cross-cutting" data-route="chat" aria-controls="cell-4" aria-expanded="false" title="cross-cutting › chat: 1 check(s)"><span class="outcome">waived</span></button></td></tr></tbody></table></div>',
    );
  });

  it('has no cross-cutting row when no check is cross-cutting', () => {
    const html = renderHtml(fullReport({ crossCutting: { routes: [{ route: 'chat', outcome: 'passed', checks: [] }], checks: [] } }));
    expect(html).not.toContain('data-product="cross-cutting"');
    expect(html).not.toContain('every key, every route');
  });

  it("puts a hidden panel for each cell and each evidence link right under the matrix, each with its checks", () => {
    const html = renderHtml(fullReport());
    const panels = between(html, '<div id="details">', '</div>\n');
    expect(panels.match(/<section class="detail" id="[^"]+"/g)).toStrictEqual(
      ['cell-1', 'cell-2', 'cell-3', 'cell-4', 'item-5', 'item-6'].map((id) => `<section class="detail" id="${id}"`),
    );
    expect(panels).toContain('<section class="detail" id="cell-1" tabindex="-1" hidden data-outcome-of="passed"><h3>a › models [native]: passed</h3><article class="check" data-outcome="passed" data-check="a/models/works">');
    expect(panels).toContain('<section class="detail" id="cell-2" tabindex="-1" hidden data-outcome-of="failed"><h3>a › chat [GT extension]: failed</h3><article class="check" data-outcome="failed" data-check="a/chat/works">');
    expect(panels).toContain('<section class="detail" id="cell-3" tabindex="-1" hidden data-outcome-of="none"><h3>a › images [not supported]: no check</h3><p>No check ran for this cell.</p></section>');
    expect(panels).toContain('<section class="detail" id="cell-4" tabindex="-1" hidden data-outcome-of="waived"><h3>cross-cutting › chat [native]: waived</h3><article class="check" data-outcome="waived" data-check="x/no-key">');
    expect(panels).toContain('<section class="detail" id="item-5" tabindex="-1" hidden data-outcome-of="passed"><h3>a › checklist: lists models</h3><article class="check" data-outcome="passed" data-check="a/models/works">');
    expect(panels).toContain('<section class="detail" id="item-6" tabindex="-1" hidden data-outcome-of="runbook_defect"><h3>b › finding: bad route</h3><article class="check" data-outcome="runbook_defect" data-check="b/finding/1">');
    expect(panels.split('data-check="a/chat/missing-id"')).toHaveLength(2);
  });

  it('shows a passed check with its facts, message and closed exchange transcript', () => {
    expect(renderHtml(fullReport())).toContain(
      '<article class="check" data-outcome="passed" data-check="a/models/works"><h4><span class="badge" data-outcome="passed">passed</span> lists models</h4>' +
        '<p class="facts"><code>a/models/works</code> · severity normal · key preset <code>inference</code> · 12 ms</p><p class="message">ok</p>' +
        '<details class="exchange"><summary>list: GET /api/tenant/v1/models?x=1 → 200 (7 ms)</summary><pre class="transcript"># list\n# started 2025-01-01T00:00:00.100Z, took 7 ms\n\n' +
        '&gt; GET https://gt.example/api/tenant/v1/models?x=1\n&gt; accept: application/json\n&gt;\n\n&lt; 200 (2 bytes)\n&lt; content-type: application/json\n&lt;\n[]\n</pre></details></article>',
    );
  });

  it('shows a failed check with its exchange open and its curl reproduction', () => {
    const html = renderHtml(fullReport());
    expect(html).toContain(
      '<article class="check" data-outcome="failed" data-check="a/chat/works"><h4><span class="badge" data-outcome="failed">failed</span> streams chat</h4>' +
        '<p class="facts"><code>a/chat/works</code> · severity critical · key preset <code>inference</code> · 30 ms</p><p class="message">no [DONE] &lt;b&gt;</p>' +
        '<details class="exchange" open><summary>chat: POST /api/tenant/v1/chat/completions → 500 (9 ms)</summary><pre class="transcript"># chat\n# started 2025-01-01T00:00:00.200Z, took 9 ms\n\n' +
        '&gt; POST https://gt.example/api/tenant/v1/chat/completions\n&gt;\n{&quot;stream&quot;:true}\n\n&lt; 500 (4 bytes)\n&lt;\noops\n</pre></details>' +
        '<details class="curl" open><summary>reproduce with curl</summary><pre class="transcript curl"># GT_KEY_A holds the secret of key preset inference, as for the run\ncurl -i',
    );
    expect(html.split('reproduce with curl')).toHaveLength(2);
  });

  it('shows a check that did not run without exchanges, and one that ran with none as such; a waiver and 0 ms are facts', () => {
    const html = renderHtml(fullReport());
    expect(html).toContain(
      '<article class="check" data-outcome="not_run" data-check="a/chat/missing-id"><h4><span class="badge" data-outcome="not_run">not run</span> has an id</h4>' +
        '<p class="facts"><code>a/chat/missing-id</code> · severity normal</p><p class="message">the run stopped</p></article>',
    );
    expect(html).toContain(
      '<article class="check" data-outcome="waived" data-check="x/no-key"><h4><span class="badge" data-outcome="waived">waived</span> refuses no key</h4>' +
        '<p class="facts"><code>x/no-key</code> · severity critical · 0 ms · waiver until 2026-01-01: known &amp; tracked</p><p class="message">known</p>' +
        '<p class="facts">no HTTP exchange recorded</p></article>',
    );
  });

  it('lists the failed checks under the panels, each linking to the cell that holds it', () => {
    expect(renderHtml(fullReport())).toContain(
      '<h2>Failed (2)</h2><ul class="items failures"><li><a href="#cell-2" aria-controls="cell-2">a › chat [gt_extension] › streams chat</a>: no [DONE] &lt;b&gt;</li>' +
        '<li>cross-cutting › route › orphan: lost</li></ul>\n<h2>Checklists and findings</h2>\n<section class="product" data-product="a">',
    );
  });

  it("gives each product its checklist, with evidence links for the machine-checked items, and its findings", () => {
    const html = renderHtml(fullReport());
    expect(html).toContain(
      '<section class="product" data-product="a"><h3>Alpha &lt;A&gt; <span class="badge" data-outcome="failed">failed</span></h3>' +
        '<p class="run">SDK and HTTP · Native OpenAI-compatible · preset <code>inference</code> · driver <code>http</code> · <code>runbooks/a.yaml</code></p>' +
        '<ul class="items checklist"><li><span class="badge" data-outcome="passed">passed</span> lists models <code>models.list</code> <a href="#item-5" aria-controls="item-5">evidence</a></li>' +
        '<li><span class="badge" data-outcome="manual">manual</span> someone reads the docs</li>' +
        '<li><span class="badge" data-outcome="manual">manual</span> a person checks</li>' +
        '<li><span class="badge" data-outcome="not_run">not run</span> unknown check</li></ul>' +
        '<ul class="items findings"><li><span class="badge" data-outcome="runbook_defect">runbook defect</span> <code>runbooks/a.yaml:4</code> no &lt;model&gt; <em>Fix:</em> add it</li>' +
        '<li><span class="badge" data-outcome="runbook_defect">runbook defect</span> <code>g.yaml</code> worse</li></ul></section>',
    );
  });

  it('shows the findings of a product through their checks when it has finding checks, and no empty checklist', () => {
    const html = renderHtml(fullReport());
    expect(html).toContain(
      '<section class="product" data-product="b"><h3>Beta <span class="badge" data-outcome="passed">passed, with 1 finding</span></h3>' +
        '<p class="run">Workflow and builders · OpenAI plus GT extensions · preset <code>chat</code> · driver <code>langchain</code> · <code>runbooks/b.yaml</code></p>' +
        '<ul class="items findings"><li><span class="badge" data-outcome="runbook_defect">runbook defect</span> R9 missing <a href="#item-6" aria-controls="item-6">evidence</a></li></ul></section>',
    );
    expect(html).not.toContain('shown by its check instead');
  });

  it('with --fail-on-findings, a product with findings fails, in its row and its section', () => {
    const html = renderHtml(fullReport({ gate: { passed: false, failOnFindings: true, reasons: [] } }));
    expect(html).toContain('<span class="result" data-outcome="failed">failed: 1 runbook finding (--fail-on-findings)</span>');
    expect(html).toContain('<h3>Beta <span class="badge" data-outcome="failed">failed: 1 runbook finding (--fail-on-findings)</span></h3>');
  });

  it('lists the run errors and the runbooks with their digests, last', () => {
    expect(renderHtml(fullReport())).toContain(
      '<h2>Run errors</h2><ul class="items"><li>worker &lt;crashed&gt;</li></ul>\n' +
        '<h2>Runbooks</h2><ul class="items"><li><code>runbooks/a.yaml</code> sha256 <code>d1</code></li><li><code>runbooks/b&amp;.yaml</code> sha256 <code>d2</code></li></ul>\n<script>',
    );
  });
});

describe('renderHtml against a baseline', () => {
  const comparison = (fields: Partial<NonNullable<ConformanceReport['comparison']>>): NonNullable<ConformanceReport['comparison']> => ({
    baseline: { file: 'base.json', startedAt: '2024-12-31T00:00:00Z' },
    new_failures: [],
    fixed: [],
    still_failing: [],
    new_checks: [],
    removed_checks: [],
    ...fields,
  });

  it('shows the comparison first under the header: the new failures open with their messages, the other lists closed', () => {
    const html = renderHtml(fullReport({ comparison: comparison({ new_failures: ['a/chat/works', 'gone/x'], fixed: ['a/models/works'], new_checks: ['a/chat/missing-id'], removed_checks: ['old/y'] }) }));
    expect(html).toContain(
      '</p></header>\n<section class="comparison" data-new="true"><h2>Against the baseline</h2>' +
        '<p>Compared against the baseline base.json (run of 2024-12-31T00:00:00Z): 2 new failures, 1 fixed, 0 still failing, 1 new check, 1 removed</p>' +
        '<details open><summary>New failures (2)</summary><ul class="items"><li><code>a/chat/works</code>: no [DONE] &lt;b&gt;</li><li><code>gone/x</code></li></ul></details>' +
        '<details><summary>Fixed (1)</summary><ul class="items"><li><code>a/models/works</code></li></ul></details>' +
        '<details><summary>New checks (1)</summary><ul class="items"><li><code>a/chat/missing-id</code></li></ul></details>' +
        '<details><summary>Removed checks (1)</summary><ul class="items"><li><code>old/y</code></li></ul></details></section>\n<ul class="counts"',
    );
  });

  it('marks a comparison without new failures, and lists what still fails', () => {
    expect(renderHtml(fullReport({ comparison: comparison({ still_failing: ['a/chat/works'] }) }))).toContain(
      '<section class="comparison" data-new="false"><h2>Against the baseline</h2><p>Compared against the baseline base.json (run of 2024-12-31T00:00:00Z): 0 new failures, 0 fixed, 1 still failing, 0 new checks, 0 removed</p>' +
        '<details><summary>Still failing (1)</summary><ul class="items"><li><code>a/chat/works</code></li></ul></details></section>',
    );
  });
});

describe('renderHtml of the key coverage', () => {
  type Coverage = NonNullable<ConformanceReport['keyCoverage']>;
  const keys = (): Coverage['keys'] => [
    { key: 'k1', preset: 'inference', purpose: 'inference', checks: 3, routes: ['models', 'chat'], serves: [{ kind: 'works', checks: 2, routes: ['models', 'chat'] }, { kind: 'no-key', checks: 1, routes: [] }] },
    { key: 'k<2>', purpose: 'upload', revoked: true, checks: 0, routes: [], serves: [] },
  ];

  it('gives a row per key with what it serves, marks the one that serves nothing, and lists the skipped checks by reason', () => {
    const html = renderHtml(fullReport({ keyCoverage: { keys: keys(), skipped: [{ reason: 'no <audio> key', checks: ['a/speech/x', 'a/speech/y'] }] } }));
    expect(html).toContain(
      '</section>\n<h2>Keys and what they serve</h2><table class="keys"><thead><tr><th>key</th><th>preset</th><th>purpose</th><th>checks</th><th>serves</th></tr></thead><tbody>' +
        '<tr data-key="k1" data-serves="some"><td><code>k1</code></td><td>inference</td><td>inference</td><td>3</td><td>works (2): models, chat<br>no-key (1)</td></tr>' +
        '<tr data-key="k&lt;2&gt;" data-serves="none"><td><code>k&lt;2&gt;</code></td><td></td><td>upload (revoked)</td><td>0</td><td>nothing</td></tr></tbody></table>' +
        '<h3>Skipped checks, and what would enable them</h3><ul class="items"><li>no &lt;audio&gt; key: <code>a/speech/x, a/speech/y</code></li></ul>\n<h2>Run errors</h2>',
    );
  });

  it('has no skipped list when nothing was skipped, a table without rows when only skips are known, and nothing when neither is', () => {
    const onlyKeys = renderHtml(fullReport({ keyCoverage: { keys: keys(), skipped: [] } }));
    expect(onlyKeys).toContain('<td>nothing</td></tr></tbody></table>\n<h2>Run errors</h2>');
    expect(onlyKeys).not.toContain('Skipped checks');
    const onlySkips = renderHtml(fullReport({ keyCoverage: { keys: [], skipped: [{ reason: 'r', checks: ['c'] }] } }));
    expect(onlySkips).toContain('<th>serves</th></tr></thead><tbody></tbody></table><h3>Skipped checks, and what would enable them</h3><ul class="items"><li>r: <code>c</code></li></ul>');
    expect(renderHtml(fullReport({ keyCoverage: { keys: [], skipped: [] } }))).not.toContain('Keys and what they serve');
  });
});
