// The run's verdict, its gate: whether the run passes and, when not, every reason why.
import type { Outcome } from '../model.ts';
import { isFailure, type RunRules } from './settle.ts';
import { UsageError } from '../input/usage-error.ts';

/** What fails the run: any failed check (the default), or only the ones that did not fail in the baseline. */
export type GateMode = 'any' | 'regressions';

export const GATE_MODES: readonly GateMode[] = ['any', 'regressions'];

/** The --gate flag's value, or one UsageError line. */
export function parseGateMode(value: string | undefined): GateMode | undefined {
  if (value === undefined) return undefined;
  if (!(GATE_MODES as readonly string[]).includes(value)) throw new UsageError(`--gate must be any (every failed check fails the run) or regressions (only new failures against --baseline), got ${JSON.stringify(value)}`);
  return value as GateMode;
}

export interface GateInput {
  checks: ReadonlyArray<{ id: string; outcome: Outcome; message: string }>;
  rules?: Pick<RunRules, 'failOnFindings'>;
  /** default 'any' */
  gate?: GateMode;
  /** the ids of the checks that failed in the baseline (--baseline); none given: nothing failed before */
  baselineFailed?: ReadonlySet<string>;
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

/** The failed checks that did not fail in the baseline: with no baseline, every failed check. */
export function newFailures<C extends { id: string; outcome: Outcome }>(checks: ReadonlyArray<C>, baselineFailed: ReadonlySet<string> = new Set()): C[] {
  return checks.filter((c) => c.outcome === 'failed' && !baselineFailed.has(c.id));
}

export function runVerdict(input: GateInput): Gate {
  const reasons: string[] = [];
  const failed = input.checks.filter((c) => c.outcome === 'failed');
  if (input.gate === 'regressions') {
    // Only what is new fails the run; what failed before too is reported (comparison) but does not gate.
    const fresh = newFailures(input.checks, input.baselineFailed);
    if (fresh.length) reasons.push(`${plural(fresh.length, 'new failure')} against the baseline`);
  } else if (failed.length) reasons.push(`${plural(failed.length, 'check')} failed`);
  const findings = input.checks.filter((c) => c.outcome === 'runbook_defect').length + (input.extraFindings ?? 0);
  if (findings && isFailure('runbook_defect', input.rules)) reasons.push(`${plural(findings, 'runbook finding')} (findings fail the run)`);
  // A run stopped by its budget or deadline proves nothing about the checks it did not run: it cannot pass,
  // whichever the gate (a check not run may hide a regression).
  const stopped = input.checks.filter((c) => c.outcome === 'not_run');
  const why = (c: GateInput['checks'][number]) => c.message.split(' | ')[0].replace(/^not run: /, '');
  if (stopped.length) reasons.push(`${plural(stopped.length, 'check')} not run: ${[...new Set(stopped.map(why))].join('; ')}`);
  reasons.push(...(input.problems ?? []));
  if (input.errors?.length) reasons.push(plural(input.errors.length, 'run error'));
  return { passed: reasons.length === 0, reasons };
}
