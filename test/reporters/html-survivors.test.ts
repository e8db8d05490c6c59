// What the first mutation run of src/report/html.ts left alive (docs/testing.md, the fifth session): lists of
// two or more (rows, cells, panels, articles, exchanges, product sections, run errors, skipped groups) joined
// with nothing between, a cell without a verdict, a product without findings, a product that names a check
// the report lacks, and a key coverage with nothing in it.
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/model.ts';
import type { ConformanceReport, ReportProduct } from '../../src/report/report-model.ts';
import { renderHtml } from '../../src/report/html.ts';
import { handCheck, handCounts, handReport } from './hand-report.ts';

const exchange = (label: string, status: number): Exchange => ({
  label,
  request: { method: 'GET', url: `https://gt.example/v1/${label}`, headers: {} },
  response: { status, headers: {}, bytes: 0 },
  startedAt: '2025-01-01T00:00:00.000Z',
  durationMs: 1,
});

function product(id: string, fields: Partial<ReportProduct> = {}): ReportProduct {
  return { id, product: id.toUpperCase(), file: `${id}.yaml`, digest: 'd', compatibility: 'c', category: 'k', preset: 'p', driver: 'http', outcome: 'passed', counts: handCounts(), routes: [], validation: [], findings: [], checks: [], ...fields } as ReportProduct;
}

function report(fields: Partial<ConformanceReport> = {}): ConformanceReport {
  return handReport(
    [
      handCheck('a/1', { product: 'a', route: 'models', title: 'one', exchanges: [exchange('e1', 200), exchange('e2', 201)] }),
      handCheck('a/2', { product: 'a', route: 'models', title: 'two' }),
      handCheck('x/1', { route: 'chat', title: 'three' }),
    ],
    {
      counts: handCounts({ passed: 3, total: 3 }),
      products: [
        product('a', {
          routes: [{ route: 'models', outcome: 'passed', checks: ['a/1', 'a/2'] }],
          findings: [
            { product: 'a', file: 'a.yaml', message: 'f1', outcome: 'runbook_defect' },
            { product: 'a', file: 'a.yaml', message: 'f2', outcome: 'runbook_defect' },
          ],
          checks: ['a/1', 'gone/check'],
        }),
        product('b'),
      ],
      crossCutting: { routes: [{ route: 'chat', outcome: 'passed', checks: ['x/1'] }, { route: 'models', outcome: 'none', checks: [] }], checks: ['x/1'] },
      errors: ['e-one', 'e-two'],
      ...fields,
    },
  );
}

describe('renderHtml, more', () => {
  it('joins the rows and their cells with nothing between; a cell without a verdict has no verdict in its title or label', () => {
    expect(renderHtml(report())).toContain(
      '<tbody><tr data-product="a"><th class="product" scope="row">A<span class="sub">a · c · preset p</span><span class="result" data-outcome="passed">passed</span></th>' +
        '<td><button type="button" class="cell" data-outcome="passed" data-verdict="" data-row="a" data-route="models" aria-controls="cell-1" aria-expanded="false" title="a › models: 2 check(s)"><span class="outcome">passed</span></button></td></tr>' +
        '<tr data-product="b"><th class="product" scope="row">B<span class="sub">b · c · preset p</span><span class="result" data-outcome="passed">passed</span></th></tr>' +
        '<tr data-product="cross-cutting"><th class="product" scope="row">cross-cutting<span class="sub">every key, every route</span></th>' +
        '<td><button type="button" class="cell" data-outcome="passed" data-verdict="" data-row="cross-cutting" data-route="chat" aria-controls="cell-2" aria-expanded="false" title="cross-cutting › chat: 1 check(s)"><span class="outcome">passed</span></button></td>' +
        '<td class="empty"></td></tr></tbody>',
    );
  });

  it('joins the panels, their articles and the exchanges with nothing between', () => {
    const html = renderHtml(report());
    expect(html).toContain('<section class="detail" id="cell-1" tabindex="-1" hidden data-outcome-of="passed"><h3>a › models: passed</h3><article class="check" data-outcome="passed" data-check="a/1">');
    expect(html).toContain('</pre></details><details class="exchange"><summary>e2: GET /v1/e2 → 201 (1 ms)</summary>');
    expect(html).toContain('</pre></details></article><article class="check" data-outcome="passed" data-check="a/2">');
    expect(html).toContain('<p class="facts">no HTTP exchange recorded</p></article></section><section class="detail" id="cell-2" tabindex="-1" hidden data-outcome-of="passed"><h3>cross-cutting › chat: passed</h3>');
  });

  it('joins the product sections with nothing between, and a product without findings or checklist has neither list', () => {
    expect(renderHtml(report())).toContain(
      '<ul class="items findings"><li><span class="badge" data-outcome="runbook_defect">runbook defect</span> <code>a.yaml</code> f1</li><li><span class="badge" data-outcome="runbook_defect">runbook defect</span> <code>a.yaml</code> f2</li></ul></section>' +
        '<section class="product" data-product="b"><h3>B <span class="badge" data-outcome="passed">passed</span></h3><p class="run">k · c · preset <code>p</code> · driver <code>http</code> · <code>b.yaml</code></p></section>\n',
    );
  });

  it('joins the run errors and the skipped groups with nothing between', () => {
    const html = renderHtml(report({ keyCoverage: { keys: [], skipped: [{ reason: 'r1', checks: ['c1'] }, { reason: 'r2', checks: ['c2', 'c3'] }] } }));
    expect(html).toContain('<ul class="items"><li>r1: <code>c1</code></li><li>r2: <code>c2, c3</code></li></ul>\n');
    expect(html).toContain('<h2>Run errors</h2><ul class="items"><li>e-one</li><li>e-two</li></ul>\n');
  });

  it('writes nothing for a key coverage without keys or skipped checks', () => {
    expect(renderHtml(report({ keyCoverage: { keys: [], skipped: [] } }))).toBe(renderHtml(report()));
  });
});
