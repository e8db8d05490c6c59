// Prepares one run, once: the inputs loaded, the target resolved (a live target file, or the embedded tenant
// started with every tenant option), the plan built, and the run context every later process reads.
import type { Contract, LoadedRunbook, Plan, RunContext, Target } from '../model.ts';
import { loadContract } from '../contract/load.ts';
import { defaultRunbookFiles, formatInputError, loadRunbooks } from '../runbook/load.ts';
import { loadTargetFile } from '../targets/live.ts';
import { startTenant } from '../tenant/index.ts';
import { buildPlan } from '../plan/plan.ts';
import { estimateRequests } from '../plan/estimate.ts';
import { staticFindings } from '../runbook/findings.ts';
import { harnessVersion } from '../version.ts';
import { limitsFor, type RunOptions } from './options.ts';
import { secretSource } from '../targets/secrets.ts';
import { rememberSecrets } from '../http/redact.ts';

export interface PreparedRun {
  context: RunContext;
  /** key name → secret, for the embedded tenant; a live target's secrets stay in the environment */
  secrets?: Record<string, string>;
  close(): Promise<void>;
}

/** Loads the runbooks or throws one line per error (the run command has already shown them). */
export function loadRunbooksOrThrow(options: Pick<RunOptions, 'runbookFiles'>, contract: Contract): LoadedRunbook[] {
  const { runbooks, errors } = loadRunbooks(options.runbookFiles ?? defaultRunbookFiles(), contract);
  if (errors.length) throw new Error(errors.map(formatInputError).join('\n'));
  return runbooks;
}

/** The run's plan: the runbooks' findings, then every check of the chosen products against the target. */
export function planRun(options: RunOptions, contract: Contract, runbooks: LoadedRunbook[], target: Target): Plan {
  return buildPlan(
    runbooks.map((r) => r.runbook),
    contract,
    target,
    { products: options.products, routes: options.routes, verdicts: options.verdicts, skipRoutes: options.skipRoutes, uploads: options.uploads, fuzz: options.fuzz },
    staticFindings(runbooks, contract),
  );
}

/** A run's id, for the names of what it creates: the date, the time and the seed (the shards of a run share it by seed). */
export function runIdOf(seed: number, now: Date = new Date()): string {
  return `${now.toISOString().slice(0, 10).replaceAll('-', '')}-${seed.toString(36)}`;
}

/** What a plan's probes need before the first request: the SDK drivers to load, the operations whose validators to compile. */
export function planNeeds(plan: Pick<Plan, 'probes'>, contract: Contract): { drivers: string[]; operations: string[] } {
  const routes = new Set(plan.probes.map((p) => p.route));
  return {
    drivers: [...new Set(plan.probes.map((p) => p.driver))],
    operations: contract.routes.filter((r) => routes.has(r.id)).map((r) => r.operation_id),
  };
}

export async function prepareRun(options: RunOptions, seed: number = options.seed ?? Math.floor(Math.random() * 2 ** 31)): Promise<PreparedRun> {
  const contract = loadContract();
  const runbooks = loadRunbooksOrThrow(options, contract);
  let target: Target;
  let secrets: Record<string, string> | undefined;
  let fromTarget = {};
  let close = async () => {};
  let preflighted: RunContext['preflight'];
  if (options.targetFile) {
    const { live, errors } = loadTargetFile(options.targetFile, contract, process.env, true, options);
    if (!live) throw new Error(errors.map(formatInputError).join('\n'));
    ({ target } = live);
    fromTarget = live.limits;
    // Someone's tenant: one cheap request per key first, so that a wrong URL or refused keys stop the run here. Its
    // request is GET /v1/models: not sent where the operator leaves that route out (allowed_routes, --skip-route).
    const modelsBarred = (target.allowedRoutes !== undefined && !target.allowedRoutes.includes('models')) || !!options.skipRoutes?.includes('models');
    // (loaded here: the HTTP client's undici is 0.2 s of CPU that a run of the embedded tenant does not need in this process)
    if (!modelsBarred) preflighted = await (await import('./preflight.ts')).preflight(target, secretSource(target, undefined), contract, limitsFor(options, true, fromTarget));
  } else {
    const tenant = await startTenant({
      defects: options.tenant?.defects,
      profile: options.tenant?.profile,
      latencyMs: options.tenant?.latencyMs,
      processingMs: options.tenant?.processingMs,
      seed: options.tenant?.seedFile,
      freshSecrets: true,
    });
    ({ target, secrets } = tenant);
    close = () => tenant.close();
  }
  // Every secret of the run is masked in whatever this process writes (the reports, its own errors).
  rememberSecrets(target.keys.map((k) => (secrets ? secrets[k.name] : secretSource(target, undefined).secretOf(k.name))).filter((s): s is string => !!s));
  const plan = planRun(options, contract, runbooks, target);
  const chosen = runbooks.filter((r) => !options.products || options.products.includes(r.runbook.id));
  const context: RunContext = {
    harnessVersion: harnessVersion(),
    contractDigest: contract.digest,
    runbooks: chosen.map(({ runbook: r, file, digest }) => ({ id: r.id, product: r.product, file, digest, compatibility: r.compatibility, category: r.category, preset: r.preset, driver: r.driver, routes: r.routes, checklist: r.checklist })),
    target: { kind: target.kind, host: new URL(target.baseUrl).host, defects: options.tenant?.defects, profile: options.tenant?.profile },
    seed,
    strict: options.strict,
    startedAt: new Date().toISOString(),
    findings: plan.findings,
    checks: plan.checks,
    probes: plan.probes,
    estimatedRequests: plan.probes.reduce((n, p) => n + estimateRequests(p), 0),
    targetSpec: target,
    limits: limitsFor(options, target.kind === 'live', fromTarget),
    rules: { failOnFindings: !!options.failOnFindings, ...(options.waivers ? { waivers: options.waivers } : {}) },
    runId: runIdOf(seed),
    ...(options.shard ? { shard: options.shard } : {}),
    ...(preflighted ? { preflight: preflighted } : {}),
  };
  return { context, secrets, close };
}
