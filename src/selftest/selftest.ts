// The mutation run: the conformance checks against the embedded tenant with each named defect alone,
// plus the clean tenant and the tolerant one (the other allowed choice on every open point).
import type { CheckResult } from '../model.ts';
import { DEFECTS } from '../tenant/index.ts';
import { runDirect } from '../run/direct.ts';
import { DEFECT_EXPECTATIONS, matches } from './expectations.ts';

export interface DefectRow {
  defect: string;
  description: string;
  failed: string[]; // check ids that failed
  unexpected: string[]; // failed checks no pattern names
  missed: string[]; // patterns no failed check matched
  caught: boolean;
}

export interface BaselineRow {
  name: string;
  checks: number;
  failed: CheckResult[];
}

export interface SelftestReport {
  clean: BaselineRow;
  tolerant: BaselineRow;
  rows: DefectRow[];
  caught: number;
}

const failing = (results: CheckResult[]) => results.filter((r) => r.outcome === 'failed');

// Short processing and poll deadlines keep a stuck upload from costing the default 30 s per run.
const quick = { tenant: { processingMs: 150 }, run: { pollDeadlineMs: 3_000 } };

export async function defectRow(defect: string): Promise<DefectRow> {
  const spec = DEFECTS.find((d) => d.id === defect);
  const expectation = DEFECT_EXPECTATIONS[defect];
  const run = await runDirect({ ...quick.tenant, ...expectation?.tenant, defects: [defect] }, quick.run);
  const failed = failing(run.results);
  const patterns = expectation?.catches ?? [];
  const unexpected = failed.filter((r) => !patterns.some((p) => matches(p, r.checkId)) || (expectation?.message && !expectation.message.test(r.message))).map((r) => r.checkId);
  const missed = patterns.filter((p) => !failed.some((r) => matches(p, r.checkId)));
  return {
    defect,
    description: spec?.description ?? '',
    failed: failed.map((r) => r.checkId),
    unexpected,
    missed,
    caught: !!expectation && failed.length > 0 && unexpected.length === 0 && missed.length === 0,
  };
}

async function baseline(name: string, profile: 'default' | 'tolerant'): Promise<BaselineRow> {
  const run = await runDirect({ ...quick.tenant, profile }, quick.run);
  return { name, checks: run.results.length, failed: failing(run.results) };
}

/** Runs the defects two at a time (the machine has two cores). */
export async function runSelftest(defects: string[] = DEFECTS.map((d) => d.id), onRow?: (row: DefectRow, done: number, total: number) => void): Promise<SelftestReport> {
  const clean = await baseline('clean', 'default');
  const tolerant = await baseline('tolerant', 'tolerant');
  const rows: DefectRow[] = new Array(defects.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < defects.length) {
      const i = next++;
      rows[i] = await defectRow(defects[i]);
      onRow?.(rows[i], ++done, defects.length);
    }
  };
  await Promise.all([worker(), worker()]);
  return { clean, tolerant, rows, caught: rows.filter((r) => r.caught).length };
}

/** Failed check ids folded by pattern into "pattern (n)" for a short table cell. */
export function caughtBy(row: DefectRow): string {
  const patterns = DEFECT_EXPECTATIONS[row.defect]?.catches ?? [];
  const counts = patterns.map((p) => [p, row.failed.filter((id) => matches(p, id)).length] as const).filter(([, n]) => n > 0);
  return counts.map(([p, n]) => `${p} (${n})`).join(', ');
}
