// The conformance report as a pure function of the run context and the tests' results.
import { describe, expect, it } from 'vitest';
import { buildReport, type TestRun } from '../../src/report/build.ts';
import { aggregateOutcome } from '../../src/outcome/outcomes.ts';
import { reportSchemaErrors } from '../../src/report/validate.ts';
import { renderJunit } from '../../src/report/junit.ts';
import { renderMarkdown, mdEscape } from '../../src/report/markdown.ts';
import { routeCatalog } from '../../src/report/run-context.ts';
import { defaultScenario, metaOf } from '../fixtures/reports/scenario.ts';

function build(overrides: Partial<Parameters<typeof buildReport>[0]> = {}) {
  const scenario = defaultScenario();
  const tests: TestRun[] = scenario.checks
    .filter((c) => c.outcome)
    .map((c) => ({ name: c.check.title, meta: metaOf(c), state: c.outcome === 'failed' ? 'failed' : c.outcome === 'passed' || c.outcome === 'denied_as_expected' ? 'passed' : 'skipped', errors: [], startTime: 1_700_000_000_000, durationMs: 5 }));
  return { scenario, report: buildReport({ context: scenario.context, tests, routeCatalog: routeCatalog(), ...overrides }) };
}

describe('aggregateOutcome', () => {
  it('ranks failed over blocked over passed over not exercised over skipped', () => {
    expect(aggregateOutcome(['passed', 'failed', 'blocked'])).toBe('failed');
    expect(aggregateOutcome(['skipped', 'blocked', 'passed'])).toBe('blocked');
    expect(aggregateOutcome(['not_exercised', 'denied_as_expected'])).toBe('denied_as_expected');
    expect(aggregateOutcome(['skipped', 'not_exercised'])).toBe('not_exercised');
    expect(aggregateOutcome([])).toBe('none');
  });

  it('shows a waived failure as waived, but a real failure beside it as failed', () => {
    expect(aggregateOutcome(['passed', 'waived'])).toBe('waived');
    expect(aggregateOutcome(['waived', 'failed'])).toBe('failed');
  });
});

