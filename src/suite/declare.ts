// Declares the conformance tests of one suite file from the run's plan, at collection time:
// describe(product) › describe(route [verdict]) › it(check). No product or route is named in a suite file,
// and nothing is planned here: the plan comes from the run context the run was prepared with.
import { describe, inject, it, type TestContext } from 'vitest';
import type { Check, CheckMeta, ProbeResult, RunContext } from '../model.ts';
import { NO_CHECK_HERE, suiteFileOf } from './files.ts';
import { settleCheck, waiversOfRun } from './settle.ts';
import { checkOutcome } from '../outcome/check-outcome.ts';
import { createSession, type Session } from '../engine/session.ts';
import { secretSource } from '../targets/secrets.ts';
import { loadContract, routeLabel } from '../contract/load.ts';
import { keyEnvOf } from '../targets/key-env.ts';

interface WorkerRun {
  context: RunContext;
  session: Session;
}

let current: WorkerRun | undefined;

/** The run's one session in this worker: every suite file shares its engine (and so its probes). */
export function workerRun(): WorkerRun {
  if (!current) {
    const context = inject('gtRunContext');
    const target = context.targetSpec;
    const session = createSession({
      contract: loadContract(),
      plan: context,
      target,
      secrets: secretSource(target, inject('gtSecrets')),
      seed: context.seed,
      strict: context.strict,
      limits: context.limits,
      runId: context.runId,
    });
    current = { context, session };
    // Every probe starts now, longest chains first, whatever the order of the suite files and their tests;
    // each test then waits for its own. A shard runs only what its tests ask for (it does not know the rest).
    if (!context.shard) void session.engine.runAll().catch(() => undefined);
  }
  return current;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

/** Declares the checks that suites/<file>.test.ts holds (see src/suite/files.ts). */
export function declareChecks(file: string): void {
  const run = workerRun();
  const { context } = run;
  const products = context.runbooks.map((r) => r.id);
  const checks = context.checks.filter((c) => !c.manual && suiteFileOf(c, products) === file);
  // A plain `vitest run --project conformance` loads every suite file; one this run has no check in must still
  // hold a test (vitest fails a file without any). It carries no check, so no report counts it.
  if (checks.length === 0) it.skip(NO_CHECK_HERE, () => {});
  const productName = (id: string | undefined) => (id ? (context.runbooks.find((r) => r.id === id)?.product ?? id) : 'cross-cutting');
  for (const [product, productChecks] of groupBy(checks, (c) => c.product ?? '')) {
    describe.concurrent(productName(product || undefined), () => {
      for (const [, routeChecks] of groupBy(productChecks, (c) => `${c.route ?? ''}|${c.verdict ?? ''}`)) {
        describe(routeTitle(routeChecks[0]), () => {
          for (const check of routeChecks) it(check.title, (ctx) => runCheck(run, check, ctx));
        });
      }
    });
  }
}

function routeTitle(check: Check): string {
  const route = loadContract().routes.find((r) => r.id === check.route);
  const label = route ? routeLabel(route) : (check.route ?? 'product');
  const group = check.group === 'validation' ? 'checklist' : check.group === 'finding' ? 'findings' : undefined;
  return [label, check.verdict ? `[${check.verdict}]` : group ? `[${group}]` : ''].filter(Boolean).join(' ');
}

async function runCheck(run: WorkerRun, check: Check, ctx: TestContext): Promise<void> {
  const probeResults: ProbeResult[] = await Promise.all(check.probes.map((id) => run.session.engine.run(id)));
  const result = checkOutcome(check, probeResults);
  const firstProbe = run.context.probes.find((p) => p.id === check.probes[0]);
  const generated = generatedBy(run.context, probeResults);
  await settleCheck(
    ctx,
    { check, outcome: result.outcome, message: result.message, exchanges: result.exchanges, keyPreset: firstProbe?.keyPreset, keyEnv: keyEnvOf(run.context.targetSpec, firstProbe?.key), ...(generated ? { generated } : {}) },
    { targetHost: run.context.target.host, secrets: run.session.secretValues, waivers: waiversOfRun(run.context.rules.waivers), failOnFindings: run.context.rules.failOnFindings },
  );
}

/** What the check's negative probes generated ({ cases, requests, seed } of src/probes/negative.ts), summed; undefined for other checks. */
function generatedBy(context: RunContext, results: ProbeResult[]): CheckMeta['generated'] {
  const negative = new Set(context.probes.filter((p) => p.kind === 'negative').map((p) => p.id));
  const outputs = results.filter((r) => negative.has(r.probeId) && typeof r.output?.cases === 'number').map((r) => r.output as { cases: number; requests: number; seed: number });
  if (!outputs.length) return undefined;
  return { seed: outputs[0].seed, cases: outputs.reduce((n, o) => n + o.cases, 0), requests: outputs.reduce((n, o) => n + (o.requests ?? 0), 0) };
}
