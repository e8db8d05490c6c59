// The conformance reporter: a vitest Reporter that turns the checks' results (task.meta.gt) and the run
// context (<outDir>/run-context.json) into conformance-report.{json,md,html}, junit.xml and, with --certify,
// the signed per-product reports. It works the same on a live run and on `--merge-reports` of shard blobs.
import { loadContract } from '../src/contract/load.ts';
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';
import '../src/suite/task-meta.ts';
import type { RunContext } from '../src/model.ts';
import { buildReport, type TestRun } from '../src/report/build.ts';
import type { ConformanceReport } from '../src/report/report-model.ts';
import path from 'node:path';
import { readRunOptions, type RunOptions } from '../src/run/options.ts';
import { findRunContext, routeCatalog, runContextPath } from '../src/report/run-context.ts';
import { writeReports } from '../src/report/write.ts';
import { reportValidator } from '../src/report/validate.ts';
import { writeCertificates } from '../src/report/certify.ts';
import { loadWaivers, unmatchedWaivers } from '../src/outcome/waivers.ts';
import { scrubText } from '../src/report/scrub.ts';
import { loadBaseline, type Baseline } from '../src/report/baseline.ts';

/** The run options this reporter uses; each one given here wins over GT_CONFORMANCE_OPTIONS. */
export interface ConformanceReporterOptions extends Partial<Pick<RunOptions, 'outDir' | 'waivers' | 'certify' | 'validDays' | 'products' | 'failOnFindings' | 'baseline' | 'gate'>> {
  /** the run context to use instead of <outDir>/run-context.json (report --merge passes the shards' merged one) */
  runContext?: RunContext;
  /** reasons the gate fails that no check stands for (report --merge: a missing shard) */
  gateProblems?: string[];
  /** the vitest project whose tests are conformance checks */
  project?: string;
  /** where one-line notes go (tests capture them) */
  log?: (line: string) => void;
}

export default class ConformanceReporter implements Reporter {
  /** the report of the last run, for callers that decide an exit code */
  report: ConformanceReport | undefined;
  files: string[] = [];

  private validatorLoading = false;

  constructor(private readonly settings: ConformanceReporterOptions = {}) {}

  /**
   * The report's schema validator loaded while the run waits on the tenant, not after its last test: loading its
   * code is about 25 ms of a run's end, where nothing else can go on. A failure to load shows where it is used.
   */
  onTestCaseResult(): void {
    if (this.validatorLoading) return;
    this.validatorLoading = true;
    setImmediate(() => {
      try {
        reportValidator();
      } catch {
        // reported by the report's own check, with its context
      }
    });
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): Promise<void> {
    const log = this.settings.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const { runContext, project = 'conformance', log: _log, gateProblems: given = [], ...overrides } = this.settings;
    const options = { ...readRunOptions(), ...definedOnly(overrides) };
    options.outDir = path.resolve(options.outDir);
    const { tests, moduleErrors, isConformanceRun } = collect(testModules, project);
    if (!isConformanceRun) return; // a run of the harness's own tests: nothing to report
    const context = runContext ?? findRunContext(options.outDir);
    if (!context) {
      log(`gt-conformance: no conformance report: ${runContextPath(options.outDir)} is missing (the suites' global setup writes it)`);
      process.exitCode = 1;
      return;
    }

    const gateProblems: string[] = [...given];
    if (options.waivers) {
      try {
        const planned = new Set(context.checks.map((c) => c.id));
        for (const w of unmatchedWaivers(loadWaivers(options.waivers), planned)) {
          gateProblems.push(`waiver ${w.file}${w.line ? `:${w.line}` : ''} names ${w.check}, which the plan does not have`);
        }
      } catch (err) {
        gateProblems.push((err as Error).message);
      }
    }
    let baseline: Baseline | undefined;
    if (options.baseline) {
      try {
        baseline = loadBaseline(options.baseline);
      } catch (err) {
        gateProblems.push((err as Error).message); // it was read before the run: it changed since
      }
    }
    const report = buildReport({
      context,
      tests,
      routeCatalog: routeCatalog(),
      failOnFindings: options.failOnFindings,
      waiversFile: options.waivers,
      gate: options.gate,
      baseline,
      estimatedRequests: context.estimatedRequests,
      contract: loadContract(),
      gateProblems,
      runErrors: [...moduleErrors, ...unhandledErrors.map((e) => `unhandled error: ${firstLine(e.message)}`)],
    });
    const written = writeReports(report, options.outDir);
    this.files = [written.json, written.markdown, written.html, written.junit, written.har];
    if (options.certify) {
      const products = options.products?.length ? options.products : report.products.map((p) => p.id);
      this.files.push(...writeCertificates(report, products, options.certify, options.outDir, options.validDays));
    }
    this.report = report;
    // The gate can fail with every test green (a waiver naming no check, a run error): the exit code must say so.
    if (!report.gate.passed) process.exitCode = 1;
    log(`gt-conformance: ${report.gate.passed ? 'passed' : `FAILED (${report.gate.reasons.join('; ')})`}; reports in ${options.outDir}`);
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function firstLine(text: string | undefined): string {
  return scrubText((text ?? '').split('\n')[0]);
}

/** The conformance tests of the run: modules of the conformance project, or any module whose tests carry meta.gt. */
function collect(testModules: ReadonlyArray<TestModule>, project: string) {
  const tests: TestRun[] = [];
  const moduleErrors: string[] = [];
  let isConformanceRun = false;
  for (const mod of testModules) {
    const cases = [...mod.children.allTests()];
    const conformance = mod.project.name === project || cases.some((t) => t.meta().gt);
    if (!conformance) continue;
    isConformanceRun = true;
    for (const e of mod.errors()) moduleErrors.push(`${mod.relativeModuleId}: ${firstLine(e.message)}`);
    for (const test of cases) tests.push(testRun(test));
  }
  return { tests, moduleErrors, isConformanceRun };
}

function testRun(test: TestCase): TestRun {
  const result = test.result();
  const diagnostic = test.diagnostic();
  return {
    name: test.fullName,
    meta: test.meta().gt,
    state: result.state,
    errors: result.state === 'failed' ? result.errors.map((e) => firstLine(e.message)) : [],
    ...(diagnostic ? { startTime: diagnostic.startTime, durationMs: diagnostic.duration } : {}),
  };
}
