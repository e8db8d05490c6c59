// The one HTTP client that talks to a tenant (undici): one connection pool bounded by the run's concurrency
// (shared with the SDK drivers' fetch through `dispatcher`), a timeout on every request, nothing waited for past
// the run deadline, bodies and streams capped in size, 429 retried when Retry-After allows, every exchange
// recorded with secrets redacted. Failures become an HttpError that names method, path and cause.
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import type { Exchange, RecordedRequest } from '../model.ts';
import { harnessVersion } from '../version.ts';
import { describeMultipart, encodeMultipart, type Multipart } from './multipart.ts';
import { recordBody, recordText } from './record.ts';
import { redact, redactHeaders } from './redact.ts';
import { retryAfterMs } from './retry-after.ts';
import { Semaphore } from './semaphore.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, MAX_TIMER_MS, msUntil } from './limits.ts';
import { HttpError, type HttpErrorKind } from './http-error.ts';

export { HttpError, type HttpErrorKind };

export interface HttpClientOptions {
  /** tenant base URL, e.g. https://host/api/tenant */
  baseUrl: string;
  /** per attempt: until the whole answer is in (until the headers for streams) */
  timeoutMs: number;
  /** requests in flight at once (and connections to the tenant) */
  concurrency: number;
  /** larger bodies are cut here and flagged, a longer stream fails; default 1 MiB */
  maxResponseBytes?: number;
  /** epoch ms: no request is sent, waited for or retried past it (the run deadline) */
  deadline?: number;
  retry?: { max429?: number; maxRetryAfterSeconds?: number };
  /** redacted from every record, besides every gtak_ token */
  secrets?: readonly string[];
  onExchange?: (exchange: Exchange) => void;
  /** the slots to share with other senders to the same tenant (the SDK drivers' fetch); default: its own */
  slots?: Semaphore;
  /** called for each attempt once it has its slot, before it is sent; throws to refuse it (the request budget, a stopped run) */
  beforeSend?: () => void;
}

export interface HttpRequest {
  /** what the request is for, in the record */
  label: string;
  method: string;
  /** appended to the base URL */
  path: string;
  headers?: Record<string, string>;
  json?: unknown;
  multipart?: Multipart;
  /** sent as is (content type application/json unless headers say otherwise) */
  rawBody?: string;
  /** the key; sent as Authorization: Bearer */
  bearer?: string;
  /** give a 2xx body as a stream instead of reading it */
  stream?: boolean;
  /** among requests waiting for a slot, a higher priority goes first (the engine's critical path) */
  priority?: number;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  /** the body (empty for a stream answer), at most maxResponseBytes */
  bytes: Uint8Array;
  /** the body was longer than maxResponseBytes and was cut */
  truncated: boolean;
  text(): string;
  /** the body parsed as JSON; throws an Error that says what and where */
  json(): unknown;
  /** the record of the last attempt (a stream answer's body is filled in as it is read) */
  exchange: Exchange;
  /** every attempt, 429s that were retried included */
  attempts: Exchange[];
  /** a 200 answer to stream: true; read it to the end or break out of it to free the connection (other statuses are read whole) */
  stream?: AsyncIterable<Uint8Array>;
}

