// The HTML report's layout in Chromium: a matrix of seven products and every route fits a 1280 px window,
// narrower windows scroll it under a product column that stays, and a product that passed with findings
// says so instead of looking failed.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check, RunbookSummary, RouteRow } from '../../src/model.ts';
import { buildReport, type TestRun } from '../../src/report/build.ts';
import { renderHtml } from '../../src/report/html.ts';
import { routeCatalog } from '../../src/report/run-context.ts';
import { defaultScenario } from '../fixtures/reports/scenario.ts';
import { browserSkipReason, openInChromium, type OpenReport } from './browser.ts';
import { tempDir } from './fixture-run.ts';

const catalog = routeCatalog();
const verdicts: RouteRow['verdict'][] = ['native', 'gt_extension', 'not_supported'];

/** A run of seven products with long names, each with a verdict on every route, and one finding on a passing product. */
function wideReport() {
  const base = defaultScenario().context;
  const runbooks: RunbookSummary[] = Array.from({ length: 7 }, (_, i) => ({
    ...base.runbooks[0],
    id: `product-${i + 1}`,
    product: i === 0 ? 'Generic OpenAI-compatible HTTP client' : `Product number ${i + 1}`,
    routes: catalog.map((r, j) => ({ route: r.id, verdict: verdicts[(i + j) % 3], integration: 'provider' })),
    checklist: [],
  }));
  const checks: Check[] = runbooks.flatMap((rb) =>
    rb.routes.map((row) => ({ id: `${rb.id}/${row.route}/works`, kind: 'works', group: 'route' as const, product: rb.id, route: row.route, verdict: row.verdict, title: `${row.route} works`, probes: [], severity: 'normal' as const })),
  );
  checks.push({ id: 'product-2/finding/1', kind: 'finding', group: 'finding', product: 'product-2', title: 'the documented base URL lacks /v1', probes: [], severity: 'minor' });
  checks.push(...catalog.map((r) => ({ id: `cross-cutting/${r.id}/no-key`, kind: 'no-key', group: 'cross-cutting' as const, route: r.id, title: 'no key: 401', probes: [], severity: 'blocker' as const })));
  const tests: TestRun[] = checks.map((c) => {
    const outcome = c.group === 'finding' ? 'runbook_defect' : c.verdict === 'not_supported' ? 'denied_as_expected' : 'passed';
    return { name: c.title, meta: { check: c, outcome, message: 'denied as expected: 403 as expected, with an OpenAI-shaped error body', exchanges: [] }, state: outcome === 'runbook_defect' ? 'skipped' : 'passed', errors: [] };
  });
  return buildReport({ context: { ...base, runbooks, checks, findings: [] }, tests, routeCatalog: catalog });
}

const skipBrowser = browserSkipReason();

describe.skipIf(!!skipBrowser)(`the HTML matrix in Chromium${skipBrowser ? ` (skipped: ${skipBrowser})` : ''}`, () => {
  let dir: string;
  let file: string;
  const report = wideReport();
  let browser: OpenReport | undefined;

  beforeAll(() => {
    dir = tempDir('html-layout');
    file = path.join(dir, 'conformance-report.html');
    writeFileSync(file, renderHtml(report));
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const measure = (b: OpenReport) =>
    b.page.evaluate(() => {
      const wrap = document.querySelector('.matrix-wrap') as HTMLElement;
      const heads = [...document.querySelectorAll('table.matrix thead th[data-route]')];
      return {
        viewport: document.documentElement.clientWidth,
        pageScroll: document.documentElement.scrollWidth,
        wrapClient: wrap.clientWidth,
        wrapScroll: wrap.scrollWidth,
        lastRouteRight: heads.at(-1)!.getBoundingClientRect().right,
        routes: heads.length,
      };
    });

  it('shows every route of seven products in a 1280 px window, without scrolling', async () => {
    browser = await openInChromium(file, 1280);
    const m = await measure(browser);
    expect(m.routes).toBe(catalog.length);
    expect(m.routes).toBeGreaterThanOrEqual(10);
    expect(m.wrapScroll).toBeLessThanOrEqual(m.wrapClient);
    expect(m.lastRouteRight).toBeLessThanOrEqual(m.viewport);
    expect(m.pageScroll).toBeLessThanOrEqual(m.viewport);
    expect(browser.consoleErrors).toEqual([]);
  });

  it('cells wrap their words instead of widening the matrix, and no word is broken', async () => {
    const cells = await browser!.page.locator('table.matrix button.cell[data-outcome="denied_as_expected"]').evaluateAll((els) =>
      els.map((el) => {
        const outcome = el.querySelector('.outcome') as HTMLElement;
        return { lines: outcome.getBoundingClientRect().height / parseFloat(getComputedStyle(outcome).fontSize), overflow: el.scrollWidth > el.clientWidth };
      }),
    );
    expect(cells.length).toBeGreaterThan(10);
    expect(cells.every((c) => c.lines > 1.8)).toBe(true); // "denied as / expected": two lines in its column
    expect(cells.every((c) => !c.overflow)).toBe(true);
  });

  it('in a narrower window the matrix scrolls, and the product column stays in view', async () => {
    await browser!.page.setViewportSize({ width: 800, height: 900 });
    const m = await measure(browser!);
    expect(m.wrapScroll).toBeGreaterThan(m.wrapClient);
    const position = await browser!.page.evaluate(() => {
      const wrap = document.querySelector('.matrix-wrap') as HTMLElement;
      wrap.scrollLeft = wrap.scrollWidth;
      const th = document.querySelector('tr[data-product="product-3"] th.product') as HTMLElement;
      const cell = document.querySelector('tr[data-product="product-3"] button[data-route="models"]') as HTMLElement;
      return { scrolled: wrap.scrollLeft, wrapLeft: wrap.getBoundingClientRect().left, th: th.getBoundingClientRect(), cellLeft: cell.getBoundingClientRect().left };
    });
    expect(position.scrolled).toBeGreaterThan(50);
    expect(Math.abs(position.th.left - position.wrapLeft)).toBeLessThan(2); // stuck to the left edge
    expect(position.cellLeft).toBeLessThan(position.th.right); // the first route went under it
  });

  it('a product that passed with a finding reads "passed, with 1 finding", in the passed colour', async () => {
    const result = browser!.page.locator('tr[data-product="product-2"] th.product .result');
    expect(await result.innerText()).toBe('passed, with 1 finding');
    expect(await result.getAttribute('data-outcome')).toBe('passed');
    expect(report.products.find((p) => p.id === 'product-2')!.outcome).toBe('runbook_defect');
    expect(await browser!.page.locator('section.product[data-product="product-2"] h3 .badge').innerText()).toBe('passed, with 1 finding');
  });
});
