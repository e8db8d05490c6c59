// A conformance report written out by hand, for the reporters' unit tests: every field a plain value the
// test can read off, nothing from a run. Tests override the fields they look at.
import type { ConformanceReport, ReportCheck } from '../../src/report/report-model.ts';

export function handReport(checks: ReportCheck[], fields: Partial<ConformanceReport> = {}): ConformanceReport {
  return {
    schemaVersion: 1,
    harness: { name: 'gt-conformance', version: '1' },
    contract: { digest: 'c' },
    runbooks: [],
    target: { kind: 'live', host: 'gt.example' },
    seed: 1,
    strict: false,
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:01.000Z',
    gate: { passed: true, failOnFindings: false, reasons: [] },
    routes: [],
    counts: {} as ConformanceReport['counts'],
    products: [],
    crossCutting: { routes: [], checks: [] },
    checks,
    errors: [],
    ...fields,
  };
}

/** A check of the report: a passed route check titled by its id, with no exchanges, unless `fields` say otherwise. */
export const reportCheck = (id: string, fields: Partial<ReportCheck> = {}): ReportCheck => ({ id, group: 'route', title: id, severity: 'normal', outcome: 'passed', message: '', ran: true, exchanges: [], ...fields });
