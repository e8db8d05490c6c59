// What a check's outcome becomes under the run's rules (waivers, --fail-on-findings), and what the test that
// carries it must do: pass, fail or be skipped. The suites, the direct runner and the reports all use this.
import type { Check, Outcome } from '../model.ts';
import { applyWaiver, type Waiver } from './waivers.ts';
import { isFailure, outcomeStatus, type TestVerdict } from './status.ts';

export interface RunRules {
  waivers?: readonly Waiver[];
  failOnFindings?: boolean;
  now?: Date;
}

export type { TestVerdict };
export { isFailure };

export interface Settled {
  outcome: Outcome;
  message: string;
  waiver?: { reason: string; expires: string };
  /** what the check's test does */
  test: TestVerdict;
}

export function settle(check: Pick<Check, 'id' | 'product'>, result: { outcome: Outcome; message: string }, rules: RunRules = {}): Settled {
  const waived = applyWaiver(rules.waivers ?? [], { product: check.product, checkId: check.id, outcome: result.outcome, message: result.message }, rules.now);
  const message = waived.outcome === 'runbook_defect' && rules.failOnFindings ? `runbook defect (--fail-on-findings): ${waived.message}` : waived.message;
  const { test } = outcomeStatus(waived.outcome, rules);
  return { outcome: waived.outcome, message, ...(waived.waiver ? { waiver: waived.waiver } : {}), test };
}
