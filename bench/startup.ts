// Benchmark: what starting the command line costs. Paired runs (A B A B ...), each timed as a whole process:
//   gt-conformance --help and --version beside `node -e 0`;
//   gt-conformance run (the default run: every product, the embedded tenant) beside a bare one-test `vitest run`;
//   the peak RSS of the largest process of that default run.
// Prints min / median / max; asserts nothing.
//
//   npx tsx bench/startup.ts [--runs 5] [--run-pairs 3]
//
// CPU seconds and peak RSS come from GNU time (/usr/bin/time), which reports the child and the descendants
// it waited for: the peak is the largest single process, not a sum. Without it, only wall times are shown.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildIfStale } from '../bin/dist-state.js';
import { projectRoot } from '../src/paths.ts';

const GNU_TIME = '/usr/bin/time';

export interface Sample {
  wallS: number;
  cpuS?: number;
  peakMiB?: number;
  code: number | null;
}

/** One whole-process run of `node ARGS` from the project root, its output thrown away. */
function runOnce(args: string[], tmp: string): Promise<Sample> {
  const timed = existsSync(GNU_TIME);
  const usage = path.join(tmp, 'usage.txt');
  const [cmd, argv] = timed ? [GNU_TIME, ['-f', '%U %S %M', '-o', usage, process.execPath, ...args]] : [process.execPath, args];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: projectRoot, stdio: 'ignore', env: { ...process.env, GT_CONFORMANCE_OPTIONS: '' } });
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallS = (performance.now() - started) / 1000;
      if (!timed) return resolve({ wallS, code });
      // GNU time writes "Command exited with non-zero status N" above the figures when the command fails.
      const [user, sys, maxKiB] = readFileSync(usage, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
      resolve({ wallS, cpuS: user + sys, peakMiB: maxKiB / 1024, code });
    });
  });
}

/** A and B in turn, `pairs` times, after one warm-up run of each that is not counted. */
async function paired(a: string[], b: string[], pairs: number, tmp: string): Promise<{ a: Sample[]; b: Sample[] }> {
  await runOnce(a, tmp);
  await runOnce(b, tmp);
  const result = { a: [] as Sample[], b: [] as Sample[] };
  for (let i = 0; i < pairs; i++) {
    result.a.push(await runOnce(a, tmp));
    result.b.push(await runOnce(b, tmp));
  }
  return result;
}

export interface Row {
  figure: string;
  values: number[];
  unit: 's' | 'MiB' | '×';
  goal: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const cell = (v: number, unit: Row['unit']) => (unit === 'MiB' ? `${Math.round(v)} MiB` : unit === '×' ? `${v.toFixed(2)}×` : `${v.toFixed(2)} s`);

/** The table: one row per figure, min / median / max of its values. */
export function startupTable(rows: Row[]): string {
  const lines = rows.map((r) => [r.figure, ...[Math.min(...r.values), median(r.values), Math.max(...r.values)].map((v) => cell(v, r.unit)), r.goal]);
  const header = ['figure', 'min', 'median', 'max', 'goal'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  return [header, ...lines].map((l) => l.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()).join('\n');
}

/** Every start-up figure, measured now on this machine. */
export async function measureStartup(opts: { runs: number; runPairs: number }): Promise<Row[]> {
  buildIfStale(projectRoot); // the installed CLI runs dist/: measure today's
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gt-bench-startup-'));
  try {
    const cli = ['bin/gt-conformance.js'];
    const node = ['-e', '0'];
    const help = await paired([...cli, '--help'], node, opts.runs, tmp);
    const version = await paired([...cli, '--version'], node, opts.runs, tmp);
    // bench/bare holds one.test.ts and an empty config (so vitest does not find the project's); --config is relative to --root
    const vitest = [path.join('node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', path.join('bench', 'bare'), '--config', 'vitest.config.ts'];
    const run = await paired([...cli, 'run', '--out', path.join(tmp, 'out')], vitest, opts.runPairs, tmp);
    for (const s of [...run.a, ...run.b]) if (s.code !== 0) throw new Error(`bench/startup: a run exited ${s.code}`);
    const wall = (xs: Sample[]) => xs.map((s) => s.wallS);
    const diff = (a: Sample[], b: Sample[]) => a.map((s, i) => s.wallS - b[i].wallS);
    const rows: Row[] = [
      { figure: 'gt-conformance --help, wall', values: wall(help.a), unit: 's', goal: '≤ 0.3 s' },
      { figure: 'gt-conformance --version, wall', values: wall(version.a), unit: 's', goal: '≤ 0.3 s' },
      { figure: 'node -e 0, wall', values: wall([...help.b, ...version.b]), unit: 's', goal: '' },
      { figure: 'gt-conformance run, wall', values: wall(run.a), unit: 's', goal: '' },
      { figure: 'bare one-test vitest run, wall', values: wall(run.b), unit: 's', goal: '' },
      { figure: 'run − bare vitest run (paired)', values: diff(run.a, run.b), unit: 's', goal: '≤ +1.5 s' },
      { figure: 'run / bare vitest run (paired)', values: run.a.map((s, i) => s.wallS / run.b[i].wallS), unit: '×', goal: '' },
    ];
    if (run.a.every((s) => s.cpuS !== undefined)) {
      rows.push(
        { figure: 'gt-conformance --help, CPU', values: help.a.map((s) => s.cpuS!), unit: 's', goal: '' },
        { figure: 'gt-conformance run, CPU', values: run.a.map((s) => s.cpuS!), unit: 's', goal: '' },
        { figure: 'bare one-test vitest run, CPU', values: run.b.map((s) => s.cpuS!), unit: 's', goal: '' },
        { figure: 'default run, peak RSS of the largest process', values: run.a.map((s) => s.peakMiB!), unit: 'MiB', goal: '≤ 250 MiB' },
        { figure: 'bare one-test vitest run, peak RSS', values: run.b.map((s) => s.peakMiB!), unit: 'MiB', goal: '' },
      );
    }
    return rows;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'run-pairs': { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  const runPairs = Number(values['run-pairs']);
  for (const [name, n] of [['--runs', runs], ['--run-pairs', runPairs]] as const) {
    if (!Number.isInteger(n) || n < 1) {
      console.error(`bench/startup: ${name} must be a whole number >= 1, got "${values[name.slice(2) as 'runs']}"`);
      process.exit(2);
    }
  }
  console.log(`gt-conformance start-up benchmark: Node ${process.version}, ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(2)}; paired runs, ${runs} (run: ${runPairs}) of each after one warm-up`);
  console.log(startupTable(await measureStartup({ runs, runPairs })));
  if (!existsSync(GNU_TIME)) console.log(`(no ${GNU_TIME}: CPU seconds and peak RSS not measured)`);
}
