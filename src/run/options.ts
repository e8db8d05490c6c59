// Options of one conformance run. `gt-conformance run` puts them in GT_CONFORMANCE_OPTIONS so that
// vitest's global setup, its workers and the reporters (separate processes) all see the same run.
import type { RunLimits, Verdict } from '../model.ts';
import type { GateMode } from '../outcome/verdict.ts';

export interface RunOptions {
  outDir: string;
  targetFile?: string;
  /** allow plain http:// to a live target that is not on loopback */
  insecureHttp?: boolean;
  runbookFiles?: string[];
  products?: string[];
  routes?: string[];
  verdicts?: Verdict[];
  skipRoutes?: string[];
  uploads: boolean;
  strict: boolean;
  seed?: number;
  /** requests in flight at once */
  concurrency?: number;
  /** per request, ms */
  timeoutMs?: number;
  /** per upload poll, ms */
  pollDeadlineMs?: number;
  /** the whole run, ms */
  runDeadlineMs?: number;
  /** at most this many requests */
  budget?: number;
  /** generated cases per route for the negative group (live targets: off unless given) */
  fuzz?: number;
  /** a live target: create uploads and conversations though the target file does not say writes: allowed */
  allowWrites?: boolean;
  /** stop once this many probes failed: the rest are not run */
  maxFailures?: number;
  failOnFindings?: boolean;
  /** an earlier conformance-report.json to compare the run with (src/report/baseline.ts) */
  baseline?: string;
  /** what fails the run: any failed check (default), or only new ones against the baseline */
  gate?: GateMode;
  /** --no-color: no colour on the console even on a terminal (NO_COLOR does the same) */
  noColor?: boolean;
  waivers?: string;
  certify?: string;
  /** days a certificate stays valid (default in src/report/certify.ts) */
  validDays?: number;
  shard?: string;
  /** only the products whose runbook, client profile or contract changed since this git ref (src/run/changed.ts) */
  changedSince?: string;
  /** embedded tenant only */
  tenant?: { defects?: string[]; profile?: 'default' | 'tolerant'; latencyMs?: number; processingMs?: number; seedFile?: string };
}

export const OPTIONS_ENV = 'GT_CONFORMANCE_OPTIONS';

export const defaultOptions: RunOptions = { outDir: 'out', uploads: true, strict: false };

export function readRunOptions(env: NodeJS.ProcessEnv = process.env): RunOptions {
  const raw = env[OPTIONS_ENV];
  if (!raw) return { ...defaultOptions };
  return { ...defaultOptions, ...(JSON.parse(raw) as Partial<RunOptions>) };
}

export function writeRunOptions(options: RunOptions, env: NodeJS.ProcessEnv = process.env): void {
  env[OPTIONS_ENV] = JSON.stringify(options);
}

/** The run's limits: a flag wins, then the target file, then defaults that keep a live tenant safe (the embedded one can take more). */
export function limitsFor(options: RunOptions, live: boolean, fromTarget: Partial<RunLimits> = {}): RunLimits {
  return {
    concurrency: options.concurrency ?? fromTarget.concurrency ?? (live ? 2 : 8),
    timeoutMs: options.timeoutMs ?? fromTarget.timeoutMs ?? (live ? 20_000 : 10_000),
    pollDeadlineMs: options.pollDeadlineMs ?? fromTarget.pollDeadlineMs ?? (live ? 120_000 : 30_000),
    runDeadlineMs: options.runDeadlineMs ?? fromTarget.runDeadlineMs ?? (live ? 15 * 60_000 : 5 * 60_000),
    budget: options.budget ?? fromTarget.budget ?? (live ? 1_000 : 100_000),
    ...(options.maxFailures !== undefined ? { maxFailures: options.maxFailures } : {}),
  };
}
