// One scale of bench/matrix.ts, in a process of its own that runs the compiled harness (dist/, as the
// installed CLI does) with no transpiler hook, so the SDK packages load as fast as in a real run. The
// tenant runs in another process (bench/tenant-process.mjs), as a deployed tenant runs on another machine.
//   node bench/run-scale.mjs LATENCY_MS PROCESSING_MS RUNBOOK_FILE...
// Prints one JSON line: the plan, the run's wall time and counts, and the peak RSS of this process.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { runAgainst } from '../dist/src/run/direct.js';

const [latencyMs, processingMs] = process.argv.slice(2, 4).map(Number);
const runbookFiles = process.argv.slice(4);
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const tenant = fork(new URL('./tenant-process.mjs', import.meta.url), [String(latencyMs), String(processingMs)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const [{ target, secrets }] = await once(tenant, 'message');
const run = await runAgainst(target, secrets, { runbookFiles, pollDeadlineMs: Math.max(30_000, 10 * processingMs) }).finally(() => tenant.send('close'));
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
console.log(
  JSON.stringify({
    plan: run.plan,
    wallMs: run.wallMs,
    failedChecks: run.results.filter((r) => r.outcome === 'failed' || r.outcome === 'blocked').map((r) => r.checkId),
    // every HTTP request, 429 retries and the SDK drivers' own requests included
    requestsSent: [...run.probeResults.values()].reduce((n, r) => n + r.exchanges.length, 0),
    clientRequests: run.requests,
    peakRssMiB: Math.round(peak / 1024 / 1024),
  }),
);
