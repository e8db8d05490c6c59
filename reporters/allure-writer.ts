// Allure results written without an fsync per file. allure-js's FileSystemWriter writes each result through
// a temp file, fsyncs and renames it: durable, and about a second of a default run for its ~740 files. A
// results folder is rebuilt by the next run, so the results, containers and attachments are written plainly
// here; the rare files (environment, categories, globals) keep the library's own path. allure-vitest makes
// its writer itself, so AllureResultsReporter swaps it in once the reporter has started.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunnerTask } from 'vitest';
import type { TestCase, Vitest } from 'vitest/node';
import { FileSystemWriter } from 'allure-js-commons/sdk/reporter';
import AllureVitestReporter from 'allure-vitest/reporter';

type Result = Parameters<FileSystemWriter['writeResult']>[0];
type Group = Parameters<FileSystemWriter['writeGroup']>[0];

export class UnsyncedAllureWriter extends FileSystemWriter {
  private readonly dir: string;

  constructor(config: { resultsDir: string }) {
    super(config);
    this.dir = config.resultsDir;
    mkdirSync(this.dir, { recursive: true });
  }

  override writeResult(result: Result): void {
    writeFileSync(path.join(this.dir, `${result.uuid}-result.json`), JSON.stringify(result));
  }

  override writeGroup(group: Group): void {
    writeFileSync(path.join(this.dir, `${group.uuid}-container.json`), JSON.stringify(group));
  }

  override writeAttachment(fileName: string, content: Buffer): void {
    writeFileSync(path.join(this.dir, fileName), content);
  }

  override writeAttachmentFromPath(fileName: string, from: string): void {
    copyFileSync(from, path.join(this.dir, fileName));
  }
}

/**
 * allure-vitest's reporter, writing through UnsyncedAllureWriter (its default writer otherwise, if the runtime
 * changes shape). It writes each test's result as the test ends, while the run waits on the tenant, not all of
 * them at the end as allure-vitest does; the end writes what is left (suites' hook errors, tests never reported).
 */
export class AllureResultsReporter extends AllureVitestReporter {
  private readonly written = new WeakSet<RunnerTask>();

  constructor(private readonly resultsDir: string) {
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
    if (runtime?.writer instanceof FileSystemWriter) runtime.writer = new UnsyncedAllureWriter({ resultsDir: this.resultsDir });
  }
}
