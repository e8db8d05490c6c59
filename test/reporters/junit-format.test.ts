// junit.xml, whole, for a small report written out by hand: the JUnit XML format as CI servers read it
// (Ant's and Jenkins' junit schema: <testsuites> with name/tests/failures/errors/skipped/time/timestamp,
// <testsuite> with the same and hostname, <testcase> with name/classname/time, then <properties>, and one of
// <failure message type>, <skipped message/> or <system-out>; times in seconds). Every expected line below is
// written from that format and the module's comments (one testsuite per product, one testcase per check and
// per runbook finding no check stands for, the run's time its wall time), not read from the code.
import { describe, expect, it } from 'vitest';
import type { Exchange, Finding } from '../../src/model.ts';
import type { ConformanceReport, ReportCheck, ReportProduct } from '../../src/report/report-model.ts';
import { renderJunit, xmlEscape } from '../../src/report/junit.ts';

const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function get(url: string, answer: Partial<Exchange>): Exchange {
  return { label: 'x', request: { method: 'GET', url, headers: {} }, startedAt: at(0), durationMs: 1, ...answer };
}

function check(fields: Partial<ReportCheck> & Pick<ReportCheck, 'id' | 'group' | 'title' | 'outcome' | 'message'>): ReportCheck {
  return { severity: 'normal', ran: true, exchanges: [], ...fields };
}

function product(id: string, findings: Finding[] = []): ReportProduct {
  return {
    id,
    product: id,
    file: `runbooks/${id}.yaml`,
    digest: 'd',
    compatibility: 'Native OpenAI-compatible',
    category: 'SDK and HTTP',
    preset: 'p',
    driver: 'http',
    outcome: 'none',
    counts: {} as ReportProduct['counts'],
    routes: [],
    validation: [],
    findings: findings.map((f) => ({ ...f, outcome: 'runbook_defect' as const })),
    checks: [],
  };
}

const CHECKS: ReportCheck[] = [
  check({
    id: 'alpha/chat/works',
    group: 'route',
    product: 'alpha',
    route: 'chat',
    verdict: 'native',
    title: 'POST /v1/chat/completions works',
    severity: 'critical',
    outcome: 'failed',
    message: 'answered 500 <b>',
    keyPreset: 'inference',
    startedAt: at(0),
    durationMs: 1500,
    exchanges: [
      get('https://gt.example/v1/models', { response: { status: 500, headers: {}, body: '', bytes: 0 } }),
      get('https://gt.example/v1/a', { error: 'connection refused' }),
      get('https://gt.example/v1/b', {}),
    ],
  }),
  check({
    id: 'alpha/models/works',
    group: 'route',
    product: 'alpha',
    route: 'models',
    verdict: 'native',
    title: 'GET /v1/models works',
    outcome: 'waived',
    message: 'listed 2 models',
    waiver: { reason: 'known & tracked', expires: '2026-12-31' },
    startedAt: at(1000),
    durationMs: 250,
    exchanges: [get('https://gt.example/v1/models', { response: { status: 200, headers: {}, body: '{}', bytes: 2 } })],
  }),
  check({ id: 'cross-cutting/models/no-key', group: 'cross-cutting', route: 'models', title: 'GET /v1/models without a key answers 401', severity: 'blocker', outcome: 'denied_as_expected', message: 'answered 401', durationMs: 300 }),
  check({ id: 'cross-cutting/chat/no-key', group: 'cross-cutting', route: 'chat', title: 'chat without a key', outcome: 'skipped', message: 'filtered out', durationMs: 200 }),
  check({ id: 'beta/finding/1', group: 'finding', product: 'beta', title: 'runbook says X', severity: 'minor', outcome: 'runbook_defect', message: 'beta.yaml:12: no such route', startedAt: at(500), durationMs: 100 }),
  check({ id: 'beta/chat/works', group: 'route', product: 'beta', route: 'chat', verdict: 'gt_extension', title: 'chat works', outcome: 'blocked', message: 'needs alpha', durationMs: 700 }),
];

function report(overrides: Partial<ConformanceReport> = {}, failOnFindings = false): ConformanceReport {
  return {
    schemaVersion: 1,
    harness: { name: 'gt-conformance', version: '1.0.0' },
    contract: { digest: 'c' },
    runbooks: [],
    target: { kind: 'live', host: 'gt.example' },
    seed: 1,
    strict: false,
    startedAt: at(0),
    finishedAt: at(2000),
    gate: { passed: false, failOnFindings, reasons: [] },
    routes: [],
    counts: {} as ConformanceReport['counts'],
    products: [
      product('alpha'),
      product('beta', [{ product: 'beta', file: 'runbooks/beta.yaml', line: 12, message: 'no such route', fix: 'remove it' }]),
      product('gamma', [
        { product: 'gamma', file: 'runbooks/gamma.yaml', message: 'no owner' },
        { product: 'gamma', file: 'runbooks/gamma.yaml', line: 3, message: 'bad verdict', fix: 'use native' },
      ]),
    ],
    crossCutting: { routes: [], checks: [] },
    checks: CHECKS,
    errors: [],
    ...overrides,
  };
}

