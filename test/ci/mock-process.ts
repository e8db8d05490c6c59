// `gt-conformance mock` (or any command that starts it) as a child process: waits for its banner, hands back
// its base URL, and stops it with SIGTERM.
import { spawn } from 'node:child_process';
import { expect, vi } from 'vitest';

export interface MockProcess {
  baseUrl: string;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then the exit code */
  stop(): Promise<number | null>;
}

export async function startMockProcess(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<MockProcess> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await vi.waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`the mock exited with ${child.exitCode}: ${stderr}`);
        expect(stdout).toContain('Serving until Ctrl-C.');
      },
      { timeout: 30_000, interval: 50 },
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const baseUrl = /listening on (http:\/\/[^\s]+\/api\/tenant)\n/.exec(stdout)![1];
  return {
    baseUrl,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
