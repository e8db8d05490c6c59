// The survivors of the first mutation run over har/junit/build/validate (docs/testing.md, the fourth session):
// HAR 1.2's header lists, timings (-1: not applicable/unknown), entries sorted by startedDateTime and the log's
// version; a --fail-on-findings finding with evidence; a test's record without exchanges; a valid report.
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/model.ts';
import type { ReportCheck } from '../../src/report/report-model.ts';
import { distinctExchanges, harFromReport } from '../../src/report/har.ts';
import { renderJunit } from '../../src/report/junit.ts';
import { buildReport } from '../../src/report/build.ts';
import { assertValidReport } from '../../src/report/validate.ts';
import { routeCatalog } from '../../src/report/run-context.ts';
import { defaultScenario, metaOf } from '../fixtures/reports/scenario.ts';
import { handReport } from './hand-report.ts';

const ex = (startedAt: string, fields: Partial<Exchange> = {}): Exchange => ({
  label: startedAt,
  request: { method: 'POST', url: 'https://gt.example/v1/x', headers: { Accept: 'application/json', 'Content-Type': 'text/plain' }, body: 'hi' },
  response: { status: 200, headers: { 'x-request-id': 'r1', 'Content-Type': 'text/plain' }, body: 'ok', bytes: 2 },
  startedAt,
  durationMs: 5,
  ...fields,
});
const check = (id: string, exchanges: Exchange[], fields: Partial<ReportCheck> = {}): ReportCheck => ({ id, group: 'route', title: id, severity: 'normal', outcome: 'passed', message: 'm', ran: true, exchanges, ...fields });
const report = handReport;

describe('HAR 1.2 fields', () => {
  it('lists every header as name and value, and finds the content type whatever its place and case', () => {
    const [entry] = harFromReport(report([check('a', [ex('2025-01-01T00:00:00.000Z')])])).log.entries;
    expect(entry.request.headers).toStrictEqual([{ name: 'Accept', value: 'application/json' }, { name: 'Content-Type', value: 'text/plain' }]);
    expect(entry.response.headers).toStrictEqual([{ name: 'x-request-id', value: 'r1' }, { name: 'Content-Type', value: 'text/plain' }]);
    expect(entry.request.postData!.mimeType).toBe('text/plain');
    expect(entry.response.content.mimeType).toBe('text/plain');
    expect(entry.request.headersSize).toBe(-1);
    expect(entry.timings).toStrictEqual({ blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 5, receive: 0 });
  });

  it('never gives a negative time', () => {
    const [entry] = harFromReport(report([check('a', [ex('2025-01-01T00:00:00.000Z', { durationMs: -3 })])])).log.entries;
    expect(entry.time).toBe(0);
    expect(entry.timings.wait).toBe(0);
  });

  it('is version 1.2, its entries by start time, each naming its checks', () => {
    const later = ex('2025-01-01T00:00:09.000Z');
    const first = ex('2025-01-01T00:00:01.000Z');
    const har = harFromReport(report([check('a', [later]), check('b', [first])]));
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.map((e) => [e.startedDateTime, e._checks])).toEqual([
      ['2025-01-01T00:00:01.000Z', ['b']],
      ['2025-01-01T00:00:09.000Z', ['a']],
    ]);
    expect(distinctExchanges([check('a', [later]), check('b', [first])]).map((d) => d.checks)).toEqual([['b'], ['a']]);
  });
});

describe('JUnit, a finding that fails the run', () => {
  it('has its exchanges as the failure text and no reproduction (it is not a failed check)', () => {
    const finding = check('beta/finding/1', [ex('2025-01-01T00:00:00.000Z', { request: { method: 'GET', url: 'https://gt.example/doc', headers: {} } })], { group: 'finding', product: 'beta', outcome: 'runbook_defect', message: 'the documented URL is not served' });
    const xml = renderJunit(report([finding], { gate: { passed: false, failOnFindings: true, reasons: [] } }));
    expect(xml).toContain('<failure message="the documented URL is not served" type="failed">GET https://gt.example/doc -&gt; 200</failure>');
  });
});

describe('buildReport and the schema', () => {
  it('gives a check whose record has no exchanges an empty list', () => {
    const scenario = defaultScenario();
    const c = scenario.checks.find((x) => x.outcome === 'passed')!;
    const { exchanges: _, ...meta } = metaOf(c);
    const built = buildReport({ context: scenario.context, tests: [{ name: 'x', meta: meta as typeof meta & { exchanges: Exchange[] }, state: 'passed', errors: [] }], routeCatalog: [] });
    expect(built.checks.find((x) => x.id === c.check.id)!.exchanges).toStrictEqual([]);
  });

  it('assertValidReport takes a valid report', () => {
    const scenario = defaultScenario();
    const built = buildReport({ context: scenario.context, tests: scenario.checks.filter((c) => c.outcome).map((c) => ({ name: c.check.title, meta: metaOf(c), state: 'passed', errors: [] })), routeCatalog: routeCatalog(), now: new Date('2025-01-01T00:00:00Z') });
    expect(() => assertValidReport(built)).not.toThrow();
  });
});