const EXPECTED = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<testsuites name="gt-conformance" tests="8" failures="1" errors="0" skipped="5" time="2.000" timestamp="2025-01-01T00:00:00.000Z">',
  '  <testsuite name="alpha" tests="2" failures="1" errors="0" skipped="0" time="1.500" timestamp="2025-01-01T00:00:00.000Z" hostname="gt.example">',
  '    <testcase name="alpha › chat [native] › POST /v1/chat/completions works" classname="alpha" time="1.500">',
  '      <properties>',
  '        <property name="check" value="alpha/chat/works"/>',
  '        <property name="outcome" value="failed"/>',
  '        <property name="severity" value="critical"/>',
  '        <property name="key preset" value="inference"/>',
  '      </properties>',
  '      <failure message="answered 500 &lt;b&gt;" type="failed">GET https://gt.example/v1/models -&gt; 500',
  'GET https://gt.example/v1/a -&gt; connection refused',
  'GET https://gt.example/v1/b -&gt; no response',
  '',
  'Reproduce:',
  '# the key of the check',
  'curl -i &apos;https://gt.example/v1/models&apos;',
  'curl -i &apos;https://gt.example/v1/a&apos;',
  'curl -i &apos;https://gt.example/v1/b&apos;</failure>',
  '    </testcase>',
  '    <testcase name="alpha › models [native] › GET /v1/models works" classname="alpha" time="0.250">',
  '      <properties>',
  '        <property name="check" value="alpha/models/works"/>',
  '        <property name="outcome" value="waived"/>',
  '        <property name="severity" value="normal"/>',
  '        <property name="waiver" value="2026-12-31: known &amp; tracked"/>',
  '      </properties>',
  '      <system-out>waived: listed 2 models</system-out>',
  '    </testcase>',
  '  </testsuite>',
  '  <testsuite name="cross-cutting" tests="2" failures="0" errors="0" skipped="1" time="0.500" timestamp="2025-01-01T00:00:00.000Z" hostname="gt.example">',
  '    <testcase name="cross-cutting › models › GET /v1/models without a key answers 401" classname="cross-cutting" time="0.300">',
  '      <properties>',
  '        <property name="check" value="cross-cutting/models/no-key"/>',
  '        <property name="outcome" value="denied_as_expected"/>',
  '        <property name="severity" value="blocker"/>',
  '      </properties>',
  '      <system-out>denied as expected: answered 401</system-out>',
  '    </testcase>',
  '    <testcase name="cross-cutting › chat › chat without a key" classname="cross-cutting" time="0.200">',
  '      <properties>',
  '        <property name="check" value="cross-cutting/chat/no-key"/>',
  '        <property name="outcome" value="skipped"/>',
  '        <property name="severity" value="normal"/>',
  '      </properties>',
  '      <skipped message="skipped: filtered out"/>',
  '    </testcase>',
  '  </testsuite>',
  '  <testsuite name="beta" tests="2" failures="0" errors="0" skipped="2" time="0.100" timestamp="2025-01-01T00:00:00.000Z" hostname="gt.example">',
  '    <testcase name="beta › finding › runbook says X" classname="beta" time="0.100">',
  '      <properties>',
  '        <property name="check" value="beta/finding/1"/>',
  '        <property name="outcome" value="runbook_defect"/>',
  '        <property name="severity" value="minor"/>',
  '      </properties>',
  '      <skipped message="runbook defect (not gating): beta.yaml:12: no such route"/>',
  '    </testcase>',
  '    <testcase name="beta › chat [gt_extension] › chat works" classname="beta" time="0.700">',
  '      <properties>',
  '        <property name="check" value="beta/chat/works"/>',
  '        <property name="outcome" value="blocked"/>',
  '        <property name="severity" value="normal"/>',
  '      </properties>',
  '      <skipped message="blocked: needs alpha"/>',
  '    </testcase>',
  '  </testsuite>',
  '  <testsuite name="gamma" tests="2" failures="0" errors="0" skipped="2" time="0.000" timestamp="2025-01-01T00:00:00.000Z" hostname="gt.example">',
  '    <testcase name="gamma › runbook finding › runbooks/gamma.yaml" classname="gamma" time="0.000">',
  '      <properties>',
  '        <property name="outcome" value="runbook_defect"/>',
  '      </properties>',
  '      <skipped message="runbook defect (not gating): no owner"/>',
  '    </testcase>',
  '    <testcase name="gamma › runbook finding › runbooks/gamma.yaml:3" classname="gamma" time="0.000">',
  '      <properties>',
  '        <property name="outcome" value="runbook_defect"/>',
  '      </properties>',
  '      <skipped message="runbook defect (not gating): bad verdict (fix: use native)"/>',
  '    </testcase>',
  '  </testsuite>',
  '</testsuites>',
  '',
];

