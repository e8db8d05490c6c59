// A conformance run without vitest: the engine against a target, every check's outcome in memory.
// The self-test (one run per defect) and the benchmarks use it; `gt-conformance run` uses the suites.
import type { CheckResult, Plan, ProbeResult, Target } from '../model.ts';
import { startTenant, type TenantOptions } from '../tenant/index.ts';
import { loadContract } from '../contract/load.ts';
import { checkOutcome } from '../outcome/check-outcome.ts';
import { createSession } from '../engine/session.ts';
import { preloadDrivers } from '../drivers/index.ts';
import { contractValidator } from '../checks/contract-validator.ts';
import { secretSource } from '../targets/secrets.ts';
import { defaultOptions, limitsFor, type RunOptions } from './options.ts';
import { loadRunbooksOrThrow, planNeeds, planRun, runIdOf } from './prepare.ts';

export interface DirectRun {
  plan: Plan;
  target: Target;
  results: CheckResult[];
  requests: number;
  wallMs: number;
}

export interface TargetRun extends DirectRun {
  probeResults: Map<string, ProbeResult>;
  /** ms from the start of the run until each probe had its result */
  finishedAtMs: Map<string, number>;
}

export async function runDirect(tenantOptions: TenantOptions = {}, runOptions: Partial<RunOptions> = {}, seed = 1): Promise<DirectRun> {
  const tenant = await startTenant({ freshSecrets: true, ...tenantOptions });
  try {
    return await runAgainst(tenant.target, tenant.secrets, runOptions, seed);
  } finally {
    await tenant.close();
  }
}

/** A whole run against a target that is already up (e.g. an embedded tenant behind a fault-injecting proxy). */
export async function runAgainst(target: Target, secrets: Record<string, string>, runOptions: Partial<RunOptions> = {}, seed = 1): Promise<TargetRun> {
  const options: RunOptions = { ...defaultOptions, ...runOptions };
  const contract = loadContract();
  const plan = planRun(options, contract, loadRunbooksOrThrow(options, contract), target);
  const finishedAtMs = new Map<string, number>();
  let started = Date.now();
  const session = createSession({
    contract,
    plan,
    target,
    secrets: secretSource(target, secrets),
    seed,
    strict: options.strict,
    limits: limitsFor(options, target.kind === 'live'),
    runId: runIdOf(seed),
    onProgress: (result) => finishedAtMs.set(result.probeId, Date.now() - started),
  });
  // As in `gt-conformance run`, whose worker does it before its first test (src/run/warm-worker.ts): the SDKs the
  // plan's drivers use are loaded and its routes' validators compiled before the first request, so the run's time is
  // its requests'.
  const needs = planNeeds(plan, contract);
  await preloadDrivers(needs.drivers);
  contractValidator().compileFor(needs.operations);
  started = Date.now();
  try {
    const probeResults = await session.engine.runAll();
    const results = plan.checks.map((check) => checkOutcome(check, check.probes.map((id) => probeResults.get(id)!)));
    return { plan, target, results, requests: session.engine.requestsSent(), wallMs: Date.now() - started, probeResults, finishedAtMs };
  } finally {
    await session.close();
  }
}
