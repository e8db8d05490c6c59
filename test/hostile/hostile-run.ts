// Runs against a hostile tenant: in process (runAgainst), or a real `gt-conformance run --target FILE` with a
// target file for the loopback server, the secrets only in env vars, and what the run cost: wall time, and the
// peak memory of each of its processes (the command and vitest's worker), read from /proc while it runs.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { projectRoot } from '../../src/paths.ts';
import { createTenant } from '../../src/tenant/index.ts';
import { runAgainst, type TargetRun } from '../../src/run/direct.ts';
import type { RunOptions } from '../../src/run/options.ts';
import type { Target } from '../../src/model.ts';
import { startHostileTenant, type Behaviour, type HostileTenant } from './hostile-tenant.ts';
import { productFiles } from '../fixtures/products.ts';

/** A Retry-After the client would wait out (under its 60 s cap), but far past every run deadline here. */
export const RETRY_AFTER_SECONDS = 40;
/** The HTTP client and the SDK drivers' fetch together: the most connections a run may open. */
export const CONCURRENCY = 2;
/** The plain-HTTP product and one product per SDK driver (openai, ai, @langchain/openai). */
export const PRODUCTS = ['generic-openai-http', 'openai-sdk', 'vercel-ai-sdk', 'langchain'];

/**
 * The scope of the one real run against everything at once: the products above, and Open WebUI, whose replayed
 * requests stream too, so the harness's own client meets more than one streamed answer.
 */
export const EVERYTHING_SCOPE = [
  ...[...PRODUCTS, 'open-webui'].flatMap((p) => ['--product', p]),
  ...['--route', 'models', '--route', 'chat', '--route', 'embeddings'],
  // the fixed copies of the shipped runbooks: what runbooks/ holds changes no outcome here
  ...productFiles(),
];
/** Its run deadline. */
export const EVERYTHING_DEADLINE_MS = 20_000;

export interface HostileCase {
  behaviour: Behaviour;
  options: Partial<RunOptions> & { runDeadlineMs: number };
}

/** The cases run in process, one per misbehaviour (hostile.test.ts asserts them, hostile-matrix.ts measures them). */
export const HOSTILE_CASES = {
  'endless line': { behaviour: 'endless-line', options: { products: ['generic-openai-http', 'openai-sdk'], routes: ['chat'], runDeadlineMs: 15_000 } },
  'event flood': { behaviour: 'event-flood', options: { products: ['generic-openai-http', 'openai-sdk'], routes: ['chat'], runDeadlineMs: 15_000 } },
  'huge Retry-After': { behaviour: { retryAfterSeconds: RETRY_AFTER_SECONDS }, options: { products: ['generic-openai-http', 'openai-sdk'], routes: ['models', 'chat'], runDeadlineMs: 8_000 } },
  'long wrong lists': { behaviour: 'long-wrong-lists', options: { products: ['generic-openai-http', 'openai-sdk'], routes: ['models', 'chat', 'embeddings'], runDeadlineMs: 30_000 } },
  'secrets echoed': { behaviour: 'echo-secrets', options: { products: PRODUCTS, routes: ['models', 'chat'], runDeadlineMs: 30_000 } },
} satisfies Record<string, HostileCase>;

export interface InProcess {
  run: TargetRun;
  tenant: HostileTenant;
  secrets: string[];
  /** from the first request the tenant saw to the end of the run */
  sinceFirstRequestMs: number;
}

/** A whole run in this process against a hostile tenant posing as a live target with the embedded tenant's keys. */
export async function runInProcess(c: HostileCase): Promise<InProcess> {
  // The SDKs load first: an import (seconds on a busy machine) is not a wait the run deadline can end, and the
  // engine loads them on first use, mid-run.
  await import('../../src/drivers/index.ts');
  const tenant = await startHostileTenant(c.behaviour);
  const embedded = createTenant({ freshSecrets: true });
  const target: Target = { ...embedded.target, kind: 'live', baseUrl: tenant.baseUrl };
  const run = await runAgainst(target, embedded.secrets, { concurrency: CONCURRENCY, timeoutMs: 3_000, runbookFiles: productFiles(), ...c.options });
  return { run, tenant, secrets: Object.values(embedded.secrets), sinceFirstRequestMs: Date.now() - (tenant.firstRequestAt ?? Date.now()) };
}

export interface HostileRun {
  code: number;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** when the command had ended (epoch ms) */
  endedAt: number;
  /** the highest VmHWM of any process of the run, and of the run's processes added up, in MiB */
  peakRssMiB: number;
  totalPeakRssMiB: number;
  /** each process's peak in MiB, by its command line; the first is the command itself */
  peaks: Array<{ command: string; peakMiB: number }>;
}

export interface RunLimits {
  run_deadline_ms: number;
  timeout_ms?: number;
  concurrency?: number;
}

const envName = (key: string) => `GT_HOSTILE_KEY_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** The embedded tenant's keys (names, presets, scopes, models), pointed at `baseUrl`, each with a fresh gtak_ secret in an env var. */
export function writeTarget(dir: string, baseUrl: string, limits: RunLimits): { file: string; env: Record<string, string>; secrets: string[] } {
  const keys = createTenant({ freshSecrets: true }).target.keys;
  const env: Record<string, string> = {};
  for (const k of keys) env[envName(k.name)] = `gtak_${randomBytes(24).toString('base64url')}`;
  const file = path.join(dir, 'hostile-target.yaml');
  writeFileSync(
    file,
    stringify({
      base_url: baseUrl,
      foreign_dataset: 'restricted-archive',
      limits: { concurrency: 2, timeout_ms: 3_000, ...limits },
      keys: keys.map((k) => ({ ...k, secret_env: envName(k.name) })), // TargetKey is the target file's key, less what is undefined
    }),
  );
  return { file, env, secrets: Object.values(env) };
}

/** The pid and the pids of every descendant of `root`. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while the folder was read
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** VmHWM (the process's peak resident memory so far) in KiB, or 0 when the process is gone. */
function highWaterKiB(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).map((a) => path.basename(a)).join(' ').slice(0, 80);
  } catch {
    return String(pid);
  }
}

/** Runs the command line with `args`; kills it after `hardTimeoutMs` (a run that hangs fails its test, it does not hang it). */
export function runAgainstHostile(args: string[], env: Record<string, string>, hardTimeoutMs: number): Promise<HostileRun> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin/gt-conformance.js'), ...args], {
      cwd: projectRoot,
      env: { ...process.env, GT_CONFORMANCE_OPTIONS: '', GITHUB_STEP_SUMMARY: '', ...env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const peaks = new Map<number, number>();
    const commands = new Map<number, string>();
    const sample = () => {
      for (const pid of processTree(child.pid!)) {
        peaks.set(pid, Math.max(peaks.get(pid) ?? 0, highWaterKiB(pid)));
        if (!commands.has(pid)) commands.set(pid, commandOf(pid));
      }
    };
    const sampler = setInterval(sample, 100);
    const killer = setTimeout(() => child.kill('SIGKILL'), hardTimeoutMs);
    child.on('close', (code, signal) => {
      clearInterval(sampler);
      clearTimeout(killer);
      const kib = [...peaks.values()];
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        wallMs: Date.now() - started,
        endedAt: Date.now(),
        peakRssMiB: Math.max(0, ...kib) / 1024,
        totalPeakRssMiB: kib.reduce((a, b) => a + b, 0) / 1024,
        peaks: [...peaks].map(([pid, k]) => ({ command: commands.get(pid) ?? String(pid), peakMiB: Math.round(k / 1024) })),
      });
    });
  });
}
