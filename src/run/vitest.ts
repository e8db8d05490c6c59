// Runs the conformance project of vitest.config.ts in this process, with the run's reporters.
import path from 'node:path';
import { projectRoot } from '../paths.ts';
import type { RunOptions } from './options.ts';
import { suiteFileOf } from '../suite/files.ts';
import { loadContract } from '../contract/load.ts';
import { loadTargetFile } from '../target/live.ts';
import { createTenant } from '../tenant/index.ts';
import { loadRunbooksOrThrow, planFor } from './session.ts';

/** Only suite files that will declare a test: vitest treats a file without tests as an error. */
export function suiteFilters(options: RunOptions): string[] {
  const contract = loadContract();
  const target = options.targetFile
    ? loadTargetFile(options.targetFile, contract, process.env, false).live?.target
    : createTenant({ freshSecrets: true }).target;
  if (!target) return [];
  const runbooks = loadRunbooksOrThrow(options, contract);
  const { plan } = planFor(options, contract, runbooks, target);
  const products = runbooks.map((r) => r.runbook.id);
  const files = new Set(plan.checks.filter((c) => !c.manual).map((c) => suiteFileOf(c, products)));
  return [...files].sort().map((f) => `suites/${f}.test.ts`);
}

export async function runSuites(options: RunOptions): Promise<number> {
  // Loaded here, not at the top: `run --help`, `plan` and bad input never need vitest or the reporters.
  const [{ startVitest }, { runReporters }] = await Promise.all([import('vitest/node'), import('../../reporters/index.ts')]);
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
