// The load generator of bench/tenant-rps.ts, run as a separate process so the tenant and the load
// do not share an event loop. Reads its job from argv/env, prints one JSON result line.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

interface Job {
  origin: string;
  path: string;
  method: 'GET' | 'POST';
  body?: string;
  concurrency: number;
  durationMs: number;
}

const job = JSON.parse(process.argv[2]) as Job;
const secret = process.env.GT_BENCH_SECRET;
if (!secret) {
  console.error('tenant-load: GT_BENCH_SECRET is not set');
  process.exit(2);
}

const pool = new Pool(job.origin, { connections: job.concurrency, pipelining: 1 });
const headers: Record<string, string> = { authorization: `Bearer ${secret}` };
if (job.body) headers['content-type'] = 'application/json';
const latencies: number[] = [];
let errors = 0;
const statuses: Record<number, number> = {};

async function worker(until: number) {
  while (performance.now() < until) {
    const started = performance.now();
    try {
      const res = await pool.request({ path: job.path, method: job.method, headers, body: job.body });
      await res.body.dump();
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      if (res.statusCode !== 200) errors++;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - started);
  }
}

// A short warm-up, so connection set-up and JIT are not in the figures.
await Promise.all(Array.from({ length: job.concurrency }, () => worker(performance.now() + 300)));
latencies.length = 0;
errors = 0;
for (const k of Object.keys(statuses)) delete statuses[Number(k)];

const started = performance.now();
await Promise.all(Array.from({ length: job.concurrency }, () => worker(started + job.durationMs)));
const elapsed = performance.now() - started;
await pool.close();

latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
console.log(JSON.stringify({ requests: latencies.length, errors, statuses, seconds: elapsed / 1000, rps: latencies.length / (elapsed / 1000), p50: pct(50), p99: pct(99) }));
