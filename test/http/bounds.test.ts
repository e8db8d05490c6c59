// What bounds every answer and every wait, module by module: stream size, line length and event count (HTTP
// client, SSE reader, SDK fetch), the run deadline (Retry-After, request time, stream time, poll backoff), and
// one connection pool for the HTTP client and the SDK drivers together.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, HttpError, type HttpClient, type HttpClientOptions } from '../../src/http/client.ts';
import { Semaphore } from '../../src/http/semaphore.ts';
import { readSse } from '../../src/checks/sse.ts';
import { pollFile, type StatusAnswer } from '../../src/checks/file-status.ts';
import { createRecordingFetch, type RecordingFetchOptions } from '../../src/drivers/recording-fetch.ts';
import { createDriver } from '../../src/drivers/index.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Served {
  base: string;
  origin: string;
  requests: () => number;
  connections: { total: number; peak: number };
}

async function serve(handler: http.RequestListener): Promise<Served> {
  let requests = 0;
  let open = 0;
  const connections = { total: 0, peak: 0 };
  const server = http.createServer((req, res) => {
    requests++;
    handler(req, res);
  });
  server.on('connection', (socket: Socket) => {
    connections.total++;
    connections.peak = Math.max(connections.peak, ++open);
    socket.on('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base: `${origin}/api/tenant`, origin, requests: () => requests, connections };
}

function client(base: string, more: Partial<HttpClientOptions> = {}): HttpClient {
  const c = createHttpClient({ baseUrl: base, timeoutMs: 60_000, concurrency: 2, ...more });
  cleanups.push(() => c.close());
  return c;
}

/** Writes `piece` until the client hangs up (at most 64 MiB). */
function pourForever(res: http.ServerResponse, head: string, piece: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(head);
  const chunk = Buffer.from(piece);
  let sent = 0;
  const more = () => {
    while (!res.destroyed && sent < 64 * 1024 * 1024) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    res.end();
  };
  more();
}

const streamed = { label: 'stream', method: 'POST', path: '/v1/chat/completions', json: { stream: true }, stream: true } as const;

async function* chunksOf(...texts: string[]): AsyncGenerator<Uint8Array> {
  for (const t of texts) yield new TextEncoder().encode(t);
}

describe('stream limits', () => {
  it('the HTTP client fails a stream past its byte limit, and says so in the record', async () => {
    const { base } = await serve((_req, res) => pourForever(res, '', 'data: {"a":1}\n\n'.repeat(100)));
    const answer = await client(base, { maxResponseBytes: 64 * 1024 }).send(streamed);
    const sse = await readSse(answer.stream!, { idleTimeoutMs: 60_000, deadlineMs: 60_000, maxEvents: 1_000_000 });
    expect(sse.ended).toBe('limit');
    expect(sse.limit).toBe('the stream is longer than 65536 bytes, the most the harness reads: it was cut there');
    expect(answer.exchange.error).toBe(sse.limit);
    expect(answer.exchange.response?.bytes).toBeGreaterThan(64 * 1024);
    expect(answer.exchange.response?.bytes).toBeLessThan(64 * 1024 + 64 * 1024); // one chunk past the limit, no more
  });

  it('the SSE reader cuts a line without a line end, an oversized event, a flood of events and too many bytes, naming the limit', async () => {
    const opts = { idleTimeoutMs: 60_000, deadlineMs: 60_000 }; // bounds no case here reaches
    const line = await readSse(chunksOf('data: ', 'x'.repeat(600), 'x'.repeat(600)), { ...opts, maxLineChars: 1_000 });
    expect([line.ended, line.limit]).toEqual(['limit', 'a line longer than 1000 characters without a line end: the stream was cut there']);
    const event = await readSse(chunksOf('data: aaaaaaaa\n'.repeat(200)), { ...opts, maxLineChars: 1_000 });
    expect([event.ended, event.limit]).toEqual(['limit', 'an event with more than 1000 characters of data: the stream was cut there']);
    const flood = await readSse(chunksOf('data: {}\n\n'.repeat(60)), { ...opts, maxEvents: 50 });
    expect([flood.ended, flood.limit, flood.records.length]).toEqual(['limit', 'more than 50 events: the stream was cut there', 50]);
    const bytes = await readSse(chunksOf('data: {}\n\n'.repeat(10), 'data: {}\n\n'.repeat(10)), { ...opts, maxBytes: 150 });
    expect([bytes.ended, bytes.limit]).toEqual(['limit', 'the stream is longer than 150 bytes, the most the harness reads: it was cut there']);
    const fine = await readSse(chunksOf('data: {}\n\n'.repeat(50), 'data: [DONE]\n\n'), { ...opts, maxEvents: 51, maxLineChars: 10 });
    expect([fine.ended, fine.done]).toEqual(['eof', true]); // at the limits is not past them
  });

  it('the SSE reader hangs up on a stream it cut: the server sees the connection close', async () => {
    let closed: Promise<void> = Promise.resolve();
    const { base } = await serve((_req, res) => {
      closed = new Promise((resolve) => res.on('close', () => resolve()));
      pourForever(res, 'data: ', 'x'.repeat(16 * 1024));
    });
    const answer = await client(base).send(streamed);
    const sse = await readSse(answer.stream!, { idleTimeoutMs: 60_000, deadlineMs: 60_000, maxLineChars: 100_000 });
    expect(sse.ended).toBe('limit');
    await closed; // resolves only when the harness stops reading (the test times out otherwise)
  });

  it('the SDK fetch aborts an answer with an endless line, and records why', async () => {
    const { origin } = await serve((_req, res) => pourForever(res, 'data: ', 'x'.repeat(16 * 1024)));
    const recorder = createRecordingFetch({ secrets: [], maxLineBytes: 100_000 });
    const response = await recorder.fetch(`${origin}/v1/chat/completions`, { method: 'POST', body: '{"stream":true}' });
    await expect(response.text()).rejects.toThrow('the answer has a line longer than 100000 bytes, the most the harness reads: it was cut there');
    await recorder.settled();
    expect(recorder.exchanges[0].error).toBe('the answer has a line longer than 100000 bytes, the most the harness reads: it was cut there');
  });
});

describe('the SDK fetch, a JSON answer on one long line', () => {
  it('reads it whole: lines bound event streams only, and the size limit bounds JSON', async () => {
    // a live tenant's model list of thousands of models is one line of hundreds of KiB
    const body = JSON.stringify({ object: 'list', data: Array.from({ length: 3000 }, (_, i) => ({ id: `model-${i}`, object: 'model', created: 0, owned_by: 'tenant' })) });
    const { origin } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const recorder = createRecordingFetch({ secrets: [], maxLineBytes: 1000 });
    const response = await recorder.fetch(`${origin}/v1/models`);
    expect(await response.text()).toBe(body);
    await recorder.settled();
    expect(recorder.exchanges[0].error).toBeUndefined();
  });
});

describe('the SDK fetch, an endless line that arrives in large chunks', () => {
  it('names the line limit, not the byte limit, where one chunk passes both', async () => {
    // one write of 64 KiB without a line end, below which a line limit of 100 and a byte limit of 1000 both lie
    const { origin } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${'x'.repeat(64 * 1024)}`);
    });
    const recorder = createRecordingFetch({ secrets: [], maxLineBytes: 100, maxResponseBytes: 1_000 });
    const response = await recorder.fetch(`${origin}/v1/chat/completions`, { method: 'POST', body: '{"stream":true}' });
    await response.text().catch(() => undefined);
    await recorder.settled();
    expect(recorder.exchanges[0].error).toBe('the answer has a line longer than 100 bytes, the most the harness reads: it was cut there');
  });
});

describe('the run deadline', () => {
  const soon = (ms: number) => Date.now() + ms;

  it('a Retry-After past the deadline is not waited out: the client fails at once and says why', async () => {
    const { base, requests } = await serve((_req, res) => {
      res.writeHead(429, { 'retry-after': '30', 'content-type': 'application/json' });
      res.end('{"error":{"message":"slow down"}}');
    });
    const c = client(base, { deadline: soon(2_000), retry: { max429: 3, maxRetryAfterSeconds: 60 } });
    const err = await c.send({ label: 'models', method: 'GET', path: '/v1/models' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).kind).toBe('deadline');
    expect((err as HttpError).message).toBe('GET /v1/models: answered 429 asking to wait 30 s (Retry-After), past the run deadline: not waited out');
    expect((err as HttpError).exchange.label).toBe('models (429, not retried: Retry-After past the run deadline)');
    expect(requests()).toBe(1);
  });

  it('a request ends at the deadline when that comes before its timeout, and none is sent after it', async () => {
    const { base, requests } = await serve(() => undefined); // never answers
    const c = client(base, { timeoutMs: 60_000, deadline: soon(300) });
    const err = (await c.send({ label: 'models', method: 'GET', path: '/v1/models' }).catch((e: unknown) => e)) as HttpError;
    expect([err.kind, err.message]).toEqual(['deadline', 'GET /v1/models: no answer before the run deadline']);
    const late = (await c.send({ label: 'models', method: 'GET', path: '/v1/models' }).catch((e: unknown) => e)) as HttpError;
    expect([late.kind, late.message]).toEqual(['deadline', 'GET /v1/models: not sent: the run deadline has passed']);
    expect(requests()).toBe(1);
  });

  it('a stream that trickles forever ends at the deadline', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => res.write(': keep-alive\n\n'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const answer = await client(base, { deadline: soon(400) }).send(streamed);
    // the reader's own deadline is far away: only the run deadline can end this
    const sse = await readSse(answer.stream!, { idleTimeoutMs: 60_000, deadlineMs: 60_000 });
    expect(sse.error).toMatch(/^the run deadline passed while the stream was read \(\d+ bytes\)$/);
    expect(answer.exchange.error).toBe(sse.error);
  });

  it('the SDK fetch hides a Retry-After past the deadline from the SDK, and the record keeps it', async () => {
    const { origin } = await serve((_req, res) => {
      res.writeHead(429, { 'retry-after': '3600', 'content-type': 'application/json' });
      res.end('{"error":{"message":"slow down"}}');
    });
    const recorder = createRecordingFetch({ secrets: [], deadline: soon(5_000), label: 'openai' });
    const response = await recorder.fetch(`${origin}/v1/models`);
    await response.text();
    expect(response.headers.get('retry-after')).toBeNull();
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(recorder.exchanges[0].response?.headers['retry-after']).toBe('3600');
    expect(recorder.exchanges[0].label).toBe('openai: GET /v1/models (429, Retry-After of 3600 s not waited out: longer than 60 s)');
  });

  it('the real openai SDK, which waits out any Retry-After, gives up at once', async () => {
    const { base, requests } = await serve((_req, res) => {
      res.writeHead(429, { 'retry-after': '20', 'content-type': 'application/json' });
      res.end('{"error":{"message":"slow down","type":"rate_limit"}}');
    });
    const recorder = createRecordingFetch({ secrets: [], deadline: soon(3_000), label: 'openai' });
    const driver = await createDriver('openai', { baseUrl: `${base}/v1`, apiKey: 'gtak_test', fetch: recorder.fetch, maxRetries: 2 });
    await expect(driver.listModels()).rejects.toThrow(/429/);
    expect(requests()).toBe(1); // two retries of 20 s each without the deadline
  });

  it('the upload poll, its confirmation and its 429 waits all end by the run deadline', async () => {
    let t = 0;
    const clock = { now: () => t, sleep: async (ms: number) => void (t += ms) };
    const answer = (status: string): StatusAnswer => ({ status: 200, headers: {}, body: { id: 'file-1', status } });
    const stuck = await pollFile(async () => answer('processing'), 'file-1', { deadlineMs: 60_000, runDeadline: 1_000, initialDelayMs: 100, maxDelayMs: 400, ...clock });
    expect(stuck.problems).toEqual([`the file is still "processing" after 1000 ms (the run deadline)`]);
    expect(t).toBe(1_000);

    t = 0;
    let calls = 0;
    // ready at once, then the re-reading meets a 429 whose wait the 10 s confirmation grace would allow
    const get = async (): Promise<StatusAnswer> => (++calls === 1 ? answer('ready') : { status: 429, headers: { 'retry-after': '5' }, body: {} });
    const confirm = await pollFile(get, 'file-1', { deadlineMs: 60_000, runDeadline: 2_000, initialDelayMs: 100, maxDelayMs: 400, ...clock });
    expect(confirm.problems[0]).toBe('could not confirm "ready": GET /v1/uploads/file-1 answered 429 asking to wait 5 s, past the deadline');
    expect(t).toBe(0);
  });
});

describe('one connection pool for every sender', () => {
  async function connectionsUsed(shareDispatcher: boolean): Promise<{ total: number; peak: number }> {
    const { base, connections } = await serve((req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(req.url?.endsWith('/models') ? '{"object":"list","data":[{"id":"m","object":"model","created":0,"owned_by":"gt"}]}' : '{}');
      }, 20);
    });
    const slots = new Semaphore(2);
    const c = client(base, { concurrency: 2, slots });
    const options: RecordingFetchOptions = { secrets: [], slots, ...(shareDispatcher && { dispatcher: c.dispatcher }) };
    const sdk = await createDriver('openai', { baseUrl: `${base}/v1`, apiKey: 'gtak_test', fetch: createRecordingFetch(options).fetch });
    await Promise.all([
      ...Array.from({ length: 6 }, () => c.send({ label: 'models', method: 'GET', path: '/v1/models' })),
      ...Array.from({ length: 6 }, () => sdk.listModels()),
    ]);
    return connections;
  }

  it('the HTTP client and the SDK drivers together open at most `concurrency` connections', async () => {
    expect(await connectionsUsed(true)).toEqual({ total: 2, peak: 2 });
  });

  it('(the test can fail: an SDK fetch with its own pool opens more)', async () => {
    expect((await connectionsUsed(false)).total).toBeGreaterThan(2);
  });
});
