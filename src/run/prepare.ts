// Resolves what a run targets: the embedded tenant (started here) or a live target file (secrets from env).
import type { RunContext, SecretSource, Target } from '../model.ts';
import { loadContract } from '../contract/load.ts';
import { formatInputError } from '../runbook/load.ts';
import { loadTargetFile } from '../target/live.ts';
import { startTenant } from '../tenant/index.ts';
import { harnessVersion } from '../version.ts';
import { loadRunbooksOrThrow, planFor } from './session.ts';
import type { RunOptions } from './options.ts';

export interface PreparedTarget {
  target: Target;
  secrets: Record<string, string> | undefined; // embedded only; live secrets stay in the environment
  limits?: Record<string, number | undefined>;
  close(): Promise<void>;
}

export async function prepareTarget(options: RunOptions): Promise<PreparedTarget> {
  if (options.targetFile) {
    const { live, errors } = loadTargetFile(options.targetFile, loadContract(), process.env, true, options);
    if (!live) throw new Error(errors.map(formatInputError).join('\n'));
    return { target: live.target, secrets: undefined, limits: live.limits, close: async () => {} };
  }
  const tenant = await startTenant({
    defects: options.tenant?.defects,
    profile: options.tenant?.profile,
    latencyMs: options.tenant?.latencyMs,
    processingMs: options.tenant?.processingMs,
    seed: options.tenant?.seedFile,
    freshSecrets: true,
  });
  return { target: tenant.target, secrets: tenant.secrets, close: () => tenant.close() };
}

/** Where secrets come from in a worker: the embedded tenant's table, or the env vars a live target names. */
export function secretSource(target: Target, embedded: Record<string, string> | undefined, env: NodeJS.ProcessEnv = process.env): SecretSource {
  if (embedded) return { secretOf: (name) => embedded[name] };
  const envOf = new Map(target.keys.map((k) => [k.name, k.secret_env]));
  return { secretOf: (name) => (envOf.get(name) ? env[envOf.get(name)!] : undefined) };
}

export function runContext(options: RunOptions, target: Target, seed: number, startedAt: Date): RunContext {
  const contract = loadContract();
  const runbooks = loadRunbooksOrThrow(options, contract);
  const { plan, findings } = planFor(options, contract, runbooks, target);
  return {
    harnessVersion: harnessVersion(),
    contractDigest: contract.digest,
    runbooks: runbooks
      .filter((r) => !options.products || options.products.includes(r.runbook.id))
      .map(({ runbook: r, file, digest }) => ({ id: r.id, product: r.product, file, digest, compatibility: r.compatibility, category: r.category, preset: r.preset, driver: r.driver, routes: r.routes, checklist: r.checklist })),
    target: { kind: target.kind, host: new URL(target.baseUrl).host, defects: options.tenant?.defects, profile: options.tenant?.profile },
    seed,
    strict: options.strict,
    startedAt: startedAt.toISOString(),
    findings,
    checks: plan.checks,
  };
}
