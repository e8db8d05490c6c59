// What a check's outcome becomes under the run's rules (waivers, --fail-on-findings), and what the test that
// carries it must do: pass, fail or be skipped. The suites, the direct runner and the reports all use this.
import type { Check, Outcome } from '../model.ts';
import { applyWaiver, type Waiver } from './waivers.ts';

export interface RunRules {
  waivers?: readonly Waiver[];
  failOnFindings?: boolean;
  now?: Date;
}

export type TestVerdict = 'pass' | 'fail' | 'skip';

export interface Settled {
  outcome: Outcome;
  message: string;
  waiver?: { reason: string; expires: string };
  /** what the check's test does */
  test: TestVerdict;
}

/** Outcomes whose test is skipped: nothing was shown either way. */
const UNSHOWN: ReadonlySet<Outcome> = new Set<Outcome>(['blocked', 'skipped', 'not_exercised', 'not_run', 'manual']);

/** Whether an outcome makes its test (and the run's gate) fail under these rules. */
export function isFailure(outcome: Outcome, rules: Pick<RunRules, 'failOnFindings'> = {}): boolean {
  return outcome === 'failed' || (!!rules.failOnFindings && outcome === 'runbook_defect');
}

export function settle(check: Pick<Check, 'id' | 'product'>, result: { outcome: Outcome; message: string }, rules: RunRules = {}): Settled {
  const waived = applyWaiver(rules.waivers ?? [], { product: check.product, checkId: check.id, outcome: result.outcome, message: result.message }, rules.now);
  const message = waived.outcome === 'runbook_defect' && rules.failOnFindings ? `runbook defect (--fail-on-findings): ${waived.message}` : waived.message;
  const test: TestVerdict = isFailure(waived.outcome, rules) ? 'fail' : UNSHOWN.has(waived.outcome) ? 'skip' : 'pass';
  return { outcome: waived.outcome, message, ...(waived.waiver ? { waiver: waived.waiver } : {}), test };
}
