// A fetch for SDKs (openai, ai, @langchain/openai all accept one) that sends through undici and
// records every request and answer as an Exchange in the HTTP client's record format (redacted,
// bodies cut to 4 KiB, binary summarised); a streamed body is teed so the SDK reads the stream
// while the recorder keeps a copy. Every request has a timeout and ends by the run deadline, every
// answer is cut at a size and a line length, and an SDK is never let wait out a Retry-After past the
// deadline. Given the HTTP client's dispatcher, it shares its connections.
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import type { Exchange } from '../model.ts';
import { RECORD_LIMIT, recordBody, recordText } from '../http/record.ts';
import { redact, redactHeaders } from '../http/redact.ts';
import type { Semaphore } from '../http/semaphore.ts';
import { retryAfterMs } from '../http/retry-after.ts';
import { DEFAULT_MAX_LINE_CHARS, DEFAULT_MAX_RESPONSE_BYTES, msUntil } from '../http/limits.ts';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface RecordingFetchOptions {
  /** secrets to mask in every recorded string (the API key) */
  secrets: string[];
  /** where exchanges go; default a new array */
  sink?: Exchange[];
  /** per request, covering the whole answer including a stream */
  timeoutMs?: number;
  /** prefix of each exchange label, e.g. the driver id */
  label?: string;
  /** the HTTP client's slots: an SDK's requests count against the run's concurrency like any other */
  slots?: Semaphore;
  /** the priority of its requests among those waiting for a slot */
  priority?: number;
  /** called before each request, once it has its slot; throws (e.g. "the request budget is spent") to refuse it */
  beforeSend?: () => void;
  /** an answer longer than this is aborted (default 1 MiB), so an SDK never buffers a huge body */
  maxResponseBytes?: number;
  /** an event stream with a line longer than this is aborted (default 256 KiB) */
  maxLineBytes?: number;
  /** epoch ms: nothing is sent or waited for past it (the run deadline) */
  deadline?: number;
  /** the longest Retry-After an SDK may wait out (default 60 s); a longer one, or one past the deadline, is hidden from it */
  maxRetryAfterMs?: number;
  /** the connection pool to send through: the HTTP client's, so one bound holds for every connection to the tenant */
  dispatcher?: Dispatcher;
}

export interface RecordingFetch {
  fetch: typeof globalThis.fetch;
  exchanges: Exchange[];
  /** resolves when every teed body has been read to its end (or failed) */
  settled(): Promise<void>;
}


/** The body an SDK handed to fetch, as bytes undici can send plus the content type it implies. */
async function materialise(body: unknown): Promise<{ bytes?: Uint8Array; text?: string; contentType?: string; summary?: string }> {
  if (body === undefined || body === null) return {};
  if (typeof body === 'string') return { text: body };
  if (body instanceof Uint8Array) return { bytes: body };
  if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body) };
  // FormData, Blob, URLSearchParams and streams of Node's own fetch are not the npm undici's classes;
  // the global Response encodes any of them (a multipart body with its boundary) into plain bytes.
  const encoded = new Response(body as BodyInit);
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  const contentType = encoded.headers.get('content-type') ?? undefined;
  let summary: string | undefined;
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    // The same form as the HTTP client's multipart records: model="m"; file=a.wav <10 bytes audio/wav>
    const parts = [...body.entries()].map(([name, value]) =>
      typeof value === 'string' ? `${name}=${JSON.stringify(value)}` : `${name}=${(value as File).name ?? 'blob'} <${(value as Blob).size} bytes ${(value as Blob).type || 'application/octet-stream'}>`,
    );
    summary = parts.join('; ');
  }
  return { bytes, contentType, summary };
}

function headerRecord(headers: Headers, secrets: string[]): Record<string, string> {
  return redactHeaders(Object.fromEntries(headers.entries()), secrets);
}

