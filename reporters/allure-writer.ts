// Allure results written without an fsync per file. allure-js's FileSystemWriter writes each result through
// a temp file, fsyncs and renames it: durable, and about a second of a default run for its ~740 files. A
// results folder is rebuilt by the next run, so the results, containers and attachments are written plainly
// here; the rare files (environment, categories, globals) keep the library's own path. allure-vitest makes
// its writer itself, so AllureResultsReporter swaps it in once the reporter has started. Each file takes the
// place of a spare one, an earlier run's moved aside, while there are any (src/report/out-dir.ts, SpareFiles).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunnerTask } from 'vitest';
import type { TestCase, TestModule, Vitest } from 'vitest/node';
import { FileSystemWriter } from 'allure-js-commons/sdk/reporter';
import AllureVitestReporter from 'allure-vitest/reporter';
import type { SpareFiles } from '../src/report/out-dir.ts';

type Result = Parameters<FileSystemWriter['writeResult']>[0];
type Group = Parameters<FileSystemWriter['writeGroup']>[0];

export class UnsyncedAllureWriter extends FileSystemWriter {
  private readonly dir: string;

  constructor(
    config: { resultsDir: string },
    private readonly spares?: SpareFiles,
  ) {
    super(config);
    this.dir = config.resultsDir;
    mkdirSync(this.dir, { recursive: true });
  }

  override writeResult(result: Result): void {
    this.write(`${result.uuid}-result.json`, JSON.stringify(result));
  }

  override writeGroup(group: Group): void {
    this.write(`${group.uuid}-container.json`, JSON.stringify(group));
  }

  override writeAttachment(fileName: string, content: Buffer): void {
    this.write(fileName, content);
  }

  override writeAttachmentFromPath(fileName: string, from: string): void {
    this.write(fileName, readFileSync(from));
  }

  private write(fileName: string, content: string | Buffer): void {
    const file = path.join(this.dir, fileName);
    if (this.spares) this.spares.write(file, content);
    else writeFileSync(file, content);
  }
}

/**
 * allure-vitest's reporter, writing through UnsyncedAllureWriter (its default writer otherwise, if the runtime
 * changes shape). It writes each test's result as the test ends, while the run waits on the tenant, not all of
 * them at the end as allure-vitest does; the end writes what is left (suites' hook errors, tests never reported).
 */
export class AllureResultsReporter extends AllureVitestReporter {
  private readonly written = new WeakSet<RunnerTask>();

  /** `cleared`: what clearing the folder left (src/report/out-dir.ts, clearOwnedAnew), its spares removed when the run ends. */
  constructor(
    private readonly resultsDir: string,
    private readonly cleared: { failed: string[]; spares?: SpareFiles } = { failed: [] },
  ) {
    super({ resultsDir });
  }

  onTestCaseResult(testCase: TestCase): void {
    // vitest's own task of the test, which allure-vitest's onTestRunEnd reads the same way; without it, the end writes the test
    const task = (testCase as unknown as { task?: RunnerTask }).task;
    if (task) this.handleTask(task);
  }

  override handleTask(task: RunnerTask): void {
    if (task.type === 'test') {
      if (this.written.has(task)) return;
      this.written.add(task);
    }
    super.handleTask(task);
  }

  override onInit(vitest: Vitest): void {
    super.onInit(vitest);
    const runtime = (this as unknown as { allureReporterRuntime?: { writer?: unknown } }).allureReporterRuntime;
    if (runtime?.writer instanceof FileSystemWriter) runtime.writer = new UnsyncedAllureWriter({ resultsDir: this.resultsDir }, this.cleared.spares);
  }

  /** allure-vitest's end (it writes what is left), then the spares not taken are removed. */
  override onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    super.onTestRunEnd(modules);
    const listed = (failed: string[]) => `${failed.slice(0, 3).join('; ')}${failed.length > 3 ? '; …' : ''}`;
    const inResults = this.cleared.failed.splice(0);
    if (inResults.length) {
      process.stderr.write(`gt-conformance: ${inResults.length} Allure files of an earlier run could not be removed from ${path.dirname(this.resultsDir)} (${listed(inResults)}): those left in ${this.resultsDir} mix into an Allure report of it\n`);
    }
    const aside = this.cleared.spares?.removeRest() ?? [];
    if (aside.length) {
      process.stderr.write(`gt-conformance: ${aside.length} Allure files of an earlier run, moved aside, could not be removed from ${path.dirname(this.resultsDir)} (${listed(aside)}): they stay in that hidden folder, apart from this run's results, and the next run tries again\n`);
    }
  }
}
