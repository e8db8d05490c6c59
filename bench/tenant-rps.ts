// Benchmark: requests per second of the embedded tenant for GET /v1/models and non-streamed chat,
// with authentication and scope checks on. The tenant runs in this process; the load comes from a
// separate process (bench/tenant-load.ts, undici Pool) on loopback. Prints figures; asserts nothing.
//
//   npx tsx bench/tenant-rps.ts [--concurrency 32] [--seconds 3]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startTenant } from '../src/tenant/index.ts';

const { values } = parseArgs({ options: { concurrency: { type: 'string', default: '32' }, seconds: { type: 'string', default: '3' } } });
const concurrency = Number(values.concurrency);
const durationMs = Number(values.seconds) * 1000;
const loadScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tenant-load.ts');

interface LoadResult {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}

function drive(job: object, secret: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', loadScript, JSON.stringify(job)], {
      env: { ...process.env, GT_BENCH_SECRET: secret },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`load process exited ${code}`))));
  });
}

const tenant = await startTenant({ freshSecrets: true });
const origin = new URL(tenant.baseUrl).origin;
const base = new URL(tenant.baseUrl).pathname;
const scenarios = [
  { label: 'GET /v1/models', path: `${base}/v1/models`, method: 'GET', key: 'openai-chat' },
  {
    label: 'POST /v1/chat/completions',
    path: `${base}/v1/chat/completions`,
    method: 'POST',
    key: 'openai-chat',
    body: JSON.stringify({ model: 'mission-agent', messages: [{ role: 'user', content: 'Summarize the attached mission brief.' }] }),
  },
];

console.log(`embedded tenant at ${tenant.baseUrl}; load from a separate process, ${concurrency} connections, ${durationMs / 1000} s per route; node ${process.version}`);
console.log('route                          requests    req/s   p50 ms   p99 ms  non-200');
try {
  for (const s of scenarios) {
    const r = await drive({ origin, path: s.path, method: s.method, body: s.body, concurrency, durationMs }, tenant.secrets[s.key]);
    console.log(
      `${s.label.padEnd(30)} ${String(r.requests).padStart(8)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(8)}`,
    );
  }
} finally {
  await tenant.close();
}
