// The conformance run's vitest worker, started before vitest asks for it. vitest forks its worker only once the
// run is planned and its global setup has run; the worker then spent about a second loading modules and the SDKs
// while the command line waited. Started as the command line starts (src/cli/main.ts), the worker loads them on the
// other core while this process checks the input and plans the run (suites/warm-entry.ts), and vitest gets it
// through a pool of its own.
//
// vitest's pool API is marked experimental: where the warm worker does not fit what vitest would have started (other
// Node flags, another NODE_OPTIONS), it is stopped and vitest forks its own, as without it.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../paths.ts';
import type { PoolOptions, PoolRunnerInitializer, PoolWorker } from 'vitest/node';

export type WarmMessage =
  | { gtWarm: 'plan'; drivers: string[]; operations: string[] }
  | { gtWarm: 'become'; entry: string; env: Record<string, string>; unset: string[] };

const vitestRoot = path.dirname(createRequire(import.meta.url).resolve('vitest/package.json'));
// the compiled entry, also for the tests, which run this module from its source
const entryFile = path.join(projectRoot, 'dist', 'suites', 'warm-entry.js');

/** What vitest's forks pool gives its workers (vitest's resolveOptions): the same, so the warm worker can stand in. */
export function vitestExecArgv(): string[] {
  const profiling = process.execArgv.filter((a) => a.startsWith('--cpu-prof') || a.startsWith('--heap-prof') || a.startsWith('--diagnostic-dir'));
  // vite's SSR conditions for a project without resolve.conditions of its own
  const conditions = ['node', process.env.NODE_ENV === 'production' ? 'production' : 'development'];
  return [...profiling, '--experimental-import-meta-resolve', '--require', path.join(vitestRoot, 'suppress-warnings.cjs'), ...conditions.flatMap((c) => ['--conditions', c])];
}

export interface WarmWorker {
  /** what to have ready before vitest asks for the worker: the plan's SDK drivers, its operations' validators */
  preload(plan: { drivers: string[]; operations: string[] }): void;
  /**
   * vitest's pool for the conformance project: the warm worker for its first worker, its own forks after.
   * `whileItStarts` runs in this process once vitest has taken the warm worker, while that becomes vitest's.
   */
  pool(forksPoolWorker: new (options: PoolOptions) => PoolWorker, whileItStarts?: () => void): PoolRunnerInitializer;
  /** whether vitest took the warm worker */
  readonly taken: boolean;
  /** the warm worker's process */
  readonly pid: number | undefined;
  /** ends the warm worker if vitest never took it */
  stop(): void;
}

/** GT_CONFORMANCE_DEBUG says whether the warm worker was used (test/run/run-embedded.test.ts reads it). */
const debug = (line: string) => process.env.GT_CONFORMANCE_DEBUG && process.stderr.write(`gt-conformance: ${line}\n`);

let early: WarmWorker | undefined;

/** Starts the warm worker as the command line starts, before it loads the command's modules (src/cli/main.ts). */
export function warmUpWorker(): void {
  early ??= startWarmWorker();
}

/** The warm worker started by warmUpWorker, or a new one: the caller stops it when the run ends. */
export function claimWarmWorker(): WarmWorker {
  const warm = early ?? startWarmWorker();
  early = undefined;
  return warm;
}

function startWarmWorker(): WarmWorker {
  const execArgv = vitestExecArgv();
  const env = { ...process.env } as Record<string, string>;
  let child: ChildProcess | undefined = fork(entryFile, [], { env, execArgv, stdio: 'pipe', serialization: 'advanced' });
  child.on('error', () => undefined); // a warm worker that failed to start is simply not used
  let taken = false;
  const send = (message: WarmMessage) => child?.connected && child.send(message);

  /** The warm child, handed over once, where it matches what vitest would start; otherwise undefined. */
  const take = (options: PoolOptions): ChildProcess | undefined => {
    const warm = child;
    child = undefined;
    if (!warm?.connected) {
      debug('the early worker was not used: it had ended');
      return undefined;
    }
    const wanted = options.env as Record<string, string | undefined>;
    const sameStart = options.execArgv.join('\0') === execArgv.join('\0') && (wanted.NODE_OPTIONS ?? '') === (env.NODE_OPTIONS ?? '');
    if (!sameStart) {
      debug(`the early worker was not used: vitest starts its worker with ${JSON.stringify(options.execArgv)}, not ${JSON.stringify(execArgv)}`);
      warm.kill();
      return undefined;
    }
    const changed = Object.fromEntries(Object.entries(wanted).filter((e): e is [string, string] => e[1] !== undefined && env[e[0]] !== e[1]));
    const unset = Object.keys(env).filter((name) => wanted[name] === undefined);
    warm.send({ gtWarm: 'become', entry: pathToFileURL(path.join(options.distPath, 'workers', 'forks.js')).href, env: changed, unset } satisfies WarmMessage);
    taken = true;
    debug(`vitest took the early worker (pid ${warm.pid})`);
    return warm;
  };

  return {
    preload: (plan) => send({ gtWarm: 'plan', ...plan }),
    pool(ForksPoolWorker, whileItStarts) {
      const createPoolWorker = (options: PoolOptions) => {
        const worker = new ForksPoolWorker(options);
        const start = worker.start.bind(worker);
        // ForksPoolWorker.start() forks only where it holds no child (`this._fork ||= fork(...)`).
        worker.start = async () => {
          const forks = worker as unknown as { _fork?: ChildProcess };
          if (!forks._fork) {
            forks._fork = take(options);
            if (forks._fork && whileItStarts) setImmediate(whileItStarts);
          }
          return start();
        };
        return worker;
      };
      return { name: 'gt-warm-forks', createPoolWorker };
    },
    get taken() {
      return taken;
    },
    pid: child.pid,
    stop() {
      child?.kill();
      child = undefined;
    },
  };
}