describe('renderJunit, whole', () => {
  it('writes one testsuite per product (cross-cutting checks in their own), a testcase per check and per uncovered finding', () => {
    expect(renderJunit(report()).split('\n')).toEqual(EXPECTED);
  });

  it('with --fail-on-findings, a runbook finding is a failure, its message the failure text', () => {
    const lines = renderJunit(report({}, true)).split('\n');
    expect(lines[1]).toBe('<testsuites name="gt-conformance" tests="8" failures="4" errors="0" skipped="2" time="2.000" timestamp="2025-01-01T00:00:00.000Z">');
    expect(lines).toContain('      <failure message="beta.yaml:12: no such route" type="failed">beta.yaml:12: no such route</failure>');
    expect(lines).toContain('      <failure message="no owner" type="failed">no owner</failure>');
    expect(lines).toContain('      <failure message="bad verdict (fix: use native)" type="failed">bad verdict (fix: use native)</failure>');
    expect(lines.filter((l) => l.includes('<skipped '))).toEqual(['      <skipped message="skipped: filtered out"/>', '      <skipped message="blocked: needs alpha"/>']);
  });

  it("the run's time is its wall time; with no usable start and end, the checks' span", () => {
    const root = (r: ConformanceReport) => /^<testsuites [^>]* time="([^"]*)"/m.exec(renderJunit(r))![1];
    expect(root(report({ finishedAt: at(60_500) }))).toBe('60.500');
    // an end before the start, or dates that do not parse: the span of the timed checks (0 to 1.5 s)
    expect(root(report({ finishedAt: at(-1000) }))).toBe('1.500');
    expect(root(report({ startedAt: 'not a date', finishedAt: 'later' }))).toBe('1.500');
    // and with no timed check either: the sum of their times
    const untimed = CHECKS.map(({ startedAt: _, ...c }) => c);
    expect(root(report({ checks: untimed, finishedAt: at(-1) }))).toBe('3.050');
  });

  it("a check's time in seconds, 0 when unknown; a suite's time the span of its timed checks", () => {
    const r = report({
      checks: [
        check({ id: 'a/x/1', group: 'route', product: 'a', route: 'x', title: 't1', outcome: 'passed', message: 'ok', startedAt: at(2000), durationMs: 1234 }),
        check({ id: 'a/x/2', group: 'route', product: 'a', route: 'x', title: 't2', outcome: 'passed', message: 'ok', startedAt: at(3000) }),
        check({ id: 'a/x/3', group: 'route', product: 'a', route: 'x', title: 't3', outcome: 'passed', message: 'ok', durationMs: 9000 }),
      ],
      products: [product('a')],
    });
    const xml = renderJunit(r);
    // the span: from 2.000 s to 3.234 s; the untimed check's 9 s are not in it
    expect(xml).toContain('<testsuite name="a" tests="3" failures="0" errors="0" skipped="0" time="1.234"');
    expect(xml.match(/<testcase [^>]*>/g)).toEqual([
      '<testcase name="a › x › t1" classname="a" time="1.234">',
      '<testcase name="a › x › t2" classname="a" time="0.000">',
      '<testcase name="a › x › t3" classname="a" time="9.000">',
    ]);
    // a product-less check of a group other than cross-cutting is still in the cross-cutting suite
    const loose = renderJunit(report({ checks: [check({ id: 'v/1', group: 'validation', title: 'item', outcome: 'manual', message: 'to be verified by a person' })], products: [] }));
    expect(loose).toContain('<testsuite name="cross-cutting" tests="1" failures="0" errors="0" skipped="1"');
    expect(loose).toContain('<testcase name="cross-cutting › checklist › item" classname="cross-cutting" time="0.000">');
    expect(loose).toContain('<skipped message="manual: to be verified by a person"/>');
  });

  it('a failed check without exchanges has its message as the failure text, and no reproduction', () => {
    const xml = renderJunit(report({ checks: [check({ id: 'a/x/1', group: 'route', product: 'a', route: 'x', title: 't', outcome: 'failed', message: 'no "answer" & more' })], products: [product('a')] }));
    expect(xml).toContain('      <failure message="no &quot;answer&quot; &amp; more" type="failed">no &quot;answer&quot; &amp; more</failure>');
  });

  it('names the embedded tenant in the reproduction of a run against it', () => {
    const xml = renderJunit(report({ target: { kind: 'embedded', host: '127.0.0.1' } }));
    expect(xml).toContain('Reproduce:\n# against the embedded tenant: start gt-conformance mock --export-keys gt-keys.env (it listens on http://127.0.0.1:8787), then . ./gt-keys.env here\n');
    expect(xml).toContain('hostname="127.0.0.1"');
  });
});

describe('xmlEscape', () => {
  it('escapes the five markup characters and replaces what XML 1.0 cannot hold, keeping tab, LF and CR', () => {
    expect(xmlEscape('a&b<c>d"e\'f')).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    expect(xmlEscape('\u0000\u0001\u0008|\t\n\r|\u000b\u000c|\u000e\u001f|\ufffe\uffff|\u007f\u00e9\ufffd')).toBe('\ufffd\ufffd\ufffd|\t\n\r|\ufffd\ufffd|\ufffd\ufffd|\ufffd\ufffd|\u007f\u00e9\ufffd');
    expect(xmlEscape('&amp;')).toBe('&amp;amp;');
  });
});
