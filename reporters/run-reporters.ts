// Which reporters a run uses: a full run and `report --merge` write every report; a shard writes a blob
// (merged later) plus what the merge needs beside it.
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Reporter } from 'vitest/node';
import { AllureResultsReporter } from './allure-writer.ts';
import ConformanceReporter, { type ConformanceReporterOptions } from './conformance-reporter.ts';
import { findRunContext, RUN_CONTEXT_FILE } from '../src/report/run-context.ts';
import { ALLURE_ENVIRONMENT_FILE, ALLURE_EXECUTOR_FILE, writeAllureInfo } from '../src/report/allure-info.ts';
import type { RunContext } from '../src/model.ts';
import { claimOutDir, clearOwnedAnew } from '../src/report/out-dir.ts';

export const ALLURE_RESULTS_DIR = 'allure-results';
export const BLOB_DIR = 'blob';

type ReporterEntry = Reporter | [string, Record<string, unknown>];

/**
 * What allure-js writes into a results folder (src/sdk/reporter/writer/FileSystemWriter.js), and the
 * harness's environment.properties and executor.json (src/report/allure-info.ts): nothing else.
 */
const ALLURE_FILE_OF_A_TEST = /^[0-9a-f-]{36}-(?:result\.json|container\.json|attachment(?:\.[\w.-]+)?)$/;
const isAllureFile = (name: string) => ALLURE_FILE_OF_A_TEST.test(name) || name === 'categories.json' || name === ALLURE_ENVIRONMENT_FILE || name === ALLURE_EXECUTOR_FILE;

function allureReporters(outDir: string, runContext?: RunContext): Reporter[] {
  // Stale results of an earlier run would mix into the report: remove them, and only them.
  const cleared = clearOwnedAnew(outDir, ALLURE_RESULTS_DIR, isAllureFile);
  return [new AllureResultsReporter(cleared.folder, cleared) as unknown as Reporter, new AllureInfoReporter(outDir, cleared.folder, runContext)];
}

/** environment.properties and executor.json, from the run context (written before the run, or merged). */
class AllureInfoReporter implements Reporter {
  constructor(
    private readonly outDir: string,
    private readonly resultsDir: string,
    private readonly runContext?: RunContext,
  ) {}

  onTestRunEnd(): void {
    const context = this.runContext ?? findRunContext(this.outDir);
    if (context) writeAllureInfo(this.resultsDir, context);
  }
}

/**
 * The reporters that write every report of a run into outDir: the conformance report, JUnit and Allure results.
 * outDir is claimed first (src/report/out-dir.ts): a folder of someone else's files is refused before the run.
 */
export function reportReporters(settings: ConformanceReporterOptions & { outDir: string }): { reporters: Reporter[]; conformance: ConformanceReporter } {
  claimOutDir(settings.outDir);
  const conformance = new ConformanceReporter(settings);
  return { reporters: [conformance, ...allureReporters(settings.outDir, settings.runContext)], conformance };
}

/** "2/3" → "2-3", for file names. */
const shardTag = (shard: string) => shard.replace('/', '-');

/**
 * The reporters of one shard (`run --shard i/n`): vitest's blob reporter writes <outDir>/blob/blob-i-n.json,
 * and the shard's run context is copied beside it as run-context.i-n.json, so uploading <outDir>/blob is all a
 * CI job has to do. Allure's reporter stays on so the tests' Allure steps are recorded (into the blob).
 */
export function shardReporters(outDir: string, shard: string): ReporterEntry[] {
  claimOutDir(outDir);
  const blobDir = claimOutDir(path.join(outDir, BLOB_DIR), '--out (its blob folder)');
  return [
    ['blob', { outputFile: path.join(blobDir, `blob-${shardTag(shard)}.json`) }],
    ...allureReporters(outDir),
    new ShardContextReporter(outDir, shard),
  ];
}

class ShardContextReporter implements Reporter {
  constructor(
    private readonly outDir: string,
    private readonly shard: string,
  ) {}

  onTestRunEnd(): void {
    const source = path.join(this.outDir, RUN_CONTEXT_FILE);
    if (existsSync(source)) copyFileSync(source, path.join(this.outDir, BLOB_DIR, `run-context.${shardTag(this.shard)}.json`));
  }
}
