// The machinery that runs one plan against one target: the HTTP client, the SDK drivers' fetch, one set of
// concurrency slots and one request budget for both, and the engine. It plans nothing and loads no runbook.
import type { Contract, Exchange, Plan, RunLimits, SecretSource, Target } from '../model.ts';
import { createEngine, type Engine, type EngineOptions } from './engine.ts';
import { createHttpClient } from '../http/client.ts';
import { Semaphore } from '../http/semaphore.ts';
import { createRecordingFetch } from '../drivers/recording-fetch.ts';
import { spend } from '../probes/budget.ts';
import { rememberSecrets } from '../http/redact.ts';

export interface SessionInputs {
  contract: Contract;
  plan: Pick<Plan, 'probes'>;
  target: Target;
  secrets: SecretSource;
  seed: number;
  strict: boolean;
  limits: RunLimits;
  /** names what the run creates */
  runId?: string;
  onProgress?: EngineOptions['onResult'];
}

export interface Session {
  engine: Engine;
  /** the secrets of the target's keys, for masking wherever they might appear */
  secretValues: string[];
  close(): Promise<void>;
}

export function createSession(inputs: SessionInputs): Session {
  const { target, secrets, limits } = inputs;
  const secretValues = target.keys.map((k) => secrets.secretOf(k.name)).filter((s): s is string => !!s);
  rememberSecrets(secretValues);
  // One set of slots and one connection pool for the HTTP client and the SDK drivers' fetch: the run's
  // concurrency bounds both, and no wait of either goes past the run deadline.
  const slots = new Semaphore(limits.concurrency);
  const deadline = Date.now() + limits.runDeadlineMs;
  const counter = { sent: 0, budget: limits.budget };
  const http = createHttpClient({
    baseUrl: target.baseUrl,
    timeoutMs: limits.timeoutMs,
    concurrency: limits.concurrency,
    slots,
    deadline,
    secrets: secretValues,
    retry: { max429: 3, maxRetryAfterSeconds: 60 },
    beforeSend: () => spend(counter),
  });
  const recorder = (sink: Exchange[], label: string, priority?: number) =>
    createRecordingFetch({ secrets: secretValues, sink, timeoutMs: limits.timeoutMs, label, slots, priority, deadline, dispatcher: http.dispatcher, beforeSend: () => spend(counter) });
  // The SDKs take seconds to load: load the ones the plan's probes use now, beside the first requests.
  const sdkDrivers = inputs.plan.probes.map((p) => p.driver).filter((d) => d !== 'http');
  if (sdkDrivers.length) import('../drivers/index.ts').then((d) => d.preloadDrivers(sdkDrivers)).catch(() => undefined); // a failure shows where a probe needs the driver
  const engine = createEngine(
    inputs.plan,
    {
      contract: inputs.contract,
      target,
      secrets,
      http,
      seed: inputs.seed,
      runId: inputs.runId,
      counter,
      pollDeadlineMs: limits.pollDeadlineMs,
      recorder,
      // SDK drivers load only when a probe needs one: the SDKs are large.
      driver: async (id: string, key: string, sink: Exchange[], { priority, ...driverOptions } = {}) => {
        const sdk = await import('../drivers/index.ts');
        if (!sdk.isSdkDriver(id)) throw new Error(`no client driver "${id}"`);
        return sdk.createDriver(id, { baseUrl: `${target.baseUrl}/v1`, apiKey: secrets.secretOf(key) ?? '', fetch: recorder(sink, id, priority).fetch, maxRetries: 2, ...driverOptions });
      },
    },
    { runDeadlineMs: limits.runDeadlineMs, strict: inputs.strict, maxFailures: limits.maxFailures, onResult: inputs.onProgress },
  );
  return { engine, secretValues, close: () => http.close() };
}
