// buildReport on a small run context written out by hand: the checks as the report gives them, the matrix
// (its columns: the routes a runbook row or a check names, in catalog order, unknown ones last), the checklist
// items, the gate, the negative summary, the requests sent and the run's end. Every expected value is written
// from the report model's comments (src/report/report-model.ts), docs/reports.md and GT-API.md's route ids,
// not read from the code.
import { describe, expect, it } from 'vitest';
import type { Check, CheckMeta, Exchange, RunContext, RunbookSummary } from '../../src/model.ts';
import { buildReport, staticFindings, type BuildInput, type TestRun } from '../../src/report/build.ts';
import { loadContract } from '../../src/contract/load.ts';

const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

function c(id: string, fields: Partial<Check> = {}): Check {
  const [product, route] = id.split('/');
  return { id, kind: 'works', group: 'route', product, route, title: `title of ${id}`, probes: [], severity: 'normal', ...fields };
}

const CHECKS = {
  chat: c('alpha/chat/works', { verdict: 'native', severity: 'critical' }),
  models: c('alpha/models/works', { verdict: 'native' }),
  zeta: c('alpha/zeta/works'),
  item1: c('alpha/checklist/1-chat-with-alias', { group: 'validation', route: undefined }),
  item2a: c('alpha/checklist/2-chat-with-alias', { group: 'validation', route: undefined }),
  item2b: c('alpha/checklist/2-models-match-allowlist', { group: 'validation', route: undefined }),
  item5: c('alpha/checklist/5', { group: 'validation', route: undefined, manual: true }),
  noKeyModels: c('cross-cutting/models/no-key', { group: 'cross-cutting', product: undefined, denial: true }),
  noKeyChat: c('cross-cutting/chat/no-key', { group: 'cross-cutting', product: undefined }),
  embed: c('beta/embeddings/works', { verdict: 'gt_extension' }),
  finding: c('beta/finding/1', { group: 'finding', route: undefined }),
};

const alpha: RunbookSummary = {
  id: 'alpha',
  product: 'Alpha',
  file: 'runbooks/alpha.yaml',
  digest: 'da',
  compatibility: 'Native OpenAI-compatible',
  category: 'SDK and HTTP',
  preset: 'inference',
  driver: 'http',
  routes: [
    { route: 'chat', verdict: 'native', integration: 'chat node', requires_scope: 'inference:chat' },
    { route: 'models', verdict: 'native', integration: 'model list' },
  ],
  checklist: [
    { text: 'Chat works', check: 'chat-with-alias' },
    { text: 'Two things', check: ['chat-with-alias', 'models-match-allowlist'] },
    { text: 'A person looks' },
    { text: 'Nothing planned', check: 'upload-reaches-ready' },
    { text: 'Signed off' },
  ],
};
const beta: RunbookSummary = { ...alpha, id: 'beta', product: 'Beta', file: 'runbooks/beta.yaml', digest: 'db', routes: [{ route: 'embeddings', verdict: 'gt_extension', integration: 'embed node' }], checklist: [] };

function context(overrides: Partial<RunContext> = {}): RunContext {
  return {
    harnessVersion: '9.9.9',
    contractDigest: 'cd',
    runbooks: [alpha, beta],
    target: { kind: 'live', host: 'gt.example', defects: ['slow'], profile: 'p1' },
    seed: 42,
    strict: true,
    startedAt: iso(0),
    findings: [
      { product: 'beta', file: 'runbooks/beta.yaml', line: 3, message: 'doc', fix: 'f' },
      { product: 'gamma', file: 'runbooks/gamma.yaml', message: 'no owner' },
    ],
    checks: Object.values(CHECKS),
    probes: [],
    targetSpec: { kind: 'live', baseUrl: 'https://gt.example/api/tenant', keys: [], uploads: true },
    limits: { concurrency: 1, timeoutMs: 1000, pollDeadlineMs: 1000, runDeadlineMs: 1000, budget: 100 },
    rules: { failOnFindings: false },
    runId: 'r1',
    ...overrides,
  };
}

