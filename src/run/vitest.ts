// Runs the conformance project of vitest.config.ts in this process, with the run's reporters.
import path from 'node:path';
import { startVitest } from 'vitest/node';
import { projectRoot } from '../paths.ts';
import type { RunOptions } from './options.ts';
import { runReporters } from '../../reporters/index.ts';

export async function runSuites(options: RunOptions): Promise<number> {
  const vitest = await startVitest(
    'test',
    [],
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
