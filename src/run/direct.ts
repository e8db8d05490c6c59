// A conformance run without vitest: the engine against an embedded tenant, every check's result in memory.
// The self-test (one run per defect) and the benchmark use it; `gt-conformance run` uses the suites.
import type { CheckResult, Plan, ProbeResult, Target } from '../model.ts';
import { startTenant, type TenantOptions } from '../tenant/index.ts';
import { checkResult } from '../engine/check-result.ts';
import { createSession } from './session.ts';
import { defaultOptions, type RunOptions } from './options.ts';
import { secretSource } from './prepare.ts';

export interface DirectRun {
  plan: Plan;
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
  const finishedAtMs = new Map<string, number>();
  let started = Date.now();
  const session = createSession({
    options,
    target,
    secrets: secretSource(target, secrets),
    seed,
    onProgress: (result) => finishedAtMs.set(result.probeId, Date.now() - started),
  });
  started = Date.now();
  try {
    const probeResults = await session.engine.runAll();
    const results = session.plan.checks.map((check) => checkResult(check, check.probes.map((id) => probeResults.get(id)!)));
    return { plan: session.plan, results, requests: session.engine.requestsSent(), wallMs: Date.now() - started, probeResults, finishedAtMs };
  } finally {
    await session.close();
  }
}
