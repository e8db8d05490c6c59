// Builds the conformance report from the run context and the checks' results: a pure function, no I/O.
import { machineChecksOf, type Check, type CheckMeta, type Contract, type RunContext } from '../model.ts';
import type { ConformanceReport, ReportCell, ReportCheck, ReportProduct, ReportRoute, ReportValidationItem } from './report-model.ts';
import { REPORT_SCHEMA_VERSION } from './report-model.ts';
import { aggregateOutcome, countOutcomes } from '../outcome/outcomes.ts';
import { notRunOutcome, reportedOutcome } from '../outcome/reported.ts';
import { runVerdict, type GateMode } from '../outcome/verdict.ts';
import { scrubDeep } from './scrub.ts';
import { compareWithBaseline, failedIn, type Baseline } from './baseline.ts';
import { distinctExchanges, sentRequests } from './har.ts';
import { keyCoverage } from './coverage.ts';
import { createdObjects } from './created.ts';

/** One conformance test as the runner saw it. */
export interface TestRun {
  name: string;
  meta?: CheckMeta;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  errors: string[];
  startTime?: number; // epoch ms
  durationMs?: number;
}

export interface BuildInput {
  context: RunContext;
  tests: TestRun[];
  /** the route catalog, in contract order: the matrix columns */
  routeCatalog: ReportRoute[];
  failOnFindings?: boolean;
  waiversFile?: string;
  /** gate problems found outside the tests, e.g. waivers that name no check */
  gateProblems?: string[];
  /** errors of the run itself (unhandled errors, modules that failed to load) */
  runErrors?: string[];
  /** --gate: what fails the run (default any failure) */
  gate?: GateMode;
  /** --baseline: an earlier report to compare with (src/report/baseline.ts) */
  baseline?: Baseline;
  /** the plan's estimate of the requests it sends (src/plan/estimate.ts, over the context's probes) */
  estimatedRequests?: number;
  /** the contract: with it, the report lists what the run created on the tenant */
  contract?: Contract;
  /** used when no test reports a time */
  now?: Date;
}

export const CROSS_CUTTING_ROW = 'cross-cutting';

export function buildReport(input: BuildInput): ConformanceReport {
  const { context } = input;
  const errors = [...(input.runErrors ?? [])];
  const results = new Map<string, ReportCheck>();
  for (const test of input.tests) {
    if (!test.meta) {
      if (test.state === 'failed') errors.push(`test "${test.name}" failed without check metadata: ${test.errors[0] ?? 'no error message'}`);
      continue;
    }
    const check = fromTest(test, test.meta, input.failOnFindings ?? false);
    const earlier = results.get(check.id);
    if (!earlier || aggregateOutcome([earlier.outcome, check.outcome]) === check.outcome) results.set(check.id, check);
  }
  const planned = new Set(context.checks.map((c) => c.id));
  const checks = [
    ...context.checks.map((c) => results.get(c.id) ?? notRun(c)),
    ...[...results.values()].filter((c) => !planned.has(c.id)),
  ];
  const byId = new Map(checks.map((c) => [c.id, c]));

  const columns = matrixColumns(input.routeCatalog, context, checks);
  const cell = (route: string, cellChecks: ReportCheck[], row?: RunContext['runbooks'][number]['routes'][number]): ReportCell => ({
    route,
    ...(row ? { verdict: row.verdict, integration: row.integration } : {}),
    ...(row?.requires_scope ? { requiresScope: row.requires_scope } : {}),
    outcome: aggregateOutcome(cellChecks.map((c) => c.outcome)),
    checks: cellChecks.map((c) => c.id),
  });

  const products: ReportProduct[] = context.runbooks.map((rb) => {
    const own = checks.filter((c) => c.product === rb.id);
    const validation: ReportValidationItem[] = rb.checklist.map((item, index) => {
      const machine = machineChecksOf(item);
      const words = machine.length ? { check: machine.join(', ') } : {};
      const manual = byId.get(`${rb.id}/checklist/${index + 1}`);
      const itemChecks = manual ? [manual] : machine.map((m) => byId.get(`${rb.id}/checklist/${index + 1}-${m}`)).filter((c): c is ReportCheck => !!c);
      if (itemChecks.length) {
        const outcome = aggregateOutcome(itemChecks.map((c) => c.outcome)) as ReportCheck['outcome'];
        const deciding = itemChecks.find((c) => c.outcome === outcome) ?? itemChecks[0];
        return { text: item.text, ...words, checkId: itemChecks[0].id, ...(itemChecks.length > 1 ? { checkIds: itemChecks.map((c) => c.id) } : {}), outcome, message: deciding.message };
      }
      if (!machine.length) return { text: item.text, outcome: 'manual', message: 'to be verified by a person' };
      return { text: item.text, ...words, outcome: 'skipped', message: 'no check was planned for this item' };
    });
    return {
      id: rb.id,
      product: rb.product,
      file: rb.file,
      digest: rb.digest,
      compatibility: rb.compatibility,
      category: rb.category,
      preset: rb.preset,
      driver: rb.driver,
      outcome: aggregateOutcome(own.map((c) => c.outcome)),
      counts: countOutcomes(own.map((c) => c.outcome)),
      routes: columns.map((r) => {
        const row = rb.routes.find((x) => x.route === r.id);
        return cell(r.id, own.filter((c) => c.group === 'route' && c.route === r.id), row);
      }),
      validation,
      findings: context.findings.filter((f) => f.product === rb.id).map((f) => ({ ...f, outcome: 'runbook_defect' as const })),
      checks: own.map((c) => c.id),
    };
  });

  const crossChecks = checks.filter((c) => c.group === 'cross-cutting');
  const failOnFindings = input.failOnFindings ?? false;
  const counts = countOutcomes(checks.map((c) => c.outcome));
  const gate = runVerdict({
    checks,
    rules: { failOnFindings },
    gate: input.gate,
    baselineFailed: failedIn(input.baseline),
    extraFindings: staticFindings(context, checks).length,
    problems: input.gateProblems,
    errors,
  });
  const negative = negativeSummary(checks);
  const distinct = distinctExchanges(checks);

  const report: ConformanceReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    harness: { name: 'gt-conformance', version: context.harnessVersion },
    contract: { digest: context.contractDigest },
    runbooks: context.runbooks.map((rb) => ({ id: rb.id, file: rb.file, digest: rb.digest })),
    target: {
      kind: context.target.kind,
      host: context.target.host,
      ...(context.target.defects?.length ? { defects: context.target.defects } : {}),
      ...(context.target.profile ? { profile: context.target.profile } : {}),
    },
    seed: context.seed,
    strict: context.strict,
    startedAt: context.startedAt,
    finishedAt: finishedAt(input.tests, input.now),
    gate: { passed: gate.passed, failOnFindings, ...(input.gate ? { mode: input.gate } : {}), ...(input.waiversFile ? { waivers: input.waiversFile } : {}), reasons: gate.reasons },
    ...(input.baseline ? { comparison: compareWithBaseline(checks, input.baseline) } : {}),
    ...(input.estimatedRequests !== undefined ? { requests: { sent: sentRequests(distinct), estimated: input.estimatedRequests } } : {}),
    keyCoverage: keyCoverage(context),
    ...(negative ? { negative } : {}),
    ...(input.contract ? { created: createdObjects(input.contract, distinct) } : {}),
    routes: columns,
    counts,
    products,
    crossCutting: {
      routes: columns.map((r) => cell(r.id, crossChecks.filter((c) => c.route === r.id))),
      checks: crossChecks.map((c) => c.id),
    },
    checks,
    errors,
  };
  return scrubDeep(report);
}

