// The reporters of a `gt-conformance run`: progress on the console, and every report in the output folder
// (conformance report, JUnit, Allure results); a shard (--shard i/n) writes a blob report to merge later.
import type { TestUserConfig } from 'vitest/node';
import type { RunOptions } from '../src/run/options.ts';
import ProgressReporter from './progress-reporter.ts';
import { reportReporters, shardReporters } from './run-reporters.ts';

export type ReporterList = NonNullable<TestUserConfig['reporters']>;

export function runReporters(options: RunOptions): ReporterList {
  const progress = new ProgressReporter({ noColor: options.noColor, outDir: options.outDir, baseline: options.baseline });
  if (options.shard) return [progress, ...shardReporters(options.outDir, options.shard)];
  const { reporters } = reportReporters({ outDir: options.outDir });
  return [progress, ...reporters];
}
