// Options of one conformance run. `gt-conformance run` puts them in GT_CONFORMANCE_OPTIONS so that
// vitest's global setup, its workers and the reporters (separate processes) all see the same run.
import type { Verdict } from '../model.ts';

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
  failOnFindings?: boolean;
  waivers?: string;
  certify?: string;
  /** days a certificate stays valid (default in src/report/certify.ts) */
  validDays?: number;
  shard?: string;
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

/** Limits that keep a live tenant safe; the embedded one can take more. */
export function limitsFor(options: RunOptions, live: boolean) {
  return {
    concurrency: options.concurrency ?? (live ? 2 : 8),
    timeoutMs: options.timeoutMs ?? (live ? 20_000 : 10_000),
    pollDeadlineMs: options.pollDeadlineMs ?? (live ? 120_000 : 30_000),
    runDeadlineMs: options.runDeadlineMs ?? (live ? 15 * 60_000 : 5 * 60_000),
    budget: options.budget ?? (live ? 1_000 : 100_000),
  };
}
