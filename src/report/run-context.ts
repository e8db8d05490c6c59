// The run context (<outDir>/run-context.json): written once per run by whoever prepared it, read by the
// suites' workers and the reporters; and merged from the shards of a sharded run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { claimOutDir } from './out-dir.ts';
import path from 'node:path';
import type { RunContext } from '../model.ts';
import type { ReportRoute } from './report-model.ts';
import { loadContract } from '../contract/load.ts';

export const RUN_CONTEXT_FILE = 'run-context.json';

export function runContextPath(outDir: string): string {
  return path.join(outDir, RUN_CONTEXT_FILE);
}

/** Writes the run context into outDir, which it claims first (src/report/out-dir.ts: a folder the harness may write). */
export function writeRunContext(outDir: string, context: RunContext): string {
  claimOutDir(outDir);
  const file = runContextPath(outDir);
  writeFileSync(file, `${JSON.stringify(context, null, 2)}\n`);
  return file;
}

export function readRunContext(file: string): RunContext {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read the run context: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const ctx = parsed as Partial<RunContext>;
  const missing = (['harnessVersion', 'contractDigest', 'runbooks', 'target', 'seed', 'startedAt', 'checks'] as const).filter((k) => ctx[k] === undefined);
  if (missing.length) throw new Error(`${file}: not a run context (missing ${missing.join(', ')})`);
  return { strict: false, findings: [], probes: [], ...ctx } as RunContext;
}

/** The run context in outDir, or undefined when the run wrote none. */
export function findRunContext(outDir: string): RunContext | undefined {
  const file = runContextPath(outDir);
  return existsSync(file) ? readRunContext(file) : undefined;
}

/**
 * One context for shards of one run. They must agree on everything that makes the run what it is
 * (harness, contract, runbooks, target, seed, the plan); the start is the earliest shard's.
 */
export function mergeRunContexts(contexts: Array<{ file: string; context: RunContext }>): RunContext {
  if (!contexts.length) throw new Error('no run context to merge');
  const [first, ...rest] = contexts;
  const facts = (c: RunContext): Record<string, string> => ({
    'harness version': c.harnessVersion,
    'contract digest': c.contractDigest,
    runbooks: c.runbooks.map((r) => `${r.id}@${r.digest}`).join(','),
    // each shard starts its own embedded tenant on its own loopback port: only a live host must agree
    target: `${c.target.kind} ${c.target.kind === 'live' ? c.target.host : ''} ${(c.target.defects ?? []).join(',')} ${c.target.profile ?? ''}`,
    seed: String(c.seed),
    strict: String(c.strict),
    'planned checks': c.checks.map((x) => x.id).join(','),
  });
  const expected = facts(first.context);
  for (const other of rest) {
    const got = facts(other.context);
    for (const key of Object.keys(expected)) {
      if (got[key] !== expected[key]) {
        const hint = key === 'seed' ? `(${expected[key]} vs ${got[key]}): give every shard the same --seed` : 'merge only shards of one run';
        throw new Error(`run contexts disagree: ${first.file} and ${other.file} differ in ${key} ${hint}`);
      }
    }
  }
  const startedAt = contexts.map((c) => c.context.startedAt).sort()[0];
  const { shard: _shard, ...merged } = first.context;
  return { ...merged, startedAt };
}

/**
 * The shards a sharded run is missing: each shard records "i/n" in its run context, so a merge knows how many
 * there were. A context without one is a whole run, which misses nothing.
 */
export function missingShards(contexts: RunContext[]): string[] {
  const given = contexts.map((c) => c.shard).filter((s): s is string => !!s);
  if (!given.length) return [];
  const counts = [...new Set(given.map((s) => Number(s.split('/')[1])))];
  if (counts.length > 1) return [`shards of different splits (${[...new Set(given)].sort().join(', ')}): merge the shards of one run`];
  const n = counts[0];
  const present = new Set(given.map((s) => Number(s.split('/')[0])));
  return Array.from({ length: n }, (_, i) => i + 1)
    .filter((i) => !present.has(i))
    .map((i) => `shard ${i}/${n} is missing: give report --merge the blob folder of every shard`);
}

/** The matrix columns: the contract's route catalog in order (R1..R10). */
export function routeCatalog(): ReportRoute[] {
  try {
    return loadContract().routes.map((r) => ({ id: r.id, number: r.number, title: r.title }));
  } catch {
    return []; // the report still lists every route its checks use, in order of appearance
  }
}
