// The outcome a report gives a check: the one its test recorded, unless the runner says otherwise (an
// assertion after the record, a crash), or the check never ran in this run (filtered, another shard, a stop).
import type { Check, CheckMeta, Outcome } from '../model.ts';
import { isFailure, type RunRules } from './settle.ts';

export type TestState = 'passed' | 'failed' | 'skipped' | 'pending';

export function reportedOutcome(meta: Pick<CheckMeta, 'outcome' | 'message'> | undefined, state: TestState, errors: string[], rules: Pick<RunRules, 'failOnFindings'> = {}): { outcome: Outcome; message: string } {
  if (!meta) return state === 'failed' ? { outcome: 'failed', message: errors[0] ?? 'the test failed without recording its check' } : { outcome: 'skipped', message: 'the test did not record its check' };
  // The runner's verdict wins over what the test recorded before it failed, unless the outcome itself fails the test.
  if (state === 'failed' && !isFailure(meta.outcome, rules)) return { outcome: 'failed', message: [meta.message, errors[0]].filter(Boolean).join(' | ') };
  return { outcome: meta.outcome, message: meta.message };
}

/** A planned check no test reported in this run. */
export function notRunOutcome(check: Check): { outcome: Outcome; message: string } {
  if (check.manual) return { outcome: 'manual', message: 'to be verified by a person' };
  if (check.notExercised) return { outcome: 'not_exercised', message: check.notExercised };
  if (check.skip) return { outcome: 'skipped', message: check.skip };
  return { outcome: 'skipped', message: 'not run in this run (filtered out, in another shard, or the run stopped before it)' };
}
