// Runs the conformance project of vitest.config.ts in this process, with the run's reporters.
import path from 'node:path';
import { startVitest } from 'vitest/node';
import { projectRoot } from '../paths.ts';
import type { RunOptions } from './options.ts';
import type { CheckGroup } from '../model.ts';
import { loadContract } from '../contract/load.ts';
import { loadTargetFile } from '../target/live.ts';
import { createTenant } from '../tenant/index.ts';
import { loadRunbooksOrThrow, planFor } from './session.ts';
import { runReporters } from '../../reporters/index.ts';

/** The suite file of each check group (suites/<file>.test.ts). */
const suiteOfGroup: Record<CheckGroup, string> = { route: 'routes', validation: 'checklist', 'cross-cutting': 'cross-cutting', finding: 'findings' };

/** Only suite files that will declare a test: vitest treats a file without tests as an error. */
export function suiteFilters(options: RunOptions): string[] {
  const contract = loadContract();
  const target = options.targetFile
    ? loadTargetFile(options.targetFile, contract, process.env, false).live?.target
    : createTenant({ freshSecrets: true }).target;
  if (!target) return [];
  const { plan } = planFor(options, contract, loadRunbooksOrThrow(options, contract), target);
  const groups = new Set(plan.checks.filter((c) => !c.manual).map((c) => c.group));
  return [...groups].map((g) => `suites/${suiteOfGroup[g]}.test.ts`);
}

export async function runSuites(options: RunOptions): Promise<number> {
  const vitest = await startVitest(
    'test',
    suiteFilters(options),
    {
      root: projectRoot,
      config: path.join(projectRoot, 'vitest.config.ts'),
      project: ['conformance'],
      watch: false,
      reporters: runReporters(options),
      shard: options.shard,
      passWithNoTests: false,
    },
  );
  const failed = vitest.state.getCountOfFailedTests();
  const unhandled = vitest.state.getUnhandledErrors().length;
  await vitest.close();
  if (process.exitCode === 2) return 2;
  return failed > 0 || unhandled > 0 || (process.exitCode ?? 0) !== 0 ? 1 : 0;
}
