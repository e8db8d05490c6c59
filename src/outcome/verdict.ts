// The run's verdict, its gate: whether the run passes and, when not, every reason why.
import type { Outcome } from '../model.ts';
import { isFailure, type RunRules } from './settle.ts';

export interface GateInput {
  checks: ReadonlyArray<{ outcome: Outcome; message: string }>;
  rules?: Pick<RunRules, 'failOnFindings'>;
  /** findings no check stands for (a context from an older planner) */
  extraFindings?: number;
  /** problems found outside the checks: a waiver naming no check, a missing shard */
  problems?: string[];
  /** errors of the run itself: unhandled errors, modules that failed to load */
  errors?: string[];
}

export interface Gate {
  passed: boolean;
  reasons: string[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function runVerdict(input: GateInput): Gate {
  const reasons: string[] = [];
  const failed = input.checks.filter((c) => c.outcome === 'failed');
  if (failed.length) reasons.push(`${plural(failed.length, 'check')} failed`);
  const findings = input.checks.filter((c) => c.outcome === 'runbook_defect').length + (input.extraFindings ?? 0);
  if (findings && isFailure('runbook_defect', input.rules)) reasons.push(`${plural(findings, 'runbook finding')} (findings fail the run)`);
  // A run stopped by its budget or deadline proves nothing about the checks it did not run: it cannot pass.
  const stopped = input.checks.filter((c) => c.outcome === 'not_run');
  if (stopped.length) reasons.push(`${plural(stopped.length, 'check')} not run: ${[...new Set(stopped.map((c) => c.message.split(' | ')[0]))].join('; ')}`);
  reasons.push(...(input.problems ?? []));
  if (input.errors?.length) reasons.push(plural(input.errors.length, 'run error'));
  return { passed: reasons.length === 0, reasons };
}
