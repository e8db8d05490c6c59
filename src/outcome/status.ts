// One outcome, one status in every format: the table every renderer reads (docs/reports.md has it in words).
// What a check's vitest test does decides its JUnit element and its Allure status, so the three always
// agree; the console mark and the words of the Markdown and HTML reports come from the same row.
import type { Outcome } from '../model.ts';
import { outcomeWords } from './outcomes.ts';

/** What a check's test does: pass, fail or be skipped. */
export type TestVerdict = 'pass' | 'fail' | 'skip';

export interface OutcomeStatus {
  /** the vitest test's state, hence JUnit's element and Allure's status */
  test: TestVerdict;
  junit: 'passed' | 'failure' | 'skipped';
  allure: 'passed' | 'failed' | 'skipped';
  /** the console's four-character mark of a progress line */
  mark: string;
  /** the console matrix's short word */
  short: string;
  /** the words of the Markdown and HTML reports */
  words: string;
}

export interface StatusRules {
  /** --fail-on-findings: a runbook finding fails its test and the run */
  failOnFindings?: boolean;
}

interface Row {
  test: TestVerdict;
  mark: string;
  short: string;
}

// A test that shows nothing either way (blocked, skipped, not exercised, not run, manual, a finding that does
// not gate) is skipped, with its reason as the skip message: never "passed", which would claim more than it shows.
const ROWS: Record<Outcome, Row> = {
  passed: { test: 'pass', mark: 'ok  ', short: 'pass' },
  denied_as_expected: { test: 'pass', mark: 'ok  ', short: 'denied' },
  failed: { test: 'fail', mark: 'FAIL', short: 'FAIL' },
  waived: { test: 'pass', mark: 'wvd ', short: 'waived' },
  blocked: { test: 'skip', mark: 'BLKD', short: 'blocked' },
  not_run: { test: 'skip', mark: 'STOP', short: 'not run' },
  not_exercised: { test: 'skip', mark: 'n/e ', short: 'n/e' },
  skipped: { test: 'skip', mark: 'skip', short: 'skip' },
  manual: { test: 'skip', mark: 'man ', short: 'manual' },
  runbook_defect: { test: 'skip', mark: 'DOC ', short: 'DOC' },
};

const JUNIT = { pass: 'passed', fail: 'failure', skip: 'skipped' } as const;
const ALLURE = { pass: 'passed', fail: 'failed', skip: 'skipped' } as const;

/** Whether an outcome makes its test (and the run's gate) fail under these rules. */
export function isFailure(outcome: Outcome, rules: StatusRules = {}): boolean {
  return outcome === 'failed' || (!!rules.failOnFindings && outcome === 'runbook_defect');
}

/** The status of an outcome in every format, under the run's rules. */
export function outcomeStatus(outcome: Outcome, rules: StatusRules = {}): OutcomeStatus {
  const row = ROWS[outcome];
  const test: TestVerdict = isFailure(outcome, rules) ? 'fail' : row.test;
  const gating = test === 'fail' && outcome === 'runbook_defect';
  return { test, junit: JUNIT[test], allure: ALLURE[test], mark: gating ? 'FAIL' : row.mark, short: row.short, words: outcomeWords(outcome) };
}
