// One conformance run as the suites see it: runbooks, contract, target, plan and the engine that runs the probes.
// Built once per process; every suite file of the run shares it, so a probe two products need is sent once.
import type { Contract, Exchange, Finding, LoadedRunbook, Plan, SecretSource, Target } from '../model.ts';
import { loadContract } from '../contract/load.ts';
import { defaultRunbookFiles, formatInputError, loadRunbooks } from '../runbook/load.ts';
import { buildPlan } from '../plan/plan.ts';
import { createEngine, type Engine } from '../engine/engine.ts';
import { createHttpClient } from '../http/client.ts';
import { Semaphore } from '../http/semaphore.ts';
import { createRecordingFetch } from '../drivers/recording-fetch.ts';
import { rememberSecrets } from '../http/redact.ts';
import { spend } from '../engine/budget.ts';
import { staticFindings } from '../findings.ts';
import { limitsFor, type RunOptions } from './options.ts';

export interface Session {
  contract: Contract;
  runbooks: LoadedRunbook[];
  target: Target;
  plan: Plan;
  engine: Engine;
  findings: Finding[];
  /** the secrets of the target's keys, for masking wherever they might appear */
  secretValues: string[];
  close(): Promise<void>;
}

export interface SessionInputs {
  options: RunOptions;
  target: Target;
  secrets: SecretSource;
  seed: number;
  /** limits a live target file sets */
  limits?: Partial<ReturnType<typeof limitsFor>>;
  onProgress?: Parameters<typeof createEngine>[2]['onResult'];
}

/** Loads the runbooks or throws one line per error (the run command has already shown them). */
export function loadRunbooksOrThrow(options: RunOptions, contract: Contract): LoadedRunbook[] {
  const { runbooks, errors } = loadRunbooks(options.runbookFiles ?? defaultRunbookFiles(), contract);
  if (errors.length) throw new Error(errors.map(formatInputError).join('\n'));
  return runbooks;
}

export function planFor(options: RunOptions, contract: Contract, runbooks: LoadedRunbook[], target: Target): { plan: Plan; findings: Finding[] } {
  const findings = staticFindings(runbooks, contract);
  const plan = buildPlan(
    runbooks.map((r) => r.runbook),
    contract,
    target,
    { products: options.products, routes: options.routes, verdicts: options.verdicts, skipRoutes: options.skipRoutes, uploads: options.uploads },
    findings,
  );
  return { plan, findings: plan.findings };
}

export function createSession(inputs: SessionInputs): Session {
  const { options, target, secrets } = inputs;
  const contract = loadContract();
  const runbooks = loadRunbooksOrThrow(options, contract);
  const { plan, findings } = planFor(options, contract, runbooks, target);
  const limits = { ...limitsFor(options, target.kind === 'live'), ...stripUndefined(inputs.limits ?? {}) };
  const secretValues = target.keys.map((k) => secrets.secretOf(k.name)).filter((s): s is string => !!s);
  rememberSecrets(secretValues);
  // One set of slots and one connection pool for the HTTP client and the SDK drivers' fetch: the run's
  // concurrency bounds both, and no wait of either goes past the run deadline.
  const slots = new Semaphore(limits.concurrency);
  const deadline = Date.now() + limits.runDeadlineMs;
  const http = createHttpClient({
    baseUrl: target.baseUrl,
    timeoutMs: limits.timeoutMs,
    concurrency: limits.concurrency,
    slots,
    deadline,
    secrets: secretValues,
    retry: { max429: 3, maxRetryAfterSeconds: 60 },
  });
  const counter = { sent: 0, budget: limits.budget };
  const recorder = (sink: Exchange[], label: string) =>
    createRecordingFetch({ secrets: secretValues, sink, timeoutMs: limits.timeoutMs, label, slots, deadline, dispatcher: http.dispatcher, beforeSend: () => spend(counter) });
  const engine = createEngine(
    plan,
    {
      contract,
      target,
      secrets,
      http,
      seed: inputs.seed,
      counter,
      pollDeadlineMs: limits.pollDeadlineMs,
      // SDK drivers load only when a product needs one: the SDKs are large.
      recorder,
      driver: async (id: string, key: string, sink: Exchange[], driverOptions = {}) => {
        const drivers = await import('../drivers/index.ts');
        if (!drivers.isSdkDriver(id)) throw new Error(`no client driver "${id}"`);
        return drivers.createDriver(id, { baseUrl: `${target.baseUrl}/v1`, apiKey: secrets.secretOf(key) ?? '', fetch: recorder(sink, id).fetch, maxRetries: 2, ...driverOptions });
      },

    },
    { runDeadlineMs: limits.runDeadlineMs, strict: options.strict, onResult: inputs.onProgress },
  );
  return { contract, runbooks, target, plan, engine, findings, secretValues, close: () => http.close() };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
