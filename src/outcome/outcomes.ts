// Outcome arithmetic: the outcomes in report order, how checks add up to a matrix cell or a product, and
// the counts.
import type { Outcome } from '../model.ts';

/** How many checks ended in each outcome, and in all. */
export type OutcomeCounts = Record<Outcome, number> & { total: number };

export const OUTCOMES: readonly Outcome[] = [
  'passed',
  'denied_as_expected',
  'failed',
  'blocked',
  'not_run',
  'not_exercised',
  'skipped',
  'waived',
  'manual',
  'runbook_defect',
];

// Worst first: a cell shows the most serious thing that happened in it.
// A waived failure is still shown (as waived) over anything that went fine.
const precedence: readonly Outcome[] = [
  'failed',
  'waived',
  'runbook_defect',
  'blocked',
  'not_run',
  'passed',
  'denied_as_expected',
  'not_exercised',
  'skipped',
  'manual',
];

/** The outcome of a group of checks: the worst of them (failed > waived > runbook defect > blocked > not run > passed > …). */
export function aggregateOutcome(outcomes: Iterable<Outcome>): Outcome | 'none' {
  let best: number | undefined;
  for (const o of outcomes) {
    const rank = precedence.indexOf(o);
    if (best === undefined || rank < best) best = rank;
  }
  return best === undefined ? 'none' : precedence[best];
}

export function countOutcomes(outcomes: Iterable<Outcome>): OutcomeCounts {
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;
  counts.total = 0;
  for (const o of outcomes) {
    counts[o] += 1;
    counts.total += 1;
  }
  return counts;
}

/** Short words for people: "denied as expected", "not exercised". */
export function outcomeWords(outcome: Outcome | 'none'): string {
  return outcome === 'none' ? 'no check' : outcome.replaceAll('_', ' ');
}
