// The early vitest worker (src/run/warm-worker.ts, suites/warm-entry.ts), with the real compiled entry and a stand-in
// for vitest's worker module: what vitest sends before its worker module listens arrives, in order; the worker gets
// vitest's environment; a worker that would start differently from vitest's own is not used; none outlives the CLI.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PoolOptions } from 'vitest/node';
import { claimWarmWorker, vitestExecArgv } from '../../src/run/warm-worker.ts';
import { projectRoot } from '../../src/paths.ts';
import { inTempDir } from '../reporters/temp-dir.ts';

/** A stand-in for vitest's workers/forks.js: answers each message with what it saw, and its environment. */
function fakeDist(dir: string): string {
  mkdirSync(path.join(dir, 'workers'), { recursive: true });
  writeFileSync(
    path.join(dir, 'workers', 'forks.js'),
    "process.on('message', (m) => process.send({ echo: m, added: process.env.GT_WARM_TEST_ADDED ?? null, removed: process.env.GT_WARM_TEST_REMOVED ?? null }));\n",
  );
  return dir;
}

/** What ForksPoolWorker does (start() forks only where it holds no child), small enough to read. */
class StandInForksWorker {
  _fork?: ChildProcess;
  constructor(readonly options: PoolOptions) {}
  async start() {
    this._fork ||= fork(path.join(this.options.distPath, 'workers', 'forks.js'), [], { env: this.options.env, execArgv: this.options.execArgv, serialization: 'advanced' });
  }
  async stop() {}
  on() {}
  off() {}
  send() {}
  deserialize(data: unknown) {
    return data;
  }
  readonly name = 'forks';
}

const poolOptions = (distPath: string, execArgv: string[], env: NodeJS.ProcessEnv) => ({ distPath, execArgv, env }) as unknown as PoolOptions;

type Echo = { echo: unknown; added: string | null; removed: string | null };

/** The child's first n messages (a listener from the start: two messages can arrive in one read). */
function messages(child: ChildProcess, n: number): Promise<Echo[]> {
  const seen: Echo[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`the worker ended (${signal ?? code}) after ${seen.length} of ${n} messages`)));
    const take = (m: unknown) => {
      seen.push(m as Echo);
      if (seen.length === n) {
        child.off('message', take);
        resolve(seen);
      }
    };
    child.on('message', take);
  });
}

describe('the early worker', () => {
  it('becomes vitest\'s worker: vitest\'s environment, and every message in the order sent, those sent before its worker module listened included', () =>
    inTempDir('warm', async (dir) => {
      process.env.GT_WARM_TEST_REMOVED = 'in the CLI when the worker started';
      const warm = claimWarmWorker();
      delete process.env.GT_WARM_TEST_REMOVED;
      try {
        const env = { ...process.env, GT_WARM_TEST_ADDED: 'set by vitest' };
        const worker = warm.pool(StandInForksWorker as never).createPoolWorker(poolOptions(fakeDist(dir), vitestExecArgv(), env)) as unknown as StandInForksWorker;
        await worker.start();
        expect(warm.taken).toBe(true);
        const child = worker._fork!;
        const answers = messages(child, 2);
        // sent at once, before the stand-in module has loaded
        child.send({ n: 1 });
        child.send({ n: 2 });
        const [first, second] = await answers;
        expect([first.echo, second.echo]).toEqual([{ n: 1 }, { n: 2 }]);
        expect(first.added).toBe('set by vitest');
        expect(first.removed).toBeNull();
        child.kill();
      } finally {
        warm.stop();
        delete process.env.GT_WARM_TEST_REMOVED;
      }
    }));

  it('is not used, and ends, where vitest would start its worker with other Node flags', () =>
    inTempDir('warm-flags', async (dir) => {
      const warm = claimWarmWorker();
      const worker = warm.pool(StandInForksWorker as never).createPoolWorker(poolOptions(fakeDist(dir), [...vitestExecArgv(), '--no-warnings'], process.env)) as unknown as StandInForksWorker;
      try {
        await worker.start();
        expect(warm.taken).toBe(false);
        // the stand-in forked its own child, with vitest's flags
        const answers = messages(worker._fork!, 1);
        worker._fork!.send({ n: 1 });
        expect((await answers)[0].echo).toEqual({ n: 1 });
      } finally {
        worker._fork?.kill();
        warm.stop();
      }
    }));

  it('ends with the command line that started it, when vitest never took it', async () => {
    // a parent that starts the early worker, prints its pid and exits without stopping it
    const warmWorkerModule = pathToFileURL(path.join(projectRoot, 'dist/src/run/warm-worker.js')).href;
    const code = `import { claimWarmWorker } from ${JSON.stringify(warmWorkerModule)}; process.stdout.write(String(claimWarmWorker().pid)); process.exit(0);`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    parent.stdout.on('data', (d) => (out += d));
    await once(parent, 'close');
    const pid = Number(out);
    expect(pid).toBeGreaterThan(0);
    // the worker sees its channel close and exits: wait for that, with the test's own bound as the only limit
    while (isAlive(pid)) await new Promise((r) => setTimeout(r, 20));
    expect(isAlive(pid)).toBe(false);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
