// The mutation run: the conformance checks against the embedded tenant with each named defect alone, plus the
// clean tenant and the tolerant one (the other allowed choice on every open point). A defect is caught when
// exactly the checks its catching kinds name fail: every one of them, and no other. A check kind is proven
// by a caught defect that fails checks of that kind: were the kind's logic broken so that they passed, that
// defect would show as missed. (Kinds of documentation findings are outside: no tenant defect changes them.)
import path from 'node:path';
import type { CheckResult } from '../model.ts';
import { loadContract } from '../contract/load.ts';
import { DEFECTS, type TenantOptions } from '../tenant/index.ts';
import { runDirect } from '../run/direct.ts';
import { CHECK_KINDS } from '../kinds/index.ts';
import { DEFECT_SETTINGS, expectedFailures } from './expectations.ts';
import type { RunOptions } from '../run/options.ts';
import { defaultRunbookFiles } from '../runbook/load.ts';
import { selftestRunbooksDir } from '../paths.ts';

/**
 * The selftest's own runbook (not a product): it names the checklist kinds no shipped runbook names, so
 * that every kind is planned and can be proven. `gt-conformance run` never reads it.
 */
export const UNNAMED_KINDS_RUNBOOK = path.join(selftestRunbooksDir, 'unnamed-kinds.yaml');

/** The runbooks a selftest run reads: the given ones (the shipped ones by default) and the selftest's own. */
function withUnnamedKinds(runOptions: Partial<RunOptions>): Partial<RunOptions> {
  return { ...runOptions, runbookFiles: [...(runOptions.runbookFiles ?? defaultRunbookFiles()), UNNAMED_KINDS_RUNBOOK] };
}

export interface DefectRow {
  defect: string;
  description: string;
  failed: string[]; // check ids that failed
  unexpected: string[]; // failed checks no kind names for this defect
  /** why each unexpected check failed: its message */
  unexpectedWhy: Record<string, string>;
  missed: string[]; // checks a kind names for this defect that did not fail
  /** how many checks of each kind failed */
  kinds: Record<string, number>;
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
  /** each check kind a tenant defect can prove, with the caught defects that fail its checks; none: unproven */
  kinds: Array<{ kind: string; provenBy: string[] }>;
  proven: number;
}

const failing = (results: CheckResult[]) => results.filter((r) => r.outcome === 'failed');

// Short processing and poll deadlines keep a stuck upload from costing the default 30 s per run; 10 s, not
// less: on a loaded machine a 150 ms processing took longer than 3 s to be seen ready.
const quick = { tenant: { processingMs: 150 } satisfies Partial<TenantOptions>, run: { pollDeadlineMs: 10_000 } };

/** One defect's row; `runOptions` (e.g. other runbook files) go to the run. */
export async function defectRow(defect: string, runOptions: Partial<RunOptions> = {}): Promise<DefectRow> {
  const spec = DEFECTS.find((d) => d.id === defect);
  const setting = DEFECT_SETTINGS[defect] ?? {};
  const run = await runDirect({ ...quick.tenant, ...setting.tenant, defects: [defect] }, { ...quick.run, ...runOptions });
  const failed = failing(run.results);
  const kindOf = new Map(run.plan.checks.map((c) => [c.id, c.kind]));
  const expected = setting.anyCheck ? undefined : expectedFailures(defect, run.plan, loadContract(), run.target);
  const unexpectedResults = failed.filter((r) => (expected ? !expected.has(r.checkId) : !setting.anyCheck!.test(r.message)));
  const unexpected = unexpectedResults.map((r) => r.checkId);
  const failedIds = new Set(failed.map((r) => r.checkId));
  const missed = expected ? [...expected].filter((id) => !failedIds.has(id)) : [];
  return {
    defect,
    description: spec?.description ?? '',
    failed: [...failedIds],
    unexpected,
    unexpectedWhy: Object.fromEntries(unexpectedResults.map((r) => [r.checkId, r.message])),
    missed,
    kinds: countBy(failed.map((r) => kindOf.get(r.checkId) ?? '?')),
    caught: failed.length > 0 && unexpected.length === 0 && missed.length === 0,
  };
}

async function baseline(name: string, profile: 'default' | 'tolerant', runOptions: Partial<RunOptions>): Promise<BaselineRow> {
  const run = await runDirect({ ...quick.tenant, profile }, { ...quick.run, ...runOptions });
  return { name, checks: run.results.length, failed: failing(run.results) };
}

/** A kind is proven by each caught defect that fails checks of that kind (all of which were expected to fail). */
export function provenKinds(rows: DefectRow[]): SelftestReport['kinds'] {
  return CHECK_KINDS.filter((k) => k.group !== 'finding').map((k) => ({ kind: k.name, provenBy: rows.filter((r) => r.caught && (r.kinds[k.name] ?? 0) > 0).map((r) => r.defect) }));
}

/** Runs the defects two at a time (the machine has two cores); `runOptions` go to every run (the harness's own tests give fixed runbooks). */
export async function runSelftest(
  defects: string[] = DEFECTS.map((d) => d.id),
  onRow?: (row: DefectRow, done: number, total: number) => void,
  runOptions: Partial<RunOptions> = {},
): Promise<SelftestReport> {
  runOptions = withUnnamedKinds(runOptions);
  const clean = await baseline('clean', 'default', runOptions);
  const tolerant = await baseline('tolerant', 'tolerant', runOptions);
  const rows: DefectRow[] = new Array(defects.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < defects.length) {
      const i = next++;
      rows[i] = await defectRow(defects[i], runOptions);
      onRow?.(rows[i], ++done, defects.length);
    }
  };
  await Promise.all([worker(), worker()]);
  const kinds = provenKinds(rows);
  return { clean, tolerant, rows, caught: rows.filter((r) => r.caught).length, kinds, proven: kinds.filter((k) => k.provenBy.length).length };
}

function countBy(items: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items.sort()) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

/** The failed checks of a row by kind, "kind (n)", for a short table cell. */
export function caughtBy(row: DefectRow): string {
  return Object.entries(row.kinds)
    .map(([k, n]) => `${k} (${n})`)
    .join(', ');
}
