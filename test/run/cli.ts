// Spawns the real command line, as a user or CI would, and reads what it wrote.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/paths.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function gtConformance(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 180_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(projectRoot, 'bin/gt-conformance.js'), ...args],
      { cwd: projectRoot, env: { ...process.env, GT_CONFORMANCE_OPTIONS: '', GITHUB_STEP_SUMMARY: '', ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
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
