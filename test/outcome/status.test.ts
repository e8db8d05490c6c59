// The status table every format reads (src/outcome/status.ts), row by row, written out by hand from the
// table in docs/reports.md ("one outcome, one status"), with and without --fail-on-findings.
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/model.ts';
import { isFailure, outcomeStatus } from '../../src/outcome/status.ts';

// outcome → [test, junit, allure, mark, short, words]
const TABLE: Record<Outcome, [string, string, string, string, string, string]> = {
  passed: ['pass', 'passed', 'passed', 'ok  ', 'pass', 'passed'],
  denied_as_expected: ['pass', 'passed', 'passed', 'ok  ', 'denied', 'denied as expected'],
  waived: ['pass', 'passed', 'passed', 'wvd ', 'waived', 'waived'],
  failed: ['fail', 'failure', 'failed', 'FAIL', 'FAIL', 'failed'],
  blocked: ['skip', 'skipped', 'skipped', 'BLKD', 'blocked', 'blocked'],
  not_run: ['skip', 'skipped', 'skipped', 'STOP', 'not run', 'not run'],
  not_exercised: ['skip', 'skipped', 'skipped', 'n/e ', 'n/e', 'not exercised'],
  skipped: ['skip', 'skipped', 'skipped', 'skip', 'skip', 'skipped'],
  manual: ['skip', 'skipped', 'skipped', 'man ', 'manual', 'manual'],
  runbook_defect: ['skip', 'skipped', 'skipped', 'DOC ', 'DOC', 'runbook defect'],
};
const row = (o: Outcome, failOnFindings: boolean) => {
  const s = outcomeStatus(o, { failOnFindings });
  return [s.test, s.junit, s.allure, s.mark, s.short, s.words];
};

describe('outcomeStatus', () => {
  it.each(Object.keys(TABLE) as Outcome[])('%s: the row of docs/reports.md, the same under --fail-on-findings unless a finding', (outcome) => {
    expect(row(outcome, false)).toEqual(TABLE[outcome]);
    expect(outcomeStatus(outcome)).toEqual(outcomeStatus(outcome, {}));
    if (outcome !== 'runbook_defect') expect(row(outcome, true)).toEqual(TABLE[outcome]);
  });

  it('a runbook defect under --fail-on-findings fails its test and shows FAIL, keeping its short word', () => {
    expect(row('runbook_defect', true)).toEqual(['fail', 'failure', 'failed', 'FAIL', 'DOC', 'runbook defect']);
  });
});

describe('isFailure', () => {
  it('only a failed check fails, and a finding too under --fail-on-findings', () => {
    const failing = (rules: { failOnFindings?: boolean }) => (Object.keys(TABLE) as Outcome[]).filter((o) => isFailure(o, rules));
    expect(failing({})).toEqual(['failed']);
    expect(failing({ failOnFindings: false })).toEqual(['failed']);
    expect(failing({ failOnFindings: true })).toEqual(['failed', 'runbook_defect']);
    expect(isFailure('runbook_defect')).toBe(false);
  });
});
