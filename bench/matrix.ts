// Benchmark: the full conformance matrix (every shipped runbook, every check) against the embedded tenant
// with an added latency L per answer and an upload processing time P (L = 50 ms, P = 1 s and L = 200 ms,
// P = 2 s), then the first with `factor` times as many runbooks (synthetic copies); then the start-up table
// of bench/startup.ts and the wall time of `npm test`. Prints figures; asserts nothing.
//
//   npx tsx bench/matrix.ts [--latency 50,200] [--processing 1000,2000] [--factor 4] [--skip-tests]
//
// Each scale runs in its own process (bench/run-scale.mjs), on the compiled harness as the installed CLI
// runs it, so its peak RSS is its own and the SDK packages load without a transpiler hook.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { limitsFor, defaultOptions } from '../src/run/options.ts';
import type { Plan } from '../src/model.ts';
import { projectRoot } from '../src/paths.ts';
import { buildIfStale } from '../bin/dist-state.js';
import { defaultRunbookFiles } from '../src/runbook/load.ts';
import { criticalPath, sharing } from './critical-path.ts';
import { scaledRunbookFiles } from './synthetic-runbooks.ts';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '50,200' },
    processing: { type: 'string', default: '1000,2000' },
    factor: { type: 'string', default: '4' },
    'skip-tests': { type: 'boolean' },
  },
});
const latencies = values.latency!.split(',').map(Number);
const processings = values.processing!.split(',').map(Number);
const factor = Number(values.factor);
const usage = (what: string) => {
  console.error(`bench/matrix: ${what}`);
  process.exit(2);
};
if (latencies.length !== processings.length) usage(`--latency and --processing need as many values each, got ${latencies.length} and ${processings.length}`);
for (const n of [...latencies, ...processings]) if (!Number.isFinite(n) || n < 0) usage(`--latency and --processing take numbers >= 0, got "${values.latency}" and "${values.processing}"`);
if (!Number.isInteger(factor) || factor < 1) usage(`--factor must be an integer >= 1, got "${values.factor}"`);

interface Figures {
  latencyMs: number;
  processingMs: number;
  runbooks: number;
  checks: number;
  failedChecks: string[];
  wallMs: number;
  criticalPathMs: number;
  criticalRoundTrips: number;
  criticalWaitsForProcessing: boolean;
  criticalChain: string[];
  concurrency: number;
  throughputBoundMs: number;
  requestsSent: number;
  clientRequests: number;
  uniqueProbes: number;
  dedupRequests: number;
  naiveRequests: number;
  peakRssMiB: number;
}

interface ScaleRun {
  plan: Plan;
  wallMs: number;
  failedChecks: string[];
  requestsSent: number;
  clientRequests: number;
  peakRssMiB: number;
}