export interface HttpClient {
  send(req: HttpRequest): Promise<HttpAnswer>;
  /** the connection pool (at most `concurrency` connections to the tenant): give it to every other sender */
  readonly dispatcher: Dispatcher;
  close(): Promise<void>;
}

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const max429 = opts.retry?.max429 ?? 2;
  const maxRetryAfterMs = (opts.retry?.maxRetryAfterSeconds ?? 60) * 1000;
  const agent = new Agent({
    connections: opts.concurrency,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connect: { timeout: opts.timeoutMs },
    // an idle connection is closed after at most 4 s, and 2 s before the server's Keep-Alive timeout says it will be
    keepAliveMaxTimeout: 4_000,
  });
  const slots = opts.slots ?? new Semaphore(opts.concurrency);
  const userAgent = `gt-conformance/${harnessVersion()}`;

  async function send(req: HttpRequest): Promise<HttpAnswer> {
    const attempts: Exchange[] = [];
    for (let attempt = 1; ; attempt++) {
      const { answer, retryAfter } = await sendOnce(req, attempts, attempt <= max429);
      if (retryAfter === undefined) return answer;
      if (retryAfter > msUntil(opts.deadline)) {
        const what = `answered 429 asking to wait ${Math.ceil(retryAfter / 1000)} s (Retry-After), past the run deadline: not waited out`;
        answer.exchange.label = `${req.label} (429, not retried: Retry-After past the run deadline)`;
        throw new HttpError(`${req.method} ${req.path}: ${what}`, 'deadline', req.method, req.path, answer.exchange);
      }
      answer.exchange.label = `${req.label} (429, retried after ${retryAfter} ms)`;
      await new Promise((resolve) => setTimeout(resolve, retryAfter));
    }
  }

  /** The wait before retrying this answer, when it is a 429 that may be retried. */
  function retryWait(status: number, headers: Record<string, string>, mayRetry: boolean): number | undefined {
    if (status !== 429 || !mayRetry) return undefined;
    const wait = retryAfterMs(headers);
    return wait !== undefined && wait <= maxRetryAfterMs ? wait : undefined;
  }

  async function sendOnce(req: HttpRequest, attempts: Exchange[], mayRetry: boolean): Promise<{ answer: HttpAnswer; retryAfter?: number }> {
    const secrets = req.bearer ? [...(opts.secrets ?? []), req.bearer] : [...(opts.secrets ?? [])];
    const url = joinUrl(opts.baseUrl, req.path);
    const { headers, body, recordedBody } = buildRequest(req, userAgent, secrets);
    const exchange: Exchange = {
      label: req.label,
      request: { method: req.method, url: redact(url, secrets), headers: redactHeaders(headers, secrets), ...(recordedBody !== undefined && { body: recordedBody }) } satisfies RecordedRequest,
      startedAt: new Date().toISOString(),
      durationMs: 0,
    };
    attempts.push(exchange);
    const release = await slots.acquire(req.priority);
    const started = performance.now();
    exchange.startedAt = new Date().toISOString(); // sent now: the wait for a slot is not the request's time
    const finish = () => {
      exchange.durationMs = Math.round(performance.now() - started);
      opts.onExchange?.(exchange);
    };
    // The request's time: its timeout, or what is left of the run if that is less.
    const left = msUntil(opts.deadline);
    const byDeadline = left < opts.timeoutMs;
    if (left <= 0) {
      release();
      exchange.error = 'not sent: the run deadline has passed';
      finish();
      throw new HttpError(`${req.method} ${req.path}: ${exchange.error}`, 'deadline', req.method, req.path, exchange);
    }
    try {
      opts.beforeSend?.();
    } catch (err) {
      release();
      attempts.pop(); // never sent
      throw err;
    }
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, Math.min(opts.timeoutMs, left));
    let received = 0;
    const fail = (err: unknown, phase: 'answer' | 'body'): never => {
      clearTimeout(timer);
      release();
      const within = byDeadline ? 'before the run deadline' : `within ${opts.timeoutMs} ms`;
      const { kind, what } = timedOut
        ? { kind: byDeadline ? ('deadline' as const) : ('timeout' as const), what: phase === 'answer' ? `no answer ${within}` : `answer not complete ${within} (${received} bytes received)` }
        : describeFailure(err, phase, received, opts.timeoutMs);
      exchange.error = what;
      finish();
      throw new HttpError(`${req.method} ${req.path}: ${what}`, kind, req.method, req.path, exchange);
    };

    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, { dispatcher: agent, method: req.method as Dispatcher.HttpMethod, headers, body, signal: abort.signal });
    } catch (err) {
      return fail(err, 'answer');
    }
    const responseHeaders = flattenHeaders(response.headers);
    const contentType = responseHeaders['content-type'] ?? '';
    exchange.response = { status: response.statusCode, headers: redactHeaders(responseHeaders, secrets), bytes: 0 };
    const base = { status: response.statusCode, headers: responseHeaders, contentType, exchange, attempts };

    // Only a 200 is handed over as a stream: callers judge any other status without reading the body, and an
    // unread stream would hold its connection slot forever (a 202 to a streamed chat deadlocked a live run).
    if (req.stream && response.statusCode === 200) {
      // From here the reader bounds its own waiting, undici's bodyTimeout backs it up, and the run deadline ends it.
      clearTimeout(timer);
      const limits: StreamLimits = { maxBytes, timeoutMs: opts.timeoutMs, pastDeadline: false };
      const left = msUntil(opts.deadline);
      const deadlineTimer = left < MAX_TIMER_MS ? setTimeout(() => ((limits.pastDeadline = true), abort.abort()), Math.max(0, left)) : undefined;
      const answer: HttpAnswer = {
        ...base,
        bytes: new Uint8Array(),
        truncated: false,
        text: () => {
          throw new Error(`${req.method} ${req.path}: the answer is a stream; read answer.stream`);
        },
        json: () => {
          throw new Error(`${req.method} ${req.path}: the answer is a stream; read answer.stream`);
        },
        stream: recordedStream(response.body, exchange, contentType, secrets, limits, () => {
          clearTimeout(deadlineTimer);
          release();
          finish();
        }),
      };
      return { answer };
    }

    const chunks: Buffer[] = [];
    let truncated = false;
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        if (received + chunk.byteLength > maxBytes) {
          chunks.push(chunk.subarray(0, maxBytes - received));
          received = maxBytes;
          truncated = true;
          break; // leaving the loop destroys the body: the rest is never downloaded
        }
        chunks.push(chunk);
        received += chunk.byteLength;
      }
    } catch (err) {
      return fail(err, 'body');
    }
    clearTimeout(timer);
    release();
    const bytes = new Uint8Array(Buffer.concat(chunks));
    exchange.response.bytes = bytes.byteLength;
    if (bytes.byteLength > 0) exchange.response.body = recordBody(bytes, contentType, secrets, bytes.byteLength, truncated);
    const retryAfter = retryWait(response.statusCode, responseHeaders, mayRetry);
    finish();
    let textCache: string | undefined;
    const text = () => (textCache ??= new TextDecoder().decode(bytes));
    const answer: HttpAnswer = {
      ...base,
      bytes,
      truncated,
      text,
      json: () => {
        if (truncated) throw new Error(`${req.method} ${req.path}: the answer was cut at ${maxBytes} bytes, so it is not complete JSON`);
        try {
          return JSON.parse(text());
        } catch (err) {
          const head = redact(text().slice(0, 80).replace(/\s+/g, ' '), secrets);
          throw new Error(`${req.method} ${req.path}: the answer is not JSON (${(err as Error).message}): ${head || '(empty body)'}`);
        }
      },
    };
    return { answer, retryAfter };
  }

  return {
    send,
    dispatcher: agent,
    close: () => agent.close(),
  };
}

