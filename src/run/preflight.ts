// Before a live run sends its matrix: one cheap request per key (GET /v1/models), so that a run against an
// unreachable tenant, a TLS failure, a base URL that is not the GT API, or keys that are all refused stops
// within seconds with one line naming the cause, and nothing else is sent.
import type { Contract, SecretSource, Target, TargetKey } from '../model.ts';
import { createHttpClient, HttpError, type HttpAnswer } from '../http/client.ts';
import { UsageError } from '../input/usage-error.ts';
import { keyWords, lacks, needOf } from '../targets/capabilities.ts';
import { routeById } from '../contract/load.ts';

/** The preflight found the target unusable: one line, exit 2. */
export class PreflightError extends UsageError {}

export interface PreflightResult {
  /** requests sent, one per key */
  requests: number;
  /** key name → what its request answered */
  keys: Record<string, string>;
}

/** The most a preflight request may take: a preflight says within seconds whether the run can go on. */
const PREFLIGHT_TIMEOUT_MS = 5_000;

function isGtAnswer(answer: HttpAnswer): boolean {
  if (!/json/i.test(answer.contentType)) return false;
  try {
    const body = answer.json() as { object?: unknown; data?: unknown; error?: { message?: unknown } };
    return (body?.object === 'list' && Array.isArray(body.data)) || typeof body?.error?.message === 'string';
  } catch {
    return false;
  }
}

export async function preflight(target: Target, secrets: SecretSource, contract: Contract, limits: { concurrency: number; timeoutMs: number }): Promise<PreflightResult> {
  // The route every key of a chat or conversation purpose may call, and which refuses an upload key, or answers it an empty list.
  const modelsRoute = routeById(contract, 'models');
  const models = modelsRoute.path;
  const host = new URL(target.baseUrl).host;
  const secretValues = target.keys.map((k) => secrets.secretOf(k.name)).filter((s): s is string => !!s);
  const http = createHttpClient({ baseUrl: target.baseUrl, timeoutMs: Math.min(limits.timeoutMs, PREFLIGHT_TIMEOUT_MS), concurrency: limits.concurrency, secrets: secretValues, retry: { max429: 1, maxRetryAfterSeconds: 5 } });
  try {
    const answered = await Promise.all(
      target.keys.map(async (key: TargetKey) => {
        try {
          return { key, answer: await http.send({ label: `preflight: ${keyWords(key)}`, method: 'GET', path: models, bearer: secrets.secretOf(key.name) }) };
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
          return { key, error: err };
        }
      }),
    );
    const failure = answered.find((a) => a.error)?.error;
    if (failure) {
      const cause = failure.kind === 'tls' ? 'TLS to the tenant failed' : failure.kind === 'dns' ? 'the tenant host is not found' : 'the tenant cannot be reached';
      throw new PreflightError(`${cause}: GET ${target.baseUrl}${models}: ${failure.message.replace(/^GET \S+: /, '')}; nothing else was sent`);
    }
    const answers = answered as Array<{ key: TargetKey; answer: HttpAnswer }>;
    const foreign = answers.find((a) => !isGtAnswer(a.answer));
    if (foreign) {
      const { status, contentType } = foreign.answer;
      throw new PreflightError(`${host} does not answer as the GT API: GET ${target.baseUrl}${models} answered ${status} ${contentType || 'without a content type'}, not an OpenAI-shaped model list or error (is base_url the tenant's /api/tenant?); nothing else was sent`);
    }
    const live = answers.filter((a) => !a.key.revoked);
    // Every key that may list models is told the route does not exist: the API is not at this base URL (a GT tenant at
    // its root, or one path level off, answers its own 404 as an OpenAI-shaped error). "May list" is the key's purpose
    // and scopes alone: a target file that names no models for a key still expects the route to exist for it.
    const listers = live.filter((a) => !lacks(a.key, needOf(modelsRoute)));
    if (listers.length && listers.every((a) => a.answer.status === 404)) {
      throw new PreflightError(`${host} answered 404 to GET ${target.baseUrl}${models} for every key that may list models (${listers.map((a) => keyWords(a.key)).join(', ')}): is base_url the tenant's /api/tenant?; nothing else was sent`);
    }
    if (live.length && live.every((a) => a.answer.status === 401)) {
      throw new PreflightError(`every key of the target file is refused with 401 by ${host} (${live.map((a) => a.key.secret_env ?? a.key.name).join(', ')}): are the env vars set to this tenant's keys?; nothing else was sent`);
    }
    return { requests: answers.length, keys: Object.fromEntries(answers.map((a) => [a.key.name, String(a.answer.status)])) };
  } finally {
    await http.close();
  }
}
