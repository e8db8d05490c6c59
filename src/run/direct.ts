// A conformance run without vitest: the engine against an embedded tenant, every check's result in memory.
// The self-test (one run per defect) and the benchmark use it; `gt-conformance run` uses the suites.
import type { CheckResult, Plan } from '../model.ts';
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

export async function runDirect(tenantOptions: TenantOptions = {}, runOptions: Partial<RunOptions> = {}, seed = 1): Promise<DirectRun> {
  const tenant = await startTenant({ freshSecrets: true, ...tenantOptions });
  const options: RunOptions = { ...defaultOptions, ...runOptions };
  const session = createSession({ options, target: tenant.target, secrets: secretSource(tenant.target, tenant.secrets), seed });
  const started = Date.now();
  try {
    const probeResults = await session.engine.runAll();
    const results = session.plan.checks.map((check) => checkResult(check, check.probes.map((id) => probeResults.get(id)!)));
    return { plan: session.plan, results, requests: session.engine.requestsSent(), wallMs: Date.now() - started };
  } finally {
    await session.close();
    await tenant.close();
  }
}
