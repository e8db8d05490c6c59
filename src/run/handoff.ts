// Hands the run that `gt-conformance run` prepared to vitest's global setup, which runs in the same process
// but loads the harness's modules anew (through vitest's transform): a process-wide slot, not a module.
import type { PreparedRun } from './prepare.ts';

const SLOT = Symbol.for('gt-conformance.prepared-run');
type Holder = { [SLOT]?: PreparedRun };

export function handOver(run: PreparedRun | undefined): void {
  (globalThis as Holder)[SLOT] = run;
}

/** The run prepared by the command line in this process, if any. */
export function preparedRun(): PreparedRun | undefined {
  return (globalThis as Holder)[SLOT];
}