function buildRequest(req: HttpRequest, userAgent: string, secrets: string[]) {
  const headers: Record<string, string> = { 'user-agent': userAgent };
  if (req.bearer !== undefined) headers.authorization = `Bearer ${req.bearer}`;
  let body: string | Buffer | undefined;
  let recordedBody: string | undefined;
  if (req.multipart) {
    const encoded = encodeMultipart(req.multipart);
    headers['content-type'] = encoded.contentType;
    body = encoded.body;
    recordedBody = recordText(describeMultipart(req.multipart), secrets);
  } else if (req.rawBody !== undefined) {
    headers['content-type'] = 'application/json';
    body = req.rawBody;
    recordedBody = recordText(req.rawBody, secrets);
  } else if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.json);
    recordedBody = recordText(body, secrets);
  }
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    headers[name] = value;
  }
  return { headers, body, recordedBody };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function codeOf(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string }; errors?: Array<{ code?: string }> } | undefined;
  return e?.code ?? e?.cause?.code ?? e?.errors?.find((x) => x?.code)?.code;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** OpenSSL's "803C…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/…:350:" → "wrong version number". */
function openSslReason(message: string): string {
  const reason = /:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/.exec(message)?.[1];
  return oneLine(reason ?? message);
}

/** What a failed request or body read comes to: its kind and the words of the error (exported for its tests: most codes need a network to provoke). */
export function describeFailure(err: unknown, phase: 'answer' | 'body', received: number, timeoutMs: number): { kind: HttpErrorKind; what: string } {
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'refused', what: 'connection refused' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { kind: 'dns', what: `host not found (${code})` };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { kind: 'timeout', what: `no answer within ${timeoutMs} ms` };
    case 'UND_ERR_BODY_TIMEOUT':
      return { kind: 'timeout', what: `the body stalled for ${timeoutMs} ms after ${received} bytes` };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return { kind: 'reset', what: phase === 'body' ? `connection reset after ${received} bytes` : 'connection reset before an answer' };
    default:
      // Node names TLS failures by code: CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, ERR_SSL_WRONG_VERSION_NUMBER, ...
      if (code && /CERT|SSL|TLS|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) return { kind: 'tls', what: `TLS failed: ${openSslReason(message)} (${code})` };
      return { kind: 'other', what: oneLine(code ? `${message} (${code})` : message) };
  }
}

interface StreamLimits {
  maxBytes: number;
  timeoutMs: number;
  /** set when the run deadline aborted the stream */
  pastDeadline: boolean;
}

/** Wraps a streamed body: records its first 16 KiB and its size, fails past maxBytes, and reports once it ends or is abandoned. */
function recordedStream(
  body: AsyncIterable<Buffer>,
  exchange: Exchange,
  contentType: string,
  secrets: string[],
  limits: StreamLimits,
  done: () => void,
): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      const head: Buffer[] = [];
      let headBytes = 0;
      let total = 0;
      try {
        for await (const chunk of body) {
          total += chunk.byteLength;
          if (total > limits.maxBytes) {
            const what = `the stream is longer than ${limits.maxBytes} bytes, the most the harness reads: it was cut there`;
            throw new HttpError(what, 'limit', exchange.request.method, exchange.request.url, exchange);
          }
          if (headBytes < 16 * 1024) {
            head.push(chunk);
            headBytes += chunk.byteLength;
          }
          yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        }
      } catch (err) {
        exchange.error =
          err instanceof HttpError
            ? err.message
            : limits.pastDeadline
              ? `the run deadline passed while the stream was read (${total} bytes)`
              : `the stream broke after ${total} bytes: ${describeFailure(err, 'body', total, limits.timeoutMs).what}`;
        if (limits.pastDeadline && !(err instanceof HttpError)) throw new HttpError(exchange.error, 'deadline', exchange.request.method, exchange.request.url, exchange);
        throw err;
      } finally {
        if (exchange.response) {
          exchange.response.bytes = total;
          if (total > 0) exchange.response.body = recordBody(Buffer.concat(head), contentType, secrets, total);
        }
        done();
      }
    },
  };
}