export function createRecordingFetch(options: RecordingFetchOptions): RecordingFetch {
  const exchanges = options.sink ?? [];
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const pending = new Set<Promise<void>>();
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_CHARS;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const clean = (text: string) => recordText(text, options.secrets);

  /** Reads the recorder's branch of a teed answer to its end, keeping what the record shows. */
  async function keepAnswer(stream: ReadableStream<Uint8Array>, exchange: Exchange, contentType: string, abort: AbortController): Promise<void> {
    const chunks: Uint8Array[] = [];
    let kept = 0;
    let total = 0;
    let line = 0; // bytes since the last line end
    // Lines bound an event stream's reader; a JSON answer is one line of any length up to the size limit.
    const byLines = /text\/event-stream/i.test(contentType);
    const cut = (why: string) => {
      exchange.error = `${why}, the most the harness reads: it was cut there`;
      abort.abort(new Error(exchange.error));
    };
    try {
      for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
        total += chunk.length;
        // The line first: one chunk can pass both limits (a busy reader gets the pieces of an endless line together),
        // and the line is the one it has passed whatever the chunks.
        const lineEnd = Math.max(chunk.lastIndexOf(0x0a), chunk.lastIndexOf(0x0d));
        line = lineEnd === -1 ? line + chunk.length : chunk.length - lineEnd - 1;
        if (byLines && line > maxLine) {
          cut(`the answer has a line longer than ${maxLine} bytes`);
          break;
        }
        if (total > maxBytes) {
          cut(`the answer is longer than ${maxBytes} bytes`);
          break;
        }
        // a multiple of the record limit, so recordBody can test the text as UTF-8 and cut it itself
        if (kept < RECORD_LIMIT * 4) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      }
    } catch (err) {
      exchange.error ??= `answer body failed after ${total} bytes: ${redact((err as Error).message, options.secrets)}`;
    }
    if (exchange.response) {
      exchange.response.bytes = total;
      if (total > 0) exchange.response.body = recordBody(Buffer.concat(chunks), contentType, options.secrets, total);
    }
  }

  const recordingFetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    let started = Date.now();
    const request = input instanceof Request ? input : undefined;
    const url = request ? request.url : String(input);
    // openai's upload helper fetches `data:,` to find the Response class: that reaches no network, so it is neither recorded nor counted
    if (!/^https?:/i.test(url)) return globalThis.fetch(input, init);
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers ?? request?.headers);
    const body = await materialise(init.body ?? (request ? await request.arrayBuffer() : undefined));
    if (body.contentType && !headers.has('content-type')) headers.set('content-type', body.contentType);

    const path = (() => {
      try {
        return new URL(url).pathname;
      } catch {
        return url;
      }
    })();
    const exchange: Exchange = {
      label: `${options.label ? `${options.label}: ` : ''}${method} ${path}`,
      request: {
        method,
        url: redact(url, options.secrets),
        headers: headerRecord(headers, options.secrets),
        ...(body.summary ? { body: clean(body.summary) } : body.text !== undefined ? { body: clean(body.text) } : body.bytes ? { body: recordBody(body.bytes, headers.get('content-type') ?? '', options.secrets) } : {}),
      },
      startedAt: new Date(started).toISOString(),
      durationMs: 0,
    };
    exchanges.push(exchange);

    // The slot is held until the recorder has read the whole answer (or the request failed); the
    // timeout starts once the request has its slot, as the HTTP client's does.
    const release = options.slots ? await options.slots.acquire(options.priority) : () => {};
    started = Date.now();
    exchange.startedAt = new Date(started).toISOString();
    const left = msUntil(options.deadline, started);
    if (left <= 0) {
      release();
      exchange.error = 'not sent: the run deadline has passed';
      throw new Error(exchange.error);
    }
    try {
      options.beforeSend?.();
    } catch (err) {
      release();
      exchanges.splice(exchanges.indexOf(exchange), 1); // never sent
      throw err;
    }
    const deadline = AbortSignal.timeout(Math.min(timeoutMs, left));
    const tooLong = new AbortController();
    const signal = AbortSignal.any([deadline, tooLong.signal, ...(init.signal ? [init.signal] : [])]);
    let answer: Awaited<ReturnType<typeof undiciFetch>>;
    try {
      answer = await undiciFetch(url, {
        method,
        headers: [...headers.entries()],
        body: body.text ?? body.bytes,
        signal,
        redirect: 'manual',
        ...(options.dispatcher && { dispatcher: options.dispatcher }),
      });
    } catch (err) {
      release();
      exchange.durationMs = Date.now() - started;
      exchange.error = deadline.aborted ? (left < timeoutMs ? 'no answer before the run deadline' : `no answer within ${timeoutMs} ms`) : redact((err as Error).message, options.secrets);
      throw err;
    }
    exchange.durationMs = Date.now() - started;
    const tenantHeaders = new Headers([...answer.headers.entries()]);
    const answerHeaders = new Headers(tenantHeaders); // what the SDK sees
    const wait = retryAfterMs(Object.fromEntries(tenantHeaders.entries()));
    if (answer.status >= 400 && wait !== undefined && (wait > maxRetryAfterMs || wait > msUntil(options.deadline))) {
      // The SDKs wait out any Retry-After (openai's without a cap): hide it and ask them not to retry.
      answerHeaders.delete('retry-after');
      answerHeaders.delete('retry-after-ms');
      answerHeaders.set('x-should-retry', 'false');
      exchange.label += ` (${answer.status}, Retry-After of ${Math.ceil(wait / 1000)} s not waited out: ${wait > maxRetryAfterMs ? `longer than ${maxRetryAfterMs / 1000} s` : 'past the run deadline'})`;
    }
    const contentType = tenantHeaders.get('content-type') ?? '';
    exchange.response = { status: answer.status, headers: headerRecord(tenantHeaders, options.secrets), bytes: 0 };

    let sdkBody: ReadableStream<Uint8Array> | null = null;
    if (answer.body) {
      const [forSdk, forRecord] = (answer.body as unknown as ReadableStream<Uint8Array>).tee();
      sdkBody = forSdk;
      const done = keepAnswer(forRecord, exchange, contentType, tooLong).finally(() => {
        exchange.durationMs = Date.now() - started;
        release();
        pending.delete(done);
      });
      pending.add(done);
    } else {
      release();
    }
    // The SDKs get the runtime's own Response class, whatever undici version answered.
    const nullBody = answer.status === 204 || answer.status === 205 || answer.status === 304;
    return new Response(nullBody ? null : sdkBody, { status: answer.status, statusText: answer.statusText, headers: answerHeaders });
  };

  return {
    fetch: recordingFetch as typeof globalThis.fetch,
    exchanges,
    settled: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