function fromTest(test: TestRun, meta: CheckMeta, failOnFindings: boolean): ReportCheck {
  const { outcome, message } = reportedOutcome(meta, test.state, test.errors, { failOnFindings });
  return {
    ...checkFields(meta.check),
    outcome,
    message,
    ran: true,
    ...(meta.keyPreset ? { keyPreset: meta.keyPreset } : {}),
    ...(meta.keyEnv ? { keyEnv: meta.keyEnv } : {}),
    ...(meta.waiver ? { waiver: meta.waiver } : {}),
    ...(test.startTime !== undefined ? { startedAt: new Date(test.startTime).toISOString() } : {}),
    ...(test.durationMs !== undefined ? { durationMs: Math.round(test.durationMs) } : {}),
    ...(meta.generated ? { generated: meta.generated } : {}),
    exchanges: meta.exchanges ?? [],
  };
}

function notRun(check: Check): ReportCheck {
  return { ...checkFields(check), ...notRunOutcome(check), ran: false, exchanges: [] };
}

function checkFields(check: Check): Pick<ReportCheck, 'id' | 'group' | 'product' | 'route' | 'verdict' | 'title' | 'severity'> {
  return {
    id: check.id,
    group: check.group,
    ...(check.product ? { product: check.product } : {}),
    ...(check.route ? { route: check.route } : {}),
    ...(check.verdict ? { verdict: check.verdict } : {}),
    title: check.title,
    severity: check.severity,
  };
}

/** The routes any runbook row or check mentions, in catalog order; unknown ids last. */
function matrixColumns(catalog: ReportRoute[], context: RunContext, checks: ReportCheck[]): ReportRoute[] {
  const used = new Set<string>();
  for (const rb of context.runbooks) for (const row of rb.routes) used.add(row.route);
  for (const c of checks) if (c.route) used.add(c.route);
  const known = catalog.filter((r) => used.has(r.id));
  const unknown = [...used].filter((id) => !catalog.some((r) => r.id === id)).map((id) => ({ id }));
  return [...known, ...unknown];
}

/** The negative group of the run in one line: routes, cases and requests, and the seed that replays them. */
function negativeSummary(checks: ReportCheck[]): ConformanceReport['negative'] {
  const generated = checks.filter((c) => c.generated).map((c) => c.generated!);
  if (!generated.length) return undefined;
  return { seed: generated[0].seed, routes: generated.length, cases: generated.reduce((n, g) => n + g.cases, 0), requests: generated.reduce((n, g) => n + g.requests, 0) };
}

function finishedAt(tests: TestRun[], now?: Date): string {
  const ends = tests.filter((t) => t.startTime !== undefined).map((t) => t.startTime! + (t.durationMs ?? 0));
  return ends.length ? new Date(Math.max(...ends)).toISOString() : (now ?? new Date()).toISOString();
}

/**
 * Findings known before the run that no check stands for. The planner turns each finding into a check
 * (group 'finding'); a context from a planner that does not is still reported, once.
 */
export function staticFindings<T extends { product: string }>(context: { findings: T[] }, checks: Array<Pick<ReportCheck, 'group' | 'product'>>): T[] {
  const covered = new Set(checks.filter((c) => c.group === 'finding').map((c) => c.product));
  return context.findings.filter((f) => !covered.has(f.product));
}
