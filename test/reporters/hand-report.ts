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

/** A check that passed with no exchange; tests override the fields they look at. */
export function handCheck(id: string, fields: Partial<ReportCheck> = {}): ReportCheck {
  return { id, group: 'route', title: id, severity: 'normal', outcome: 'passed', message: '', ran: true, exchanges: [], ...fields };
}

/** Outcome counts, every one 0 but those given. */
export function handCounts(counts: Partial<ConformanceReport['counts']> = {}): ConformanceReport['counts'] {
  return { passed: 0, denied_as_expected: 0, failed: 0, blocked: 0, not_run: 0, not_exercised: 0, skipped: 0, waived: 0, manual: 0, runbook_defect: 0, total: 0, ...counts };
}
