// The embedded GT tenant: a real, stateful node:http server for routes R1–R10, provisioned from a
// seed, with knobs (latency, processing time, rate limiting, size limits) and named defects.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadContract } from '../contract/load.ts';
import type { Target } from '../model.ts';
import type { TenantRuntime } from './context.ts';
import { DEFECTS, UnknownDefectError, validateDefects } from './defects.ts';
import { KeyRing } from './keys.ts';
import { profileChoices } from './profile.ts';
import type { RecordedTraffic } from './record.ts';
import { resolveSeed, SeedError, type TenantSeed } from './seed.ts';
import { createPipeline } from './server.ts';
import { TenantStore, type TenantListing } from './store.ts';
import { countEvent } from '../instrument.ts';
import { resolveFailingUpload } from '../targets/failing-upload.ts';
import { projectRoot } from '../paths.ts';

export { DEFECTS, UnknownDefectError, SeedError };
export type { DefectSpec } from './defects.ts';
export type { TenantSeed, SeedKey, SeedPublishedName } from './seed.ts';
export type { RecordedTraffic } from './record.ts';
export { defaultSeedPath } from './seed.ts';

export interface TenantOptions {
  /** a seed file (YAML or JSON) or an inline seed; default fixtures/tenant/default-seed.yaml */
  seed?: string | TenantSeed;
  /** added before every answer */
  latencyMs?: number;
  /** time from upload to ready/failed; default 300 */
  processingMs?: number;
  defects?: string[];
  profile?: 'default' | 'tolerant';
  /** 429 mode: every Nth request is answered 429 with Retry-After */
  rateLimit?: { every: number; retryAfterSeconds: number };
  /** JSON bodies; default 1 MiB */
  bodyLimitBytes?: number;
  /** a multipart file; default 25 MiB */
  uploadLimitBytes?: number;
  /** ignore the seed's fixed secrets and make fresh ones */
  freshSecrets?: boolean;
  /** one redacted entry per request */
  record?: (entry: RecordedTraffic) => void;
  host?: string;
  port?: number;
  /** the clock (ms since the epoch) for upload processing and timestamps; tests pass a fake one */
  now?: () => number;
}

/** Options that cannot work (a negative latency, an unknown profile); the message is one line. */
export class TenantOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenantOptionError';
  }
}

export interface Tenant {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  target: Target;
  /** key name → gtak_ secret; never part of the Target */
  secrets: Record<string, string>;
  defects: string[];
  /** the files and conversations that exist on the tenant now */
  stored(): TenantListing;
}

export interface RunningTenant {
  baseUrl: string;
  target: Target;
  secrets: Record<string, string>;
  defects: string[];
  /** the files and conversations that exist on the tenant now */
  stored(): TenantListing;
  close(): Promise<void>;
}

const DEFAULT_PROCESSING_MS = 300;
const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_UPLOAD_LIMIT = 25 * 1024 * 1024;

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new TenantOptionError(`tenant option ${name} must be a number >= 0, got ${value}`);
  return value;
}

function checkRateLimit(rateLimit: TenantOptions['rateLimit']): TenantOptions['rateLimit'] {
  if (!rateLimit) return undefined;
  if (!Number.isInteger(rateLimit.every) || rateLimit.every < 1) throw new TenantOptionError(`tenant option rateLimit.every must be an integer >= 1, got ${rateLimit.every}`);
  nonNegative('rateLimit.retryAfterSeconds', rateLimit.retryAfterSeconds, 0);
  return rateLimit;
}

function placeholderBaseUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}${port ? `:${port}` : ''}`;
}

/** Builds the tenant without listening: a request handler (for supertest), its Target and its secrets. */
export function createTenant(opts: TenantOptions = {}): Tenant {
  const contract = loadContract();
  const defects = validateDefects(opts.defects ?? []);
  if (opts.profile !== undefined && opts.profile !== 'default' && opts.profile !== 'tolerant') {
    throw new TenantOptionError(`unknown tenant profile "${String(opts.profile)}"; profiles: default, tolerant`);
  }
  const profile = profileChoices(opts.profile ?? 'default');
  const seed = resolveSeed(opts.seed, contract);
  const { ring, secrets } = KeyRing.provision(seed, contract, opts.freshSecrets ?? false);
  const published = seed.published.map((p) => (typeof p === 'string' ? { name: p, kind: 'agent' as const } : p));
  const now = opts.now ?? Date.now;
  const runtime: TenantRuntime = {
    now,
    contract,
    profile,
    defects: new Set(defects),
    ring,
    store: new TenantStore(now),
    published,
    datasets: new Set(seed.datasets),
    processingMs: nonNegative('processingMs', opts.processingMs, DEFAULT_PROCESSING_MS),
    bodyLimitBytes: nonNegative('bodyLimitBytes', opts.bodyLimitBytes, DEFAULT_BODY_LIMIT),
    uploadLimitBytes: nonNegative('uploadLimitBytes', opts.uploadLimitBytes, DEFAULT_UPLOAD_LIMIT),
    publishedAt: Math.floor(now() / 1000),
  };
  const handler = createPipeline(runtime, {
    latencyMs: nonNegative('latencyMs', opts.latencyMs, 0),
    rateLimit: checkRateLimit(opts.rateLimit),
    record: opts.record,
  });
  const allowlisted = new Set(ring.keys.flatMap((k) => k.datasets));
  const target: Target = {
    kind: 'embedded',
    baseUrl: `${placeholderBaseUrl(opts.host ?? '127.0.0.1', opts.port ?? 0)}${contract.basePath}`,
    keys: ring.targetKeys(published, contract.routes.filter((r) => r.needs.model).map((r) => r.id)),
    uploads: true,
    foreignDataset: seed.datasets.find((d) => !allowlisted.has(d)),
    ...(seed.failing_upload ? { failingUpload: resolveFailingUpload(seed.failing_upload, projectRoot).sample } : {}),
  };
  return { handler, target, secrets, defects, stored: () => runtime.store.listing() };
}

/** Builds the tenant and listens (default 127.0.0.1, a free port). */
export async function startTenant(opts: TenantOptions = {}): Promise<RunningTenant> {
  countEvent('tenant-start');
  const tenant = createTenant(opts);
  const host = opts.host ?? '127.0.0.1';
  const server = createServer(tenant.handler);
  // Far longer than a client keeps an idle connection (the harness's: 4 s), so the client always closes it
  // first: on a busy machine, timers run late, and a server that closes first can reset a connection the
  // client has just reused.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `${placeholderBaseUrl(host, port)}${loadContract().basePath}`;
  const target: Target = { ...tenant.target, baseUrl };
  return {
    baseUrl,
    target,
    secrets: tenant.secrets,
    defects: tenant.defects,
    stored: tenant.stored,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
