// Runs the fake conformance suite (test/fixtures/reports) as `gt-conformance run` would, and hands back what it
// wrote, its exit code and its stdout and stderr (so they can be searched too).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/paths.ts';
import type { ConformanceReport } from '../../src/report/report-model.ts';
import type { Scenario } from '../fixtures/reports/scenario.ts';
import { FakeRunServer } from '../fixtures/reports/run-client.ts';

// Compiled (tsconfig.build.json; test/run/compiled-cli.ts builds it before the tests): no tsx hook in the child.
const script = path.join(projectRoot, 'dist', 'test', 'fixtures', 'reports', 'run-fixture.js');

export interface FixtureRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outDir: string;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `gt-${prefix}-`));
}

export function writeScenario(dir: string, scenario: Scenario): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}

/** The environment a fake run gets: this process's, with `env` over it, GITHUB_STEP_SUMMARY and the run options cleared. */
function runEnv(env: NodeJS.ProcessEnv = {}): Record<string, string> {
  const childEnv = { ...process.env, ...env };
  for (const name of ['GT_CONFORMANCE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_V8_COVERAGE']) delete childEnv[name];
  if (!env.GITHUB_STEP_SUMMARY) delete childEnv.GITHUB_STEP_SUMMARY;
  return childEnv as Record<string, string>;
}

// One server per test worker: its runs pay for loading vitest and the reporters once (docs/testing.md).
const server = new FakeRunServer(script, ['--serve'], { cwd: projectRoot, env: () => runEnv() });

/** `run-fixture OUT SCENARIO ...args`, as a process of its own would run it, in this worker's fake-run server. */
export async function runFixture(outDir: string, scenarioFile: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<FixtureRun> {
  const { code, stdout, stderr } = await server.run([outDir, scenarioFile, ...args], runEnv(env));
  return { code, stdout, stderr, outDir };
}

export function readReport(outDir: string): ConformanceReport {
  return JSON.parse(readFileSync(path.join(outDir, 'conformance-report.json'), 'utf8')) as ConformanceReport;
}

/** Every file under dir, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** `gt-conformance ARGS` in a child process. */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'gt-conformance.js'), ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