describe('buildReport', () => {
  it('validates against the schema, and a broken report does not', () => {
    const { report } = build();
    expect(reportSchemaErrors(report)).toEqual([]);
    const broken = structuredClone(report) as unknown as { products: Array<{ outcome: string }>; seed: unknown };
    broken.products[0].outcome = 'sort of ok';
    broken.seed = 'forty-two';
    const errors = reportSchemaErrors(broken);
    expect(errors.some((e) => e.startsWith('/products/0/outcome'))).toBe(true);
    expect(errors.some((e) => e.startsWith('/seed'))).toBe(true);
  });

  it('counts each check once, including the manual one that has no test', () => {
    const { scenario, report } = build();
    expect(report.counts.total).toBe(scenario.checks.length);
    expect(report.counts.failed).toBe(scenario.checks.filter((c) => c.outcome === 'failed').length);
    expect(report.counts.manual).toBe(1);
    expect(report.checks.find((c) => c.id === 'alpha/checklist/2')).toMatchObject({ outcome: 'manual', ran: false });
  });

  it('aggregates each product × route cell from its route checks and keeps the runbook verdict', () => {
    const { report } = build();
    const alpha = report.products.find((p) => p.id === 'alpha')!;
    const cell = (route: string) => alpha.routes.find((r) => r.route === route)!;
    expect(cell('models')).toMatchObject({ verdict: 'native', outcome: 'passed' });
    expect(cell('chat')).toMatchObject({ verdict: 'native', outcome: 'failed', checks: ['alpha/chat/works', 'alpha/chat/denied-without-scope'] });
    expect(cell('embeddings')).toMatchObject({ verdict: 'gt_extension', outcome: 'failed', requiresScope: 'inference:embed' });
    expect(cell('images')).toMatchObject({ verdict: 'not_supported', outcome: 'not_exercised' });
    expect(cell('conversations')).toMatchObject({ outcome: 'none', checks: [] });
    expect(cell('conversations').verdict).toBeUndefined();
    expect(report.crossCutting.routes.find((r) => r.route === 'chat')!.outcome).toBe('failed');
  });

  it('lists the checklist: machine items with their outcome, manual items as manual', () => {
    const { report } = build();
    const alpha = report.products.find((p) => p.id === 'alpha')!;
    expect(alpha.validation).toEqual([
      expect.objectContaining({ check: 'chat-with-alias', checkId: 'alpha/checklist/1', outcome: 'passed' }),
      expect.objectContaining({ checkId: 'alpha/checklist/2', outcome: 'manual' }),
    ]);
    expect(report.products.find((p) => p.id === 'beta')!.findings).toEqual([expect.objectContaining({ line: 12, outcome: 'runbook_defect' })]);
  });

  it('fails the gate on failed checks, and on findings only when asked', () => {
    expect(build().report.gate).toMatchObject({ passed: false, reasons: ['3 checks failed'] });
    const { scenario } = build();
    const clean = scenario.checks.filter((c) => c.outcome !== 'failed');
    const tests: TestRun[] = clean.filter((c) => c.outcome).map((c) => ({ name: c.check.title, meta: metaOf(c), state: 'passed', errors: [] }));
    const context = { ...scenario.context, checks: clean.map((c) => c.check) };
    expect(buildReport({ context, tests, routeCatalog: [] }).gate.passed).toBe(true);
    const strict = buildReport({ context, tests, routeCatalog: [], failOnFindings: true }).gate;
    expect(strict).toMatchObject({ passed: false, reasons: ['1 runbook finding (findings fail the run)'] });
  });

  it('trusts the runner when a test failed after recording a passing check', () => {
    const { scenario } = build();
    const c = scenario.checks[0];
    const report = buildReport({ context: scenario.context, tests: [{ name: 'x', meta: metaOf(c), state: 'failed', errors: ['expect(received).toBe(expected)'] }], routeCatalog: [] });
    expect(report.checks[0]).toMatchObject({ outcome: 'failed', message: 'listed 2 models | expect(received).toBe(expected)' });
  });

  it('reports checks that no test reported as not run, and failing tests without metadata as run errors', () => {
    const { scenario } = build();
    const report = buildReport({ context: scenario.context, tests: [{ name: 'suite › boom', state: 'failed', errors: ['TypeError: x is undefined'] }], routeCatalog: [] });
    expect(report.checks.filter((c) => !c.ran).length).toBe(scenario.checks.length);
    expect(report.checks.find((c) => c.id === 'alpha/models/works')).toMatchObject({ outcome: 'skipped', ran: false });
    expect(report.errors).toEqual(['test "suite › boom" failed without check metadata: TypeError: x is undefined']);
    expect(report.gate.passed).toBe(false);
  });
});

describe('JUnit', () => {
  it('names each testcase product › route [verdict] › title, with failures and skips', () => {
    const xml = renderJunit(build().report);
    expect(xml).toContain('<testcase name="alpha › chat [native] › POST /v1/chat/completions works" classname="alpha"');
    expect(xml).toContain('<testcase name="cross-cutting › models › GET /v1/models without a key answers 401" classname="cross-cutting"');
    expect(xml).toContain('<testcase name="alpha › checklist › List models and complete a chat with a published alias"');
    expect(xml.match(/<failure /g)?.length).toBe(3);
    // blocked, not exercised, skipped, manual checks and the non-gating finding
    expect(xml.match(/<skipped /g)?.length).toBe(5);
    expect(xml).toMatch(/<testsuites name="gt-conformance" tests="15" failures="3" errors="0" skipped="5"/);
  });

  it('escapes markup from tenant answers', () => {
    const xml = renderJunit(build().report);
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('&lt;script&gt;');
  });
});

describe('Markdown', () => {
  it('shows totals, the matrix with short outcome words, and the failures', () => {
    const md = renderMarkdown(build().report);
    expect(md).toContain('## GT conformance: FAILED (3 checks failed)');
    expect(md).toContain('| failed | 3 |');
    expect(md).toMatch(/\| Alpha &lt;b&gt;Chat&lt;\/b&gt; \| failed \| Native OpenAI-compatible \| openai-chat \| native: passed \| native: failed \| GT extension: failed \|/);
    expect(md).toContain('### Failed (3)');
  });

  it('keeps table cells in one piece and free of HTML', () => {
    expect(mdEscape('a | b\n<img src=x onerror=alert(1)> `code`')).toBe('a &#124; b &lt;img src=x onerror=alert(1)&gt; &#96;code&#96;');
  });
});
