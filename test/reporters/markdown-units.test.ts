// conformance-report.md whole, for a report written out by hand: the sections src/report/markdown.ts's
// comments and docs/reports.md name (the header with the gate's reasons, the target line, the comparison first,
// the counts, the matrix, what failed with a curl reproduction, waived, blocked, findings, manual items, keys,
// what a live run created, run errors), in that order, with every tenant string through markdownSafe
// (Markdown specials backslashed, a 12-character contract digest).
import { describe, expect, it } from 'vitest';
import type { ConformanceReport, ReportCheck, ReportProduct } from '../../src/report/report-model.ts';
import { codeBlock, renderMarkdown } from '../../src/report/markdown.ts';

const check = (id: string, fields: Partial<ReportCheck>): ReportCheck => ({ id, group: 'route', title: id, severity: 'normal', outcome: 'passed', message: '', ran: true, exchanges: [], ...fields });
const counts = (c: Partial<ConformanceReport['counts']>) => ({ passed: 0, denied_as_expected: 0, failed: 0, blocked: 0, not_run: 0, not_exercised: 0, skipped: 0, waived: 0, manual: 0, runbook_defect: 0, total: 0, ...c });

const alpha: ReportProduct = {
  id: 'a',
  product: 'Alpha',
  file: 'runbooks/a.yaml',
  digest: 'd',
  compatibility: 'Native OpenAI-compatible',
  category: 'SDK and HTTP',
  preset: 'inference',
  driver: 'http',
  outcome: 'failed',
  counts: counts({ failed: 1 }),
  routes: [
    { route: 'models', verdict: 'native', outcome: 'passed', checks: [] },
    { route: 'chat', outcome: 'none', checks: [] },
  ],
  validation: [
    { text: 'one', outcome: 'manual', message: '' },
    { text: 'two', outcome: 'manual', message: '' },
    { text: 'three', outcome: 'passed', message: '' },
  ],
  findings: [
    { product: 'a', file: 'g.yaml', line: 2, message: 'bad', fix: 'good', outcome: 'runbook_defect' },
    { product: 'a', file: 'g.yaml', message: 'worse', outcome: 'runbook_defect' },
  ],
  checks: [],
};

function report(fields: Partial<ConformanceReport> = {}): ConformanceReport {
  return {
    schemaVersion: 1,
    harness: { name: 'gt-conformance', version: '1.0.0' },
    contract: { digest: 'abcdef0123456789' },
    runbooks: [],
    target: { kind: 'live', host: 'gt.example', defects: ['slow', 'flaky'] },
    seed: 3,
    strict: false,
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:01.000Z',
    gate: { passed: false, failOnFindings: false, reasons: ['1 check failed', '1 run error'] },
    comparison: {
      baseline: { file: 'base.json', startedAt: '2024-12-31T00:00:00Z' },
      new_failures: ['a/chat/works', 'gone/x'],
      fixed: ['a/models/works'],
      still_failing: [],
      new_checks: ['a/chat/works'],
      removed_checks: [],
    },
    requests: { sent: 4, estimated: 5 },
    negative: { seed: 3, routes: 1, cases: 2, requests: 2 },
    keyCoverage: {
      keys: [
        { key: 'k1', preset: 'inference', purpose: 'inference', checks: 3, routes: [], serves: [{ kind: 'works', routes: [], checks: 3 }] },
        { key: 'k2', purpose: 'upload', revoked: true, checks: 0, routes: [], serves: [] },
      ],
      skipped: [{ reason: 'no upload key', checks: ['a', 'b'] }],
    },
    created: [
      { object: 'file', id: 'f1', name: 'brief.txt', route: 'POST /v1/files', checks: [] },
      { object: 'conversation', id: 'c1', route: 'POST /v1/conversations', checks: [] },
    ],
    routes: [{ id: 'models', number: '1' }, { id: 'chat' }],
    counts: counts({ denied_as_expected: 1, failed: 1, blocked: 1, waived: 1, manual: 2, runbook_defect: 1, total: 7 }),
    products: [alpha],
    crossCutting: {
      routes: [
        { route: 'models', outcome: 'denied_as_expected', checks: ['x'] },
        { route: 'chat', outcome: 'none', checks: [] },
      ],
      checks: ['x'],
    },
    checks: [
      check('a/chat/works', { product: 'a', route: 'chat', verdict: 'native', title: 'chat works', outcome: 'failed', message: 'answered 500', exchanges: [{ label: 'l', request: { method: 'GET', url: 'https://gt.example/v1/chat', headers: {} }, startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1 }] }),
      check('a/models/works', { product: 'a', route: 'models', verdict: 'native', title: 'models work', outcome: 'waived', message: 'known' }),
      check('a/embed/works', { product: 'a', route: 'embed', verdict: 'gt_extension', title: 'embed works', outcome: 'blocked', message: 'needs chat' }),
      check('beta/finding/1', { group: 'finding', product: 'beta', outcome: 'runbook_defect', message: 'no such route' }),
      check('x', { group: 'cross-cutting', route: 'models', outcome: 'denied_as_expected' }),
    ],
    errors: ['worker crashed'],
    ...fields,
  };
}

