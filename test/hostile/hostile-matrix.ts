// Prints the hostile-tenant table of docs/robustness.md: for each case of hostile-run.ts, run in its own process
// (so its peak memory is its own), what the checks said, how long the run took after the tenant's first request,
// how much the tenant wrote, and the connections it saw; then one real `gt-conformance run --target` against a
// tenant that does everything at once, with the peak memory of each of its processes.
//
//   npx tsx test/hostile/hostile-matrix.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { terminalSafe } from '../../src/report/sanitize.ts';
import { leaksIn, leaksInFolder } from '../reporters/secrets-scan.ts';
import { startHostileTenant } from './hostile-tenant.ts';
import { CONCURRENCY, EVERYTHING_DEADLINE_MS, EVERYTHING_SCOPE, HOSTILE_CASES, RETRY_AFTER_SECONDS, runAgainstHostile, runInProcess, writeTarget } from './hostile-run.ts';

type CaseName = keyof typeof HOSTILE_CASES;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** In a child: one case, its figures as one JSON line. */
async function measure(name: CaseName): Promise<void> {
  const { run, tenant, secrets, sinceFirstRequestMs } = await runInProcess(HOSTILE_CASES[name]);
  const failed = run.results.filter((r) => r.outcome === 'failed');
  const example = failed.find((r) => r.checkId === 'generic-openai-http/chat/works') ?? failed.find((r) => r.checkId.startsWith('generic-openai-http/')) ?? failed[0];
  const sdk = failed.find((r) => r.checkId === 'openai-sdk/chat/works');
  const leaks = leaksIn(JSON.stringify(run.results.flatMap((r) => r.exchanges)), secrets).length;
  await tenant.close();
  const figures = {
    checks: run.results.length,
    failed: failed.length,
    message: example?.message ?? '',
    sdk: sdk?.message ?? '',
    sinceFirstRequestMs,
    poured: tenant.pouredBytes,
    requests: tenant.requests,
    connections: tenant.connections,
    peakRssKiB: process.resourceUsage().maxRSS,
    leaks,
  };
  console.log(JSON.stringify(figures));
}

const here = fileURLToPath(import.meta.url);
/** A message in a table cell: control characters made visible (the messages quote the tenant), no pipe, no backtick. */
const clip = (text: string, n = 150) => `\`${terminalSafe(text.length > n ? `${text.slice(0, n)}…` : text).replace(/\|/g, '\\|').replace(/`/g, "'")}\``;

async function main(): Promise<void> {
  console.log(`concurrency ${CONCURRENCY}, timeout 3000 ms per request; each case in its own process\n`);
  console.log('| case | run deadline | what a plain-HTTP check says | what the openai SDK check says | run after the first request | tenant wrote | connections (peak / total) | peak RSS | secrets in exchanges |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const name of Object.keys(HOSTILE_CASES) as CaseName[]) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', here, name], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    let f: Record<string, any>;
    try {
      f = JSON.parse(line);
    } catch {
      console.log(`| ${name} | failed to run: ${child.stderr.split('\n')[0]} |`);
      continue;
    }
    console.log(
      `| ${name} | ${seconds(HOSTILE_CASES[name].options.runDeadlineMs)} | ${clip(f.message)} | ${clip(f.sdk, 120)} | ${seconds(f.sinceFirstRequestMs)} | ${mib(f.poured)} | ${f.connections.peak} / ${f.connections.total} | ${(f.peakRssKiB / 1024).toFixed(0)} MiB | ${f.leaks} |`,
    );
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'gt-hostile-matrix-'));
  const tenant = await startHostileTenant({ everything: true, retryAfterSeconds: RETRY_AFTER_SECONDS });
  try {
    const runDeadlineMs = EVERYTHING_DEADLINE_MS;
    const target = writeTarget(dir, tenant.baseUrl, { run_deadline_ms: runDeadlineMs, concurrency: CONCURRENCY });
    const scope = EVERYTHING_SCOPE;
    const run = await runAgainstHostile(['run', '--target', target.file, '--out', path.join(dir, 'out'), ...scope], target.env, 300_000);
    const leaks = [...leaksIn(run.stdout + run.stderr, target.secrets), ...leaksInFolder(path.join(dir, 'out'), target.secrets)];
    console.log(`\ngt-conformance run --target, everything at once (${scope.join(' ')}), run deadline ${seconds(runDeadlineMs)}:`);
    console.log(`exit ${run.code}; ${seconds(run.wallMs)} from spawn, ${seconds(run.endedAt - (tenant.firstRequestAt ?? run.endedAt))} after the first request; ${tenant.requests} requests; connections ${tenant.connections.peak} at once, ${tenant.connections.total} in all; tenant wrote ${mib(tenant.pouredBytes)}`);
    console.log(`peak RSS per process: ${run.peaks.map((p) => `${p.peakMiB} MiB (${p.command.slice(0, 40)})`).join('; ')}`);
    console.log(`secrets found in any form in stdout, stderr and every file written: ${leaks.length}`);
  } finally {
    await tenant.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const name = process.argv[2] as CaseName | undefined;
if (name) await measure(name);
else await main();
