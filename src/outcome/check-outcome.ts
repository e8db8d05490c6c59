// A check's outcome from what the plan says of it and the results of its probes.
import type { Check, CheckResult, Exchange, Outcome, ProbeResult, ProbeStatus } from '../model.ts';

/** A probe status that decides the check, worst first; all passed means the check passed. */
const DECIDING: ReadonlyArray<[ProbeStatus, Outcome]> = [
  ['failed', 'failed'],
  ['blocked', 'blocked'],
  ['not_run', 'not_run'],
  ['skipped', 'skipped'],
  ['not_exercised', 'not_exercised'],
];

export function checkOutcome(check: Check, probeResults: ProbeResult[]): CheckResult {
  const exchanges: Exchange[] = probeResults.flatMap((r) => r.exchanges);
  const result = (outcome: Outcome, message: string): CheckResult => ({ checkId: check.id, outcome, message, exchanges });
  if (check.manual) return result('manual', 'a manual checklist item: not checked by machine');
  if (check.group === 'finding') return findingOutcome(check, probeResults, exchanges);
  if (check.notExercised) return result('not_exercised', check.notExercised);
  if (check.skip) return result('skipped', check.skip);
  for (const [status, outcome] of DECIDING) {
    const deciding = probeResults.filter((r) => r.status === status);
    if (deciding.length) return result(outcome, deciding.map((r) => r.message).join(' | '));
  }
  if (probeResults.length === 0) return result('skipped', 'no probe');
  return result(check.denial ? 'denied_as_expected' : 'passed', withKeyNote(check, probeResults.map((r) => r.message).join(' | ')));
}

/** A check that used another key than the product's own says which and why, beside what it saw. */
function withKeyNote(check: Check, message: string): string {
  return check.keyNote ? `${message} | ${check.keyNote}` : message;
}

/** A finding is a documentation defect whatever the tenant does; its probes add what the tenant does with it. */
function findingOutcome(check: Check, probeResults: ProbeResult[], exchanges: Exchange[]): CheckResult {
  const defect = !!check.finding || probeResults.some((r) => r.output?.defect === true);
  const seen = probeResults.map((r) => (r.status === 'passed' ? r.message : `${r.status}: ${r.message}`));
  const text = check.finding ? [`${check.finding.message}${check.finding.fix ? ` (fix: ${check.finding.fix})` : ''}`, ...seen] : seen;
  if (check.skip) text.push(`not checked: ${check.skip}`);
  if (check.keyNote) text.push(check.keyNote);
  const outcome: Outcome = defect ? 'runbook_defect' : check.skip ? 'skipped' : probeResults.some((r) => r.status === 'failed') ? 'failed' : 'passed';
  return { checkId: check.id, outcome, message: text.join(' | '), exchanges };
}