const answered: Exchange = { label: 'chat', request: { method: 'POST', url: 'https://gt.example/api/tenant/v1/chat/completions', headers: {} }, response: { status: 500, headers: {}, body: '{}', bytes: 2 }, startedAt: iso(0), durationMs: 3 };
const notSent: Exchange = { label: 'late', request: { method: 'GET', url: 'https://gt.example/api/tenant/v1/models', headers: {} }, error: 'not sent: the run deadline had passed', startedAt: iso(1), durationMs: 0 };
const refused: Exchange = { label: 'refused', request: { method: 'GET', url: 'https://gt.example/api/tenant/v1/models', headers: {} }, error: 'connection refused', startedAt: iso(2), durationMs: 1 };

function run(check: Check, meta: Partial<CheckMeta> & Pick<CheckMeta, 'outcome' | 'message'>, test: Partial<TestRun> = {}): TestRun {
  const state = meta.outcome === 'failed' ? 'failed' : meta.outcome === 'passed' || meta.outcome === 'denied_as_expected' || meta.outcome === 'waived' ? 'passed' : 'skipped';
  return { name: check.title, meta: { check, exchanges: [], ...meta }, state, errors: [], ...test };
}

const TESTS: TestRun[] = [
  run(CHECKS.chat, { outcome: 'failed', message: 'm-chat', exchanges: [answered] }, { startTime: T0, durationMs: 1000.4 }),
  // the same check reported twice: the worse result stays, whichever came first
  run(CHECKS.chat, { outcome: 'passed', message: 'm-chat-again' }),
  run(CHECKS.models, { outcome: 'passed', message: 'm-models-first', exchanges: [answered] }),
  run(CHECKS.models, { outcome: 'failed', message: 'm-models', exchanges: [answered] }),
  run(CHECKS.zeta, { outcome: 'passed', message: 'm-zeta', generated: { seed: 42, cases: 2, requests: 5 }, exchanges: [refused] }),
  run(CHECKS.item1, { outcome: 'passed', message: 'm1' }),
  run(CHECKS.item2a, { outcome: 'passed', message: 'm2a' }),
  run(CHECKS.item2b, { outcome: 'failed', message: 'm2b' }),
  run(CHECKS.noKeyModels, { outcome: 'denied_as_expected', message: 'answered 401' }, { startTime: T0 + 2000 }),
  run(
    CHECKS.embed,
    { outcome: 'waived', message: 'm-embed', keyPreset: 'embed', keyEnv: 'GT_KEY_EMBED', waiver: { reason: 'known', expires: '2026-12-31' }, generated: { seed: 42, cases: 3, requests: 4 }, exchanges: [notSent] },
    { startTime: T0 + 500, durationMs: 2000 },
  ),
  run(CHECKS.finding, { outcome: 'runbook_defect', message: 'doc (fix: f)' }),
  run(c('extra/chat/works'), { outcome: 'passed', message: 'm-extra' }),
  { name: 'orphan', state: 'failed', errors: [] },
  { name: 'quiet orphan', state: 'passed', errors: [] },
  { name: 'skipped orphan', state: 'skipped', errors: ['not this'] },
];

const CATALOG = [
  { id: 'models', number: '1', title: 'List models' },
  { id: 'chat', number: '2', title: 'Chat' },
  { id: 'embeddings', number: '3', title: 'Embeddings' },
  { id: 'images', number: '4', title: 'Images' },
];

function build(overrides: Partial<BuildInput> = {}) {
  return buildReport({ context: context(), tests: TESTS, routeCatalog: CATALOG, runErrors: ['worker crashed'], gateProblems: ['a waiver names no check'], waiversFile: 'w.yaml', gate: 'any', estimatedRequests: 9, ...overrides });
}

