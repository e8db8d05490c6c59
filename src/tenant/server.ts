// The request pipeline: latency, routing, rate limiting, authentication, purpose and scope checks,
// then the route's handler; every failure becomes an error answer as the profile and defects say.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { RequestContext, type TenantRuntime } from './context.ts';
import { ApiError, errors, sleep } from './http.ts';
import type { TenantKey } from './keys.ts';
import { redactBody, redactHeaders, redactText, type RecordedTraffic } from './record.ts';
import { Router } from './router.ts';
import { routeHandlers } from './routes/index.ts';

export interface PipelineOptions {
  latencyMs: number;
  rateLimit?: { every: number; retryAfterSeconds: number };
  record?: (entry: RecordedTraffic) => void;
}

const authMessages = {
  missing: 'missing API key: send Authorization: Bearer gtak_...',
  malformed: 'malformed API key: expected Authorization: Bearer gtak_...',
  unknown: 'invalid API key',
  revoked: 'this API key has been revoked',
} as const;

const SCOPE_CHECK_DEFECTS: Record<string, string> = {
  embeddings: 'embed-scope-skipped',
  transcriptions: 'transcribe-scope-skipped',
};

export function createPipeline(rt: TenantRuntime, options: PipelineOptions): (req: IncomingMessage, res: ServerResponse) => void {
  for (const route of rt.contract.routes) {
    if (!routeHandlers[route.id]) throw new Error(`the embedded tenant has no handler for route "${route.id}" of the contract`);
  }
  const router = new Router(rt.contract, rt.profile.servesWithoutV1);
  let requestCount = 0;
  const firstRequests = new Set<string>();
  const has = (defect: string) => rt.defects.has(defect);

  function authenticate(req: IncomingMessage): TenantKey {
    const auth = rt.ring.authenticate(req.headers.authorization, { schemeCaseSensitive: has('bearer-lowercase-refused') });
    if (auth.ok) return auth.key;
    if (auth.reason === 'malformed' && has('malformed-key-accepted')) {
      const fallback = rt.ring.keys.find((k) => k.preset === 'openai-chat' && !k.revoked);
      if (fallback) return fallback;
    }
    if (auth.reason === 'revoked' && has('revoked-key-accepted')) return auth.key;
    const echo = has('secret-echoed-401') && auth.presented ? `: ${auth.presented}` : '';
    const error = errors.unauthorized(authMessages[auth.reason] + echo);
    error.headers['WWW-Authenticate'] = 'Bearer';
    throw error;
  }

  function sendError(res: ServerResponse, err: unknown): void {
    const error = err instanceof ApiError ? err : errors.internal();
    if (has('errors-plain-text')) {
      const text = `${error.status} ${error.message}`;
      res.writeHead(error.status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...error.headers });
      res.end(text);
      return;
    }
    const body = JSON.stringify({ error: { message: error.message, type: error.type, code: rt.profile.errorCodes === 'null' ? null : error.code } });
    res.writeHead(error.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...error.headers });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, trace: Partial<RecordedTraffic> & { ctx?: RequestContext }): Promise<void> {
    if (options.latencyMs > 0) await sleep(options.latencyMs);
    const method = req.method ?? 'GET';
    // The raw path, not URL-normalised: a ".." segment must reach the dataset-id check, not be resolved away.
    const pathname = (req.url ?? '/').split('?')[0];
    let match = router.match(method, pathname);
    if (match.kind === 'route' && match.alias && has('uploads-alias-missing')) match = { kind: 'none' };
    if (match.kind === 'none') throw errors.notFound(`no route ${method} ${redactText(pathname)}`, 'unknown_route');
    if (match.kind === 'wrong-method') throw errors.methodNotAllowed(match.allowed);
    const { route } = match;
    trace.route = route.id;

    if (options.rateLimit && ++requestCount % options.rateLimit.every === 0) {
      throw errors.rateLimited(has('retry-after-missing') ? undefined : options.rateLimit.retryAfterSeconds);
    }
    const key = authenticate(req);
    trace.key = key.name;
    if (rt.profile.firstRequestRateLimited && !firstRequests.has(`${key.name}\0${route.id}`)) {
      firstRequests.add(`${key.name}\0${route.id}`);
      throw errors.rateLimited(has('retry-after-missing') ? undefined : 1);
    }
    // The tolerant profile answers an upload key on the models route with its (empty) model list.
    const purposeFallback = route.id === 'models' && rt.profile.uploadKeyOnModels === 'empty-list';
    if (!route.needs.purposes.includes(key.purpose) && !purposeFallback) {
      throw errors.forbidden(`a key with purpose ${key.purpose} cannot call ${route.method} ${route.path}`, 'purpose_not_allowed');
    }
    const scope = route.needs.scope;
    if (scope && !key.scopes.includes(scope) && !has(SCOPE_CHECK_DEFECTS[route.id] ?? '')) {
      if (has('scope-denial-404')) throw errors.notFound(`no route ${route.method} ${route.path} for this key`, 'not_found');
      throw errors.forbidden(`this key lacks the scope ${scope}`, 'missing_scope');
    }
    const ctx = new RequestContext(rt, req, res, route, match.params, key);
    trace.ctx = ctx;
    await routeHandlers[route.id](ctx);
  }

  return (req, res) => {
    const started = performance.now();
    const trace: Partial<RecordedTraffic> & { ctx?: RequestContext } = { at: new Date().toISOString() };
    let responseBytes = 0;
    if (options.record) {
      const record = options.record;
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      const count = (chunk: unknown) => {
        if (typeof chunk === 'string') responseBytes += Buffer.byteLength(chunk);
        else if (chunk instanceof Uint8Array) responseBytes += chunk.length;
      };
      res.write = ((chunk: unknown, ...rest: unknown[]) => (count(chunk), write(chunk, ...rest))) as typeof res.write;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => (typeof chunk !== 'function' && count(chunk), end(chunk, ...rest))) as typeof res.end;
      // Headers given to writeHead are not visible through getHeader, so note the content type here.
      let contentType: string | undefined;
      const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
      res.writeHead = ((status: number, ...rest: unknown[]) => {
        const headers = rest.find((r) => typeof r === 'object' && r !== null) as Record<string, unknown> | undefined;
        const found = headers && Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type');
        if (found) contentType = String(found[1]);
        return writeHead(status, ...rest);
      }) as typeof res.writeHead;
      res.on('finish', () => {
        contentType ??= res.getHeader('content-type') as string | undefined;
        const entry: RecordedTraffic = {
          at: trace.at!,
          method: req.method ?? 'GET',
          path: redactText(req.url ?? '/'),
          ...(trace.route ? { route: trace.route } : {}),
          ...(trace.key ? { key: trace.key } : {}),
          headers: redactHeaders(req.headers),
          ...(trace.ctx?.bodySummary ? { body: redactBody(trace.ctx.bodySummary) } : {}),
          status: res.statusCode,
          response: { ...(contentType ? { contentType: String(contentType) } : {}), bytes: responseBytes },
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        };
        try {
          record(entry);
        } catch {
          // a failing recorder must not break the tenant
        }
      });
    }
    handle(req, res, trace)
      .catch((err) => {
        if (res.headersSent) res.destroy();
        else sendError(res, err);
      })
      .finally(() => {
        if (!req.complete) req.resume(); // drain a body the handler did not read, keeping the connection usable
      });
  };
}