/** One scale in its own process (bench/run-scale.mjs: the compiled harness, no transpiler hook), then its bounds. */
async function measureInChild(scale: number, latencyMs: number, processingMs: number): Promise<Figures> {
  const { files, dir } = scaledRunbookFiles(defaultRunbookFiles(), scale);
  try {
    const run = await new Promise<ScaleRun>((resolve, reject) => {
      const script = fileURLToPath(new URL('./run-scale.mjs', import.meta.url));
      const child = spawn(process.execPath, [script, String(latencyMs), String(processingMs), ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`bench/matrix: the run at scale ${scale} exited ${code}`))));
    });
    const concurrency = limitsFor(defaultOptions, false).concurrency;
    const path = criticalPath(run.plan, latencyMs, processingMs);
    const shared = sharing(run.plan);
    return {
      latencyMs,
      processingMs,
      runbooks: files.length,
      checks: run.plan.checks.length,
      failedChecks: run.failedChecks,
      wallMs: run.wallMs,
      criticalPathMs: path.lowerBoundMs,
      criticalRoundTrips: path.roundTrips,
      criticalWaitsForProcessing: path.waitsForProcessing,
      criticalChain: path.chain,
      concurrency,
      // every request of the harness's client costs at least L, and at most `concurrency` are in flight at once
      throughputBoundMs: Math.round((run.clientRequests * latencyMs) / concurrency),
      requestsSent: run.requestsSent,
      clientRequests: run.clientRequests,
      uniqueProbes: shared.uniqueProbes,
      dedupRequests: shared.dedupRequests,
      naiveRequests: shared.naiveRequests,
      peakRssMiB: run.peakRssMiB,
    };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function table(scales: Array<{ label: string; f: Figures }>): string {
  const rows: Array<[string, (f: Figures) => string]> = [
    ['runbooks', (f) => String(f.runbooks)],
    ['checks', (f) => String(f.checks)],
    ['wall time', (f) => seconds(f.wallMs)],
    ['critical path: round trips × L + P', (f) => `${seconds(f.criticalPathMs)} (${f.criticalRoundTrips} × ${f.latencyMs} ms${f.criticalWaitsForProcessing ? ` + ${f.processingMs} ms` : ''})`],
    ['wall / critical path', (f) => ratio(f.wallMs, f.criticalPathMs)],
    ['throughput bound: client requests × L / concurrency', (f) => `${seconds(f.throughputBoundMs)} (${f.clientRequests} × ${f.latencyMs} ms / ${f.concurrency})`],
    ['wall / max(both bounds)', (f) => ratio(f.wallMs, Math.max(f.criticalPathMs, f.throughputBoundMs))],
    ['requests sent (all, SDK drivers included)', (f) => String(f.requestsSent)],
    ['  of which by the harness client (--budget)', (f) => String(f.clientRequests)],
    ['unique probes needed', (f) => String(f.uniqueProbes)],
    ['requests sent / unique probe', (f) => ratio(f.requestsSent, f.uniqueProbes)],
    ['shared probes\' requests (estimated)', (f) => String(f.dedupRequests)],
    ['naive per-product requests (estimated)', (f) => String(f.naiveRequests)],
    ['naive / shared requests (estimated)', (f) => ratio(f.naiveRequests, f.dedupRequests)],
    ['checks failed or blocked', (f) => String(f.failedChecks.length)],
    ['peak RSS', (f) => `${f.peakRssMiB} MiB`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  const columns = scales.map(({ label, f }) => [label, ...rows.map(([, cell]) => cell(f))]);
  const colWidth = Math.max(...columns.flat().map((c) => c.length)) + 2;
  const lines = [''.padEnd(width) + columns.map((c) => c[0].padEnd(colWidth)).join('')];
  rows.forEach(([name], i) => lines.push(name.padEnd(width) + columns.map((c) => c[i + 1].padEnd(colWidth)).join('')));
  return lines.join('\n');
}

/** `npm test`, once, as a whole process: its wall time and whether it passed. */
function timeTests(): Promise<{ wallS: number; code: number | null }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['test', '--silent'], { stdio: 'ignore', cwd: fileURLToPath(new URL('..', import.meta.url)) });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ wallS: (performance.now() - started) / 1000, code }));
  });
}

{
  buildIfStale(projectRoot);
  console.log(`gt-conformance matrix benchmark: embedded tenant, latency L per answer, upload processing P`);
  const scales: Array<{ label: string; f: Figures }> = [];
  for (const [i, latencyMs] of latencies.entries()) {
    scales.push({ label: `L=${latencyMs} P=${processings[i]}`, f: await measureInChild(1, latencyMs, processings[i]) });
  }
  const shipped = scales[0].f;
  const scaled = factor > 1 ? await measureInChild(factor, shipped.latencyMs, shipped.processingMs) : undefined;
  if (scaled) scales.push({ label: `×${factor} runbooks, L=${shipped.latencyMs}`, f: scaled });
  console.log(table(scales));
  console.log(`critical path: ${shipped.criticalChain.join(' → ')}`);
  for (const { label, f } of scales) if (f.failedChecks.length) console.log(`${label}: failed or blocked: ${f.failedChecks.join(', ')}`);
  if (scaled) {
    console.log(`×${factor} runbooks: checks ×${ratio(scaled.checks, shipped.checks)}, requests ×${ratio(scaled.requestsSent, shipped.requestsSent)}, wall time ×${ratio(scaled.wallMs, shipped.wallMs)}, peak RSS ×${ratio(scaled.peakRssMiB, shipped.peakRssMiB)}`);
  }
  // The command line's start-up and a whole `gt-conformance run` (bench/startup.ts, also `npm run bench:startup`).
  const { measureStartup, startupTable } = await import('./startup.ts');
  console.log(`\nstart-up (paired runs of the compiled CLI):\n${startupTable(await measureStartup({ runs: 5, runPairs: 3 }))}`);
  if (!values['skip-tests']) {
    const tests = await timeTests();
    console.log(`\nnpm test: ${seconds(tests.wallS * 1000)} wall, ${tests.code === 0 ? 'passed' : `FAILED (exit ${tests.code})`}, on ${os.cpus().length} cores with a load average of ${os.loadavg()[0].toFixed(1)}`);
  }
}
