// The reporters of a `gt-conformance run`.
import type { Reporter } from 'vitest/node';
import type { RunOptions } from '../src/run/options.ts';
import ProgressReporter from './progress-reporter.ts';

export function runReporters(options: RunOptions): Reporter[] {
  void options;
  return [new ProgressReporter()];
}
