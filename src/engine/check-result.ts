// A check's outcome from the results of its probes.
import type { Check, CheckResult, Exchange, Outcome, ProbeResult } from '../model.ts';

export function checkResult(check: Check, probeResults: ProbeResult[]): CheckResult {
  const exchanges: Exchange[] = probeResults.flatMap((r) => r.exchanges);
  if (check.manual) return { checkId: check.id, outcome: 'manual', message: 'a manual checklist item: not checked by machine', exchanges };
  if (check.group === 'finding') return findingResult(check, probeResults, exchanges);
  if (check.notExercised) return { checkId: check.id, outcome: 'not_exercised', message: check.notExercised, exchanges };
  const by = (s: ProbeResult['status']) => probeResults.filter((r) => r.status === s);
  const pick = (outcome: Outcome, rs: ProbeResult[]): CheckResult => ({ checkId: check.id, outcome, message: rs.map((r) => r.message).join(' | '), exchanges });
  if (by('failed').length) return pick('failed', by('failed'));
  if (by('blocked').length) return pick('blocked', by('blocked'));
  if (by('skipped').length) return pick('skipped', by('skipped'));
  if (probeResults.length === 0) return { checkId: check.id, outcome: 'skipped', message: 'no probe', exchanges };
  return pick(check.denial ? 'denied_as_expected' : 'passed', probeResults);
}

/** A finding is a documentation defect whatever the tenant does; its probes add what the tenant does with it. */
function findingResult(check: Check, probeResults: ProbeResult[], exchanges: Exchange[]): CheckResult {
  const defect = !!check.finding || probeResults.some((r) => r.output?.defect === true);
  const seen = probeResults.map((r) => (r.status === 'passed' ? r.message : `${r.status}: ${r.message}`));
  const text = check.finding ? [`${check.finding.message}${check.finding.fix ? ` (fix: ${check.finding.fix})` : ''}`, ...seen] : seen;
  const outcome = defect ? 'runbook_defect' : probeResults.some((r) => r.status === 'failed') ? 'failed' : 'passed';
  return { checkId: check.id, outcome, message: text.join(' | '), exchanges };
}
