// Runs the conformance project (src/suite/project.ts) in this process, on a run prepared once (src/run/prepare.ts):
// vitest's global setup takes the prepared run over instead of preparing its own.
import type { TestUserConfig } from 'vitest/node';
import { projectRoot } from '../paths.ts';
import type { RunOptions } from './options.ts';
import { planNeeds, type PreparedRun } from './prepare.ts';
import { handOver } from './handoff.ts';
import type { WarmWorker } from './warm-worker.ts';
import { loadContract } from '../contract/load.ts';
import { contractValidator } from '../checks/contract-validator.ts';
import { suiteFilesOf } from '../suite/files.ts';
import { CONFORMANCE_PROJECT } from '../suite/project.ts';

export async function runSuites(options: RunOptions, prepared: PreparedRun, reporters: NonNullable<TestUserConfig['reporters']>, warm?: WarmWorker): Promise<number> {
  const needs = planNeeds(prepared.context, loadContract());
  warm?.preload(needs);
  // The embedded tenant, in this process, validates the requests: its validators are compiled while the worker starts.
  const compileTenantValidators = prepared.context.target.kind === 'embedded' ? () => contractValidator().compileFor(needs.operations) : undefined;
  const { startVitest, ForksPoolWorker } = await import('vitest/node');
  handOver(prepared);
  try {
    const vitest = await startVitest('test', suiteFilesOf(prepared.context), {
      root: projectRoot,
      config: false,
      ...CONFORMANCE_PROJECT,
      watch: false,
      reporters,
      shard: options.shard,
      passWithNoTests: false,
      ...(warm ? { pool: warm.pool(ForksPoolWorker, compileTenantValidators) } : {}),
    });
    const failed = vitest.state.getCountOfFailedTests();
    const unhandled = vitest.state.getUnhandledErrors().length;
    await vitest.close();
    if (process.exitCode === 2) return 2;
    return failed > 0 || unhandled > 0 || (process.exitCode ?? 0) !== 0 ? 1 : 0;
  } finally {
    handOver(undefined);
  }
}