describe('buildReport, field by field', () => {
  it('gives each planned check in plan order, then the checks the plan did not have', () => {
    expect(build().checks.map((k) => [k.id, k.outcome, k.ran])).toEqual([
      ['alpha/chat/works', 'failed', true],
      ['alpha/models/works', 'failed', true],
      ['alpha/zeta/works', 'passed', true],
      ['alpha/checklist/1-chat-with-alias', 'passed', true],
      ['alpha/checklist/2-chat-with-alias', 'passed', true],
      ['alpha/checklist/2-models-match-allowlist', 'failed', true],
      ['alpha/checklist/5', 'manual', false],
      ['cross-cutting/models/no-key', 'denied_as_expected', true],
      ['cross-cutting/chat/no-key', 'skipped', false],
      ['beta/embeddings/works', 'waived', true],
      ['beta/finding/1', 'runbook_defect', true],
      ['extra/chat/works', 'passed', true],
    ]);
  });

  it("writes a check's fields: what the test recorded, its start, its rounded duration, and only the fields it has", () => {
    const checks = build().checks;
    const byId = (id: string) => checks.find((k) => k.id === id);
    expect(byId('alpha/chat/works')).toStrictEqual({
      id: 'alpha/chat/works',
      group: 'route',
      product: 'alpha',
      route: 'chat',
      verdict: 'native',
      title: 'title of alpha/chat/works',
      severity: 'critical',
      outcome: 'failed',
      message: 'm-chat',
      ran: true,
      startedAt: '2025-01-01T00:00:00.000Z',
      durationMs: 1000,
      exchanges: [answered],
    });
    expect(byId('beta/embeddings/works')).toStrictEqual({
      id: 'beta/embeddings/works',
      group: 'route',
      product: 'beta',
      route: 'embeddings',
      verdict: 'gt_extension',
      title: 'title of beta/embeddings/works',
      severity: 'normal',
      outcome: 'waived',
      message: 'm-embed',
      ran: true,
      keyPreset: 'embed',
      keyEnv: 'GT_KEY_EMBED',
      waiver: { reason: 'known', expires: '2026-12-31' },
      startedAt: '2025-01-01T00:00:00.500Z',
      durationMs: 2000,
      generated: { seed: 42, cases: 3, requests: 4 },
      exchanges: [notSent],
    });
    expect(byId('alpha/checklist/1-chat-with-alias')).toStrictEqual({ id: 'alpha/checklist/1-chat-with-alias', group: 'validation', product: 'alpha', title: 'title of alpha/checklist/1-chat-with-alias', severity: 'normal', outcome: 'passed', message: 'm1', ran: true, exchanges: [] });
    expect(byId('cross-cutting/chat/no-key')).toStrictEqual({
      id: 'cross-cutting/chat/no-key',
      group: 'cross-cutting',
      route: 'chat',
      title: 'title of cross-cutting/chat/no-key',
      severity: 'normal',
      outcome: 'skipped',
      message: 'not run in this run (filtered out, in another shard, or the run stopped before it)',
      ran: false,
      exchanges: [],
    });
    expect(byId('cross-cutting/models/no-key')).toMatchObject({ startedAt: '2025-01-01T00:00:02.000Z' });
    expect(byId('cross-cutting/models/no-key')!.durationMs).toBeUndefined();
  });

  it('lists the run errors first, then each failing test without check metadata', () => {
    expect(build().errors).toEqual(['worker crashed', 'test "orphan" failed without check metadata: no error message']);
    const report = buildReport({ context: context(), tests: [{ name: 'boom', state: 'failed', errors: ['TypeError: x', 'second'] }], routeCatalog: [] });
    expect(report.errors).toEqual(['test "boom" failed without check metadata: TypeError: x']);
  });

  it('has a column for each route a runbook row or a check names, in catalog order, then unknown routes', () => {
    const report = build();
    expect(report.routes).toEqual([...CATALOG.slice(0, 3), { id: 'zeta' }]);
    expect(buildReport({ context: context({ runbooks: [], checks: [] }), tests: [], routeCatalog: CATALOG }).routes).toEqual([]);
  });

  it("fills a product's cells from its own route checks, with the runbook row's verdict, integration and scope", () => {
    const [a, b] = build().products;
    expect(a.routes).toStrictEqual([
      { route: 'models', verdict: 'native', integration: 'model list', outcome: 'failed', checks: ['alpha/models/works'] },
      { route: 'chat', verdict: 'native', integration: 'chat node', requiresScope: 'inference:chat', outcome: 'failed', checks: ['alpha/chat/works'] },
      { route: 'embeddings', outcome: 'none', checks: [] },
      { route: 'zeta', outcome: 'passed', checks: ['alpha/zeta/works'] },
    ]);
    expect(b.routes.map((r) => [r.route, r.outcome, r.checks])).toEqual([
      ['models', 'none', []],
      ['chat', 'none', []],
      ['embeddings', 'waived', ['beta/embeddings/works']],
      ['zeta', 'none', []],
    ]);
    expect(a.checks).toEqual(['alpha/chat/works', 'alpha/models/works', 'alpha/zeta/works', 'alpha/checklist/1-chat-with-alias', 'alpha/checklist/2-chat-with-alias', 'alpha/checklist/2-models-match-allowlist', 'alpha/checklist/5']);
    expect(a).toMatchObject({ id: 'alpha', product: 'Alpha', file: 'runbooks/alpha.yaml', digest: 'da', compatibility: 'Native OpenAI-compatible', category: 'SDK and HTTP', preset: 'inference', driver: 'http', outcome: 'failed' });
    expect(a.counts).toMatchObject({ total: 7, failed: 3, passed: 3, manual: 1 });
    expect(b.outcome).toBe('waived');
  });

  it('gives cross-cutting checks their own row, by route', () => {
    const report = build();
    expect(report.crossCutting).toEqual({
      routes: [
        { route: 'models', outcome: 'denied_as_expected', checks: ['cross-cutting/models/no-key'] },
        { route: 'chat', outcome: 'skipped', checks: ['cross-cutting/chat/no-key'] },
        { route: 'embeddings', outcome: 'none', checks: [] },
        { route: 'zeta', outcome: 'none', checks: [] },
      ],
      checks: ['cross-cutting/models/no-key', 'cross-cutting/chat/no-key'],
    });
  });

  it('lists every checklist item: its checks and the deciding message, manual items, items no check was planned for', () => {
    expect(build().products[0].validation).toStrictEqual([
      { text: 'Chat works', check: 'chat-with-alias', checkId: 'alpha/checklist/1-chat-with-alias', outcome: 'passed', message: 'm1' },
      { text: 'Two things', check: 'chat-with-alias, models-match-allowlist', checkId: 'alpha/checklist/2-chat-with-alias', checkIds: ['alpha/checklist/2-chat-with-alias', 'alpha/checklist/2-models-match-allowlist'], outcome: 'failed', message: 'm2b' },
      { text: 'A person looks', outcome: 'manual', message: 'to be verified by a person' },
      { text: 'Nothing planned', check: 'upload-reaches-ready', outcome: 'skipped', message: 'no check was planned for this item' },
      { text: 'Signed off', checkId: 'alpha/checklist/5', outcome: 'manual', message: 'to be verified by a person' },
    ]);
  });

  it("gives each product its own findings, as runbook defects", () => {
    const [a, b] = build().products;
    expect(a.findings).toEqual([]);
    expect(b.findings).toStrictEqual([{ product: 'beta', file: 'runbooks/beta.yaml', line: 3, message: 'doc', fix: 'f', outcome: 'runbook_defect' }]);
  });

  it('writes the run: harness, contract, runbooks, target, seed, times, gate, requests, negative group', () => {
    const report = build();
    expect(report).toMatchObject({
      schemaVersion: 1,
      harness: { name: 'gt-conformance', version: '9.9.9' },
      contract: { digest: 'cd' },
      runbooks: [
        { id: 'alpha', file: 'runbooks/alpha.yaml', digest: 'da' },
        { id: 'beta', file: 'runbooks/beta.yaml', digest: 'db' },
      ],
      seed: 42,
      strict: true,
      startedAt: '2025-01-01T00:00:00.000Z',
      // the last end: the embeddings check, from 0.5 s for 2 s (the no-key check started at 2 s, without a duration)
      finishedAt: '2025-01-01T00:00:02.500Z',
      negative: { seed: 42, routes: 2, cases: 5, requests: 9 },
    });
    expect(report.target).toStrictEqual({ kind: 'live', host: 'gt.example', defects: ['slow'], profile: 'p1' });
    expect(report.gate).toStrictEqual({ passed: false, failOnFindings: false, mode: 'any', waivers: 'w.yaml', reasons: ['3 checks failed', 'a waiver names no check', '2 run errors'] });
    // the chat exchange two checks share is one request; the one not sent is none
    expect(report.requests).toStrictEqual({ sent: 2, estimated: 9 });
    expect(report.counts).toMatchObject({ total: 12, failed: 3, passed: 4, denied_as_expected: 1, waived: 1, manual: 1, skipped: 1, runbook_defect: 1 });
    expect(report.comparison).toBeUndefined();
    expect(report.created).toBeUndefined();
  });

  it('leaves out what it was not given', () => {
    const report = buildReport({ context: context({ target: { kind: 'embedded', host: '127.0.0.1', defects: [] } }), tests: [], routeCatalog: [], now: new Date('2030-01-02T03:04:05.000Z') });
    expect(report.target).toStrictEqual({ kind: 'embedded', host: '127.0.0.1' });
    expect(report.gate).toStrictEqual({ passed: true, failOnFindings: false, reasons: [] });
    expect(report.requests).toBeUndefined();
    expect(report.negative).toBeUndefined();
    expect(report.errors).toEqual([]);
    // no test reported a time: the run ends when the report is built
    expect(report.finishedAt).toBe('2030-01-02T03:04:05.000Z');
    expect(buildReport({ context: context(), tests: [], routeCatalog: [], estimatedRequests: 0 }).requests).toStrictEqual({ sent: 0, estimated: 0 });
  });

  it("with --fail-on-findings, counts the findings no check stands for in the gate; a finding's failing test stays a finding", () => {
    const tests = [run(CHECKS.finding, { outcome: 'runbook_defect', message: 'doc (fix: f)' }, { state: 'failed', errors: ['the finding fails the run'] })];
    const strict = buildReport({ context: context(), tests, routeCatalog: [], failOnFindings: true });
    expect(strict.checks.find((k) => k.id === 'beta/finding/1')).toMatchObject({ outcome: 'runbook_defect', message: 'doc (fix: f)' });
    // beta's finding is its check; gamma's has none and counts once
    expect(strict.gate).toMatchObject({ passed: false, failOnFindings: true, reasons: ['2 runbook findings (findings fail the run)'] });
    // without the flag, a test that failed after recording a finding failed
    const lax = buildReport({ context: context(), tests, routeCatalog: [] });
    expect(lax.checks.find((k) => k.id === 'beta/finding/1')).toMatchObject({ outcome: 'failed', message: 'doc (fix: f) | the finding fails the run' });
    expect(lax.gate.reasons).toEqual(['1 check failed']);
  });

  it('compares with a baseline and lists what the run created, when given them', () => {
    const report = build({ baseline: { file: 'base.json', startedAt: iso(-1000), checks: [{ id: 'alpha/chat/works', outcome: 'failed' }, { id: 'gone', outcome: 'passed' }] }, contract: loadContract() });
    expect(report.comparison).toMatchObject({ baseline: { file: 'base.json', startedAt: '2024-12-31T23:59:59.000Z' }, still_failing: ['alpha/chat/works'], removed_checks: ['gone'] });
    expect(report.comparison!.new_failures).toEqual(['alpha/models/works', 'alpha/checklist/2-models-match-allowlist']);
    expect(report.created).toEqual([]);
  });
});

describe('staticFindings', () => {
  it('keeps the findings of products that have no finding check', () => {
    const findings = [{ product: 'a' }, { product: 'b' }, { product: 'c' }];
    expect(staticFindings({ findings }, [{ group: 'finding', product: 'b' }, { group: 'route', product: 'c' }])).toEqual([{ product: 'a' }, { product: 'c' }]);
    expect(staticFindings({ findings }, [])).toEqual(findings);
  });
});
