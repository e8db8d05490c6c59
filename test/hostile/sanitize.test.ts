// Tenant strings reach the terminal and Markdown (appended to $GITHUB_STEP_SUMMARY) made harmless, and the HTML
// report stays escaped and locked by its Content-Security-Policy.
import { describe, expect, it } from 'vitest';
import { markdownSafe, terminalSafe } from '../../src/report/sanitize.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { renderHtml } from '../../src/report/html.ts';
import { buildReport, type TestRun } from '../../src/report/build.ts';
import { routeCatalog } from '../../src/report/run-context.ts';
import { defaultScenario, metaOf } from '../fixtures/reports/scenario.ts';
import { CONTROL_CHARACTERS, HOSTILE_TEXT } from './hostile-tenant.ts';

describe('terminalSafe', () => {
  it('makes every control character visible, so none is interpreted', () => {
    const safe = terminalSafe(HOSTILE_TEXT);
    expect(safe).not.toMatch(CONTROL_CHARACTERS);
    expect(safe).not.toContain('\n');
    expect(safe).toContain('bad \\x1b[2J\\x1b[31mred\\x1b[0m \\x1b]0;pwned title\\x07 over\\x0dwrite \\x9b31m c1 \\u202eevil\\u202c');
    expect(safe).toContain('nul\\x00');
  });

  it('keeps newlines where the caller allows them (a CRLF becomes one), and leaves other text alone', () => {
    expect(terminalSafe('one\r\ntwo\nthree\rfour', { newlines: true })).toBe('one\ntwo\nthree\\x0dfour');
    expect(terminalSafe('one\ntwo')).toBe('one\\x0atwo');
    expect(terminalSafe('déjà vu, 日本語, emoji 🙂')).toBe('déjà vu, 日本語, emoji 🙂');
  });
});

describe('markdownSafe', () => {
  it('keeps a tenant string on one line, inside its cell, and out of HTML, code, links, images and headings', () => {
    const safe = markdownSafe(HOSTILE_TEXT);
    expect(safe).not.toMatch(CONTROL_CHARACTERS);
    expect(safe).not.toMatch(/[\n|<>`]/);
    expect(safe).not.toMatch(/(?<!\\|&)[[\]!#]/); // each escaped, but the # of an entity
    expect(safe).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(safe).toContain('\\[link\\](javascript:alert(1))');
    expect(safe).toContain('&#124; cell &#124;');
  });

  it('cuts to the length asked for before escaping', () => {
    expect(markdownSafe('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

function hostileReport() {
  const scenario = defaultScenario();
  const tests: TestRun[] = scenario.checks
    .filter((c) => c.outcome)
    .map((c) => ({ name: c.check.title, meta: metaOf(c), state: c.outcome === 'failed' ? 'failed' : 'passed', errors: [] }));
  // buildReport's report is frozen (src/report/scrub.ts): the hostile strings go into a copy, which the writers scrub
  const report = structuredClone(buildReport({ context: scenario.context, tests, routeCatalog: routeCatalog() }));
  const failed = report.checks.filter((c) => c.outcome === 'failed');
  expect(failed.length).toBeGreaterThan(0);
  for (const c of failed) c.message = HOSTILE_TEXT;
  report.errors.push(HOSTILE_TEXT);
  return { report, failed };
}

describe('the reports with a hostile tenant string', () => {
  it('Markdown: no control character, no HTML, no link, and every line of the matrix keeps its cells', () => {
    const { report, failed } = hostileReport();
    const md = renderMarkdown(report);
    expect(md).not.toMatch(CONTROL_CHARACTERS);
    expect(md).not.toContain('<script');
    expect(md).not.toMatch(/(?<!\\)\]\(javascript:/);
    const lines = md.split('\n');
    expect(lines.filter((l) => l.includes('pwned title'))).toHaveLength(failed.length + 1); // each failed check and the run error, on one line each
    const matrix = lines.slice(lines.indexOf('### Products × routes') + 2).filter((l) => l.startsWith('|'));
    expect(matrix.length).toBeGreaterThan(2);
    expect(new Set(matrix.map((l) => l.split('|').length)).size).toBe(1);
  });

  it("HTML: the string is escaped everywhere, and the policy allows no script but the report's own", () => {
    const { report } = hostileReport();
    report.checks.find((c) => c.outcome === 'failed')!.exchanges.push({
      label: '"><img src=x onerror=alert(1)>',
      request: { method: 'GET', url: 'http://127.0.0.1/api/tenant/v1/models', headers: { 'x-evil': '<script>alert(2)</script>' } },
      response: { status: 400, headers: {}, bytes: 10, body: HOSTILE_TEXT },
      startedAt: new Date(0).toISOString(),
      durationMs: 1,
    });
    const html = renderHtml(report);
    expect(html).not.toMatch(/<script>alert|<img src=x|onerror=alert\(1\)>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+';/);
    expect(html.match(/<script>/g)).toHaveLength(1); // the report's own, whose hash the policy names
  });
});
