// Benchmark: the full conformance matrix (every shipped runbook, every check) against the embedded tenant
// with an added latency L per answer and an upload processing time P (L = 50 ms, P = 1 s and L = 200 ms,
// P = 2 s), then the first with `factor` times as many runbooks (synthetic copies); then the start-up table
// of bench/startup.ts and the wall time of `npm test`. Prints figures; asserts nothing.
//
//   npx tsx bench/matrix.ts [--latency 50,200] [--processing 1000,2000] [--factor 4] [--skip-tests]
//
// Each scale runs in its own process, so its peak RSS is its own.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runAgainst } from '../src/run/direct.ts';
import { startTenant } from '../src/tenant/index.ts';
import { limitsFor, defaultOptions } from '../src/run/options.ts';
import { defaultRunbookFiles } from '../src/runbook/load.ts';
import { criticalPath, sharing } from './critical-path.ts';
import { scaledRunbookFiles } from './synthetic-runbooks.ts';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '50,200' },
    processing: { type: 'string', default: '1000,2000' },
    factor: { type: 'string', default: '4' },
    'skip-tests': { type: 'boolean' },
    scale: { type: 'string' }, // internal: measure one scale and print its figures as JSON
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

async function measure(scale: number, latencyMs: number, processingMs: number): Promise<Figures> {
  const { files, dir } = scaledRunbookFiles(defaultRunbookFiles(), scale);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const concurrency = limitsFor(defaultOptions, false).concurrency;
    const tenant = await startTenant({ freshSecrets: true, latencyMs, processingMs });
    const run = await runAgainst(tenant.target, tenant.secrets, { runbookFiles: files, pollDeadlineMs: Math.max(30_000, 10 * processingMs) }).finally(() => tenant.close());
    peak = Math.max(peak, process.memoryUsage().rss);
    const path = criticalPath(run.plan, latencyMs, processingMs);
    const shared = sharing(run.plan);
    return {
      latencyMs,
      processingMs,
      runbooks: files.length,
      checks: run.plan.checks.length,
      failedChecks: run.results.filter((r) => r.outcome === 'failed' || r.outcome === 'blocked').map((r) => r.checkId),
      wallMs: run.wallMs,
      criticalPathMs: path.lowerBoundMs,
      criticalRoundTrips: path.roundTrips,
      criticalWaitsForProcessing: path.waitsForProcessing,
      criticalChain: path.chain,
      concurrency,
      // every request of the harness's client costs at least L, and at most `concurrency` are in flight at once
      throughputBoundMs: Math.round((run.requests * latencyMs) / concurrency),
      // every HTTP request, 429 retries and the SDK drivers' own requests included
      requestsSent: [...run.probeResults.values()].reduce((n, r) => n + r.exchanges.length, 0),
      clientRequests: run.requests,
      uniqueProbes: shared.uniqueProbes,
      dedupRequests: shared.dedupRequests,
      naiveRequests: shared.naiveRequests,
      peakRssMiB: Math.round(peak / 1024 / 1024),
    };
  } finally {
    clearInterval(sampler);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

function measureInChild(scale: number, latencyMs: number, processingMs: number): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const self = fileURLToPath(import.meta.url);
    const args = ['--import', 'tsx', self, '--scale', String(scale), '--latency', String(latencyMs), '--processing', String(processingMs)];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`bench/matrix: the run at scale ${scale} exited ${code}`))));
  });
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

if (values.scale) {
  console.log(JSON.stringify(await measure(Number(values.scale), latencies[0], processings[0])));
} else {
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
  // The SDK drivers load on first use, during the run: their import blocks the event loop for this long.
  const importStarted = performance.now();
  await import('../src/drivers/index.ts');
  console.log(`SDK driver modules (openai, ai, @langchain/openai) load in ${seconds(performance.now() - importStarted)}, during the run, on its event loop`);
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