const EXPECTED = [
  '## GT conformance: FAILED (1 check failed; 1 run error)',
  '',
  'Target live `gt.example` with defects slow, flaky · seed 3 · gt-conformance 1.0.0 · contract `abcdef012345` · 2025-01-01T00:00:00.000Z to 2025-01-01T00:00:01.000Z',
  '',
  '### Against the baseline',
  '',
  'Compared against the baseline base.json (run of 2024-12-31T00:00:00Z): 2 new failures, 1 fixed, 0 still failing, 1 new check, 0 removed',
  '',
  '**New failures (2)**',
  '',
  '- **a › chat \\[native\\] › chat works** (`a/chat/works`): answered 500',
  '- `gone/x`',
  '',
  '<details><summary>Fixed (1)</summary>',
  '',
  '- `a/models/works`',
  '',
  '</details>',
  '',
  '<details><summary>New checks (1)</summary>',
  '',
  '- `a/chat/works`',
  '',
  '</details>',
  '',
  '4 requests sent (the plan estimated 5) · negative group: 2 generated cases on 1 route, 2 requests, seed 3 (replay with --seed 3)',
  '',
  '| outcome | checks |',
  '|---|---:|',
  '| denied as expected | 1 |',
  '| failed | 1 |',
  '| blocked | 1 |',
  '| waived | 1 |',
  '| manual | 2 |',
  '| runbook defect | 1 |',
  '| **total** | **7** |',
  '',
  '### Products × routes',
  '',
  '| product | result | compatibility | preset | 1 models | chat |',
  '|---|---|---|---|---|---|',
  '| Alpha | failed | Native OpenAI-compatible | inference | native: passed |  |',
  '| cross-cutting | | | | denied as expected |  |',
  '',
  '### Failed (1)',
  '',
  '- **a › chat \\[native\\] › chat works** (`a/chat/works`): answered 500',
  '',
  '### Reproduce with curl',
  '',
  '<details><summary>a › chat [native] › chat works</summary>',
  '',
  '```sh',
  '# the key of the check',
  "curl -i 'https://gt.example/v1/chat'",
  '```',
  '',
  '</details>',
  '',
  '### Waived (1)',
  '',
  '- **a › models \\[native\\] › models work** (`a/models/works`): known',
  '',
  '### Blocked (1)',
  '',
  '- **a › embed \\[gt\\_extension\\] › embed works** (`a/embed/works`): needs chat',
  '',
  '### Runbook findings (3)',
  '',
  '- beta (runbook defect): no such route',
  '- g.yaml:2: bad Fix: good',
  '- g.yaml: worse',
  '',
  '2 checklist items are manual: see conformance-report.html.',
  '',
  '### Keys',
  '',
  'Serve nothing in this run: `k2`',
  '',
  '<details><summary>What each key serves</summary>',
  '',
  '| key | preset | purpose | checks | serves |',
  '|---|---|---|---:|---|',
  '| k1 | inference | inference | 3 | works 3 |',
  '| k2 |  | upload (revoked) | 0 | nothing |',
  '',
  '</details>',
  '',
  '- skipped (2): no upload key',
  '',
  '### Created on the tenant (2)',
  '',
  'The run created on the tenant: 1 file, 1 conversation.',
  '',
  '- file `f1` `brief.txt` (POST /v1/files)',
  '- conversation `c1` (POST /v1/conversations)',
  '',
  '### Run errors (1)',
  '',
  '- worker crashed',
  '',
];

