// Which suite file declares a check. Vitest shards by file, so route checks are spread over several
// files by product (round-robin over the sorted product ids): more files, more shards a run can use.
import type { Check, RunContext } from '../model.ts';
import { suiteFilePath } from './project.ts';

export const ROUTE_BUCKETS = 4;

/** The title of the placeholder test of a suite file without checks in this run. */
export const NO_CHECK_HERE = 'no check of this run is declared in this file';

const groupFile = { validation: 'checklist', 'cross-cutting': 'cross-cutting', finding: 'findings' } as const;

/** The suite file name (without suites/ and .test.ts) that declares this check. */
export function suiteFileOf(check: Check, products: string[]): string {
  if (check.group !== 'route') return groupFile[check.group];
  const sorted = [...products].sort();
  const bucket = (Math.max(0, sorted.indexOf(check.product ?? '')) % ROUTE_BUCKETS) + 1;
  return `routes.${bucket}`;
}

/** The suite files that will declare a test in this run (vitest treats a file without tests as an error). */
export function suiteFilesOf(context: Pick<RunContext, 'checks' | 'runbooks'>): string[] {
  const products = context.runbooks.map((r) => r.id);
  const files = new Set(context.checks.filter((c) => !c.manual).map((c) => suiteFileOf(c, products)));
  return [...files].sort().map(suiteFilePath);
}
