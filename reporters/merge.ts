// `report --merge DIR`: the blob reports of a sharded run, merged by vitest with the same reporters a single
// run uses, so the merged JUnit, Allure results and conformance report equal a single run's.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installedVersion } from '../src/drivers/versions.ts';
import type { TestUserConfig } from 'vitest/node';
import { projectRoot } from '../src/paths.ts';
import type { RunContext } from '../src/model.ts';
import type { ConformanceReport } from '../src/report/report-model.ts';
import { mergeRunContexts, missingShards, readRunContext, runContextPath } from '../src/report/run-context.ts';
import { reportReporters } from './run-reporters.ts';
import type { ConformanceReporterOptions } from './conformance-reporter.ts';

export interface MergeInput extends Omit<ConformanceReporterOptions, 'runContext'> {
  /** the folder holding the shards' blob files and run-context*.json files, at any depth */
  dir: string;
  outDir: string;
  /** vitest settings; default: the conformance project of the project's vitest.config.ts */
  vitest?: Pick<TestUserConfig, 'root' | 'config' | 'project' | 'include'>;
}

export interface MergeResult {
  report: ConformanceReport;
  files: string[];
  blobs: number;
  contexts: number;
}

/** Files under dir, depth first, in name order. */
function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
}

export function isRunContextFile(file: string): boolean {
  return /^run-context(\..+)?\.json$/.test(path.basename(file));
}

/** The run context of the shards: every run-context*.json under dir (else outDir's), which must agree. */
export function shardsContext(dir: string, outDir: string): { context: RunContext; files: string[]; missing: string[] } {
  let files = walk(dir).filter(isRunContextFile);
  if (!files.length && existsSync(runContextPath(outDir))) files = [runContextPath(outDir)];
  if (!files.length) throw new Error(`no run-context.json under ${dir} or in ${outDir}: upload each shard's <out>/blob folder (it holds the shard's run context)`);
  const contexts = files.map((file) => ({ file, context: readRunContext(file) }));
  return { context: mergeRunContexts(contexts), files, missing: missingShards(contexts.map((c) => c.context)) };
}

/**
 * Why vitest could not merge a blob file, or undefined. vitest reports a broken or foreign blob as an
 * unhandled error with a stack trace; this says it in one line first. A blob is flatted JSON whose root
 * array starts with the vitest version that wrote it.
 */
export function blobProblem(file: string): string | undefined {
  let root: unknown;
  try {
    root = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return 'not a vitest blob report (not JSON); upload the files a shard wrote to <out>/blob unchanged';
  }
  const values = Array.isArray(root) ? root : [];
  const version = Array.isArray(values[0]) ? values[Number(values[0][0])] : undefined;
  if (typeof version !== 'string') return 'not a vitest blob report; upload the files a shard wrote to <out>/blob unchanged';
  const vitestVersion = installedVersion('vitest');
  if (version !== vitestVersion) return `written by vitest ${version}, but this harness runs vitest ${vitestVersion}: run every shard and the merge with the same gt-conformance install`;
  return undefined;
}

export async function mergeShardReports(input: MergeInput): Promise<MergeResult> {
  const { dir, outDir, vitest: vitestSettings, ...settings } = input;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: not a folder`);
  const { context, files: contextFiles, missing } = shardsContext(dir, outDir);
  // Only blob files (vitest names them blob-<i>-<n>.json): a shard's whole output folder also holds Allure results.
  const blobs = walk(dir).filter((f) => /^blob-.*\.json$/.test(path.basename(f)));
  if (!blobs.length) throw new Error(`no blob report under ${dir}: shards write them to <out>/blob/blob-<i>-<n>.json`);
  for (const blob of blobs) {
    const problem = blobProblem(blob);
    if (problem) throw new Error(`${blob}: ${problem}`);
  }

  // vitest wants a folder of blob files only; shards' folders also hold their run contexts.
  const flat = mkdtempSync(path.join(os.tmpdir(), 'gt-merge-'));
  try {
    blobs.forEach((file, i) => copyFileSync(file, path.join(flat, `${String(i).padStart(3, '0')}-${path.basename(file)}`)));
    // A missing shard fails the gate: its checks would read as not run, and the merge as a whole run.
    const { reporters, conformance } = reportReporters({ ...settings, outDir, runContext: context, gateProblems: missing });
    const { startVitest } = await import('vitest/node'); // only when merging: it is the heaviest module of the CLI
    const vitest = await startVitest(
      'test',
      [],
      {
        root: projectRoot,
        config: path.join(projectRoot, 'vitest.config.ts'),
        project: ['conformance'],
        ...vitestSettings,
        watch: false,
        mergeReports: flat,
        reporters,
      },
    );
    await vitest.close();
    if (!conformance.report) throw new Error(`merging ${blobs.length} blob report(s) from ${dir} produced no conformance report`);
    return { report: conformance.report, files: conformance.files, blobs: blobs.length, contexts: contextFiles.length };
  } finally {
    rmSync(flat, { recursive: true, force: true });
  }
}
