// Spawns the real command line, as a user or CI would, and reads what it wrote.
// It runs the compiled CLI (dist/, built before the tests by test/run/compiled-cli.ts), not the sources through tsx.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { projectRoot } from '../../src/paths.ts';

export interface CliResult {
  /** the exit code; -1 when a signal ended the process (`signal` says which) */
  code: number;
  signal?: NodeJS.Signals;
  stdout: string;
  stderr: string;
}

export const cliBin = path.join(projectRoot, 'bin', 'gt-conformance.js');

/**
 * `gt-conformance ARGS` in a child process, with the run options and the step summary cleared. No wall-clock
 * limit of its own: the child lives as long as the test that started it (killed when that test ends, by
 * passing, failing or timing out), and the CLI bounds its own requests and runs.
 */
export function gtConformance(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [cliBin, ...args], {
    cwd: projectRoot,
    env: { ...process.env, GT_CONFORMANCE_OPTIONS: '', GITHUB_STEP_SUMMARY: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  endWithTheTest(() => child.kill());
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? -1, ...(signal ? { signal } : {}), stdout, stderr }));
  });
}

/** Runs stop when the current test ends; outside a test (a beforeAll hook) there is no test to end with. */
function endWithTheTest(stop: () => void): void {
  try {
    onTestFinished(stop);
  } catch (err) {
    if (!/only be called inside a test/.test((err as Error).message)) throw err;
  }
}

export interface ReportCheck {
  id: string;
  product?: string;
  group: string;
  outcome: string;
  message: string;
  ran: boolean;
}

export function readReport(outDir: string): { checks: ReportCheck[]; counts: Record<string, number>; target: { host: string } } {
  return JSON.parse(readFileSync(path.join(outDir, 'conformance-report.json'), 'utf8'));
}

/** The steps a run counted into GT_CONFORMANCE_COUNTS (src/instrument.ts: "<step> <pid>" a line), by step. */
export function readSteps(file: string): Record<string, number> {
  const steps: Record<string, number> = {};
  for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
    const step = line.split(' ')[0];
    steps[step] = (steps[step] ?? 0) + 1;
  }
  return steps;
}