describe('renderMarkdown, whole', () => {
  it('gives every section in order', () => {
    expect(renderMarkdown(report()).split('\n')).toEqual(EXPECTED);
  });

  it('a passing run without the optional parts: the header, the target, the counts and the matrix only', () => {
    const quiet = report({
      gate: { passed: true, failOnFindings: false, reasons: [] },
      target: { kind: 'embedded', host: '127.0.0.1' },
      comparison: undefined,
      requests: undefined,
      negative: undefined,
      keyCoverage: { keys: [], skipped: [] },
      created: [],
      products: [{ ...alpha, validation: [], findings: [] }],
      crossCutting: { routes: [], checks: [] },
      checks: [],
      errors: [],
      counts: counts({}),
    });
    expect(renderMarkdown(quiet).split('\n')).toEqual([
      '## GT conformance: PASSED',
      '',
      'Target embedded `127.0.0.1` · seed 3 · gt-conformance 1.0.0 · contract `abcdef012345` · 2025-01-01T00:00:00.000Z to 2025-01-01T00:00:01.000Z',
      '',
      '| outcome | checks |',
      '|---|---:|',
      '| **total** | **0** |',
      '',
      '### Products × routes',
      '',
      '| product | result | compatibility | preset | 1 models | chat |',
      '|---|---|---|---|---|---|',
      '| Alpha | failed | Native OpenAI-compatible | inference | native: passed |  |',
      '',
    ]);
  });

  it('lists at most 50 of a kind, and says how many more', () => {
    const many = Array.from({ length: 52 }, (_, i) => check(`b/${i}`, { product: 'b', outcome: 'blocked', message: 'm' }));
    const md = renderMarkdown(report({ checks: many, comparison: { ...report().comparison!, new_failures: many.map((c) => c.id), fixed: many.map((c) => c.id) }, errors: many.map((c) => c.id) }));
    expect(md).toContain('### Blocked (52)');
    expect(md.split('\n').filter((l) => l === '- … and 2 more: see conformance-report.html')).toHaveLength(1);
    expect(md).toContain('- … and 2 more: see conformance-report.json (comparison.new_failures)');
    expect(md).toContain('<details><summary>Fixed (52)</summary>');
    expect(md).toContain('- … and 2 more\n');
    expect(md.split('\n').filter((l) => l.startsWith('- `b/')).length).toBe(50);
    expect(md).toContain('### Run errors (52)');
    expect(md.split('\n').filter((l) => /^- b\/\d+$/.test(l)).length).toBe(50);
  });

  it('reproduces at most 20 failed checks, and lists more than 50 created objects as a count', () => {
    const failed = Array.from({ length: 21 }, (_, i) => check(`f/${i}`, { outcome: 'failed', exchanges: report().checks[0].exchanges }));
    const created = Array.from({ length: 51 }, (_, i) => ({ object: 'file' as const, id: `f${i}`, route: 'POST /v1/files', checks: [] }));
    const md = renderMarkdown(report({ checks: failed, created }));
    expect(md.split('\n').filter((l) => l.startsWith('<details><summary>cross-cutting › route › f/')).length).toBe(20);
    expect(md).toContain('… and 1 more: see conformance-report.html\n');
    expect(md).toContain('- … and 1 more: see conformance-report.json (created)');
    expect(md).toContain('The run created on the tenant: 51 files.');
    // an embedded run's objects went with its tenant
    expect(renderMarkdown(report({ target: { kind: 'embedded', host: '127.0.0.1' } }))).not.toContain('### Created on the tenant');
  });

  it('still-failing and removed checks as ids', () => {
    const md = renderMarkdown(report({ comparison: { baseline: { file: 'b.json' }, new_failures: [], fixed: [], still_failing: ['s'], new_checks: [], removed_checks: ['r'] } }));
    expect(md).toContain('Compared against the baseline b.json: 0 new failures, 0 fixed, 1 still failing, 0 new checks, 1 removed\n\n<details><summary>Still failing (1)</summary>\n\n- `s`\n\n</details>\n\n<details><summary>Removed checks (1)</summary>\n\n- `r`\n\n</details>\n');
    expect(md).not.toContain('**New failures');
  });
});

describe('codeBlock', () => {
  it('fences with more backticks than any run in the text, at least three', () => {
    expect(codeBlock('a', 'sh')).toEqual(['```sh', 'a', '```']);
    expect(codeBlock('a ```` b\nc')).toEqual(['`````', 'a ```` b', 'c', '`````']);
  });
});
