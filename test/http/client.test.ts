import { afterEach, describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient, HttpError, joinUrl, type HttpClient, type HttpClientOptions } from '../../src/http/client.ts';
import { readSse } from '../../src/checks/sse.ts';
import type { Exchange } from '../../src/model.ts';

const SECRET = 'gtak_test_9c1e7f2a4b6d8e0f1a3c5e7a9b2d4f6a';

interface Running {
  base: string;
  server: http.Server;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function serve(handler: http.RequestListener): Promise<Running> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/tenant/`, server };
}

function client(base: string, more: Partial<HttpClientOptions> = {}): { http: HttpClient; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const c = createHttpClient({ baseUrl: base, timeoutMs: 2000, concurrency: 4, secrets: [SECRET], onExchange: (e) => exchanges.push(e), ...more });
  cleanups.push(() => c.close());
  return { http: c, exchanges };
}

const readBody = (req: http.IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c)).on('end', () => resolve(Buffer.concat(parts)));
  });

describe('joinUrl', () => {
  it('joins without doubling or dropping a slash', () => {
    expect(joinUrl('https://h/api/tenant/', '/v1/models')).toBe('https://h/api/tenant/v1/models');
    expect(joinUrl('https://h/api/tenant', 'v1/models')).toBe('https://h/api/tenant/v1/models');
  });
});

describe('createHttpClient', () => {
  it('sends JSON with the bearer key and records the exchange with every secret redacted', async () => {
    let seen: { url?: string; auth?: string; body?: string } = {};
    const { base } = await serve(async (req, res) => {
      seen = { url: req.url, auth: req.headers.authorization, body: (await readBody(req)).toString() };
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-echo', `key=${SECRET}`);
      res.end(JSON.stringify({ error: { message: `bad key ${SECRET}, also gtak_someone_else_0042`, type: 'auth', code: null } }));
    });
    const { http: c, exchanges } = client(base);
    const answer = await c.send({ label: 'models with a key', method: 'POST', path: '/v1/chat/completions', bearer: SECRET, json: { model: 'a', note: SECRET } });

    expect(seen.url).toBe('/api/tenant/v1/chat/completions');
    expect(seen.auth).toBe(`Bearer ${SECRET}`);
    expect(JSON.parse(seen.body!).note).toBe(SECRET);
    expect((answer.json() as { error: { message: string } }).error.message).toContain(SECRET); // the answer itself is untouched

    expect(exchanges).toHaveLength(1);
    const recorded = JSON.stringify(exchanges);
    expect(recorded).not.toContain(SECRET);
    expect(recorded).not.toContain('gtak_someone_else');
    expect(exchanges[0].request.headers.authorization).toBe('Bearer gtak_****4f6a');
    expect(exchanges[0].request.body).toBe('{"model":"a","note":"gtak_****4f6a"}');
    expect(exchanges[0].response?.headers['x-echo']).toBe('key=gtak_****4f6a');
    expect(exchanges[0].response?.body).toContain('also gtak_****0042');
    expect(exchanges[0].response?.status).toBe(200);
  });

  // The server of a timeout test answers in full after FUSE_MS, twenty times the client's timeout: a client
  // that did not give up gets that answer instead of the error, so no wall-clock bound is asserted.
  const FUSE_MS = 20 * 300;

  it('gives up after the timeout on a server that never answers, closes the connection, and says so', async () => {
    let closedByClient!: () => void;
    const closed = new Promise<void>((resolve) => (closedByClient = resolve));
    const { base } = await serve((req, res) => {
      const fuse = setTimeout(() => res.end('{"object":"list","data":[]}'), FUSE_MS);
      res.on('close', () => (clearTimeout(fuse), closedByClient()));
    });
    const { http: c, exchanges } = client(base, { timeoutMs: 300 });
    const err = await c.send({ label: 'silent', method: 'GET', path: '/v1/models' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).message).toBe('GET /v1/models: no answer within 300 ms');
    expect((err as HttpError).kind).toBe('timeout');
    expect(exchanges[0].error).toBe('no answer within 300 ms');
    await closed; // the server saw the client hang up (an answer after the fuse would have made `err` a success)
  });

  it('also bounds a body that trickles forever', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const tick = setInterval(() => res.write('.'), 20);
      const fuse = setTimeout(() => res.end(), FUSE_MS);
      res.on('close', () => (clearInterval(tick), clearTimeout(fuse)));
    });
    const { http: c } = client(base, { timeoutMs: 300 });
    const err = (await c.send({ label: 'trickle', method: 'GET', path: '/v1/models' }).catch((e: unknown) => e)) as HttpError;
    expect(err).toBeInstanceOf(HttpError);
    expect(err.message).toMatch(/^GET \/v1\/models: answer not complete within 300 ms \(\d+ bytes received\)$/);
  });

  it('reports a connection reset in the middle of the body with the bytes received', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '10000' });
      res.write('x'.repeat(1234));
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const { http: c } = client(base);
    const err = (await c.send({ label: 'reset', method: 'GET', path: '/v1/models' }).catch((e: unknown) => e)) as HttpError;
    expect(err).toBeInstanceOf(HttpError);
    expect(err.kind).toBe('reset');
    expect(err.message).toBe('GET /v1/models: connection reset after 1234 bytes');
  });

  it('says connection refused when nothing listens', async () => {
    const { base, server } = await serve(() => undefined);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { http: c } = client(base);
    const err = (await c.send({ label: 'refused', method: 'GET', path: '/v1/models' }).catch((e: unknown) => e)) as HttpError;
    expect(err.message).toBe('GET /v1/models: connection refused');
    expect(err.kind).toBe('refused');
  });

  it('cuts a 10 MB body at the limit and stops downloading it', async () => {
    let closed!: (finished: boolean) => void;
    const serverDone = new Promise<boolean>((resolve) => (closed = resolve));
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const block = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < 10 * 1024 * 1024) {
          sent += block.length;
          if (!res.write(block)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => closed(res.writableFinished));
      pump();
    });
    const { http: c, exchanges } = client(base);
    const answer = await c.send({ label: 'huge', method: 'GET', path: '/v1/models' });
    expect(answer.bytes.byteLength).toBe(1024 * 1024);
    expect(answer.truncated).toBe(true);
    expect(() => answer.json()).toThrow('GET /v1/models: the answer was cut at 1048576 bytes, so it is not complete JSON');
    expect(exchanges[0].response?.bytes).toBe(1024 * 1024);
    expect(exchanges[0].response?.body?.length).toBeLessThan(4200);
    expect(exchanges[0].response?.body).toContain('cut at the size limit');
    expect(await serverDone, 'the server wrote all 10 MB').toBe(false); // the client hung up before the end
  });

  it('retries a 429 after Retry-After seconds, and records both attempts', async () => {
    let calls = 0;
    const { base } = await serve((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit', code: null } }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"object":"list","data":[]}');
      }
    });
    const { http: c, exchanges } = client(base, { retry: { max429: 2 } });
    const waits = vi.spyOn(globalThis, 'setTimeout');
    const answer = await c.send({ label: 'models', method: 'GET', path: '/v1/models' });
    expect(answer.status).toBe(200);
    expect(waits.mock.calls.map(([, ms]) => ms)).toContain(1000); // it waited out the Retry-After
    waits.mockRestore();
    expect(answer.attempts.map((a) => a.response?.status)).toEqual([429, 200]);
    expect(exchanges.map((e) => e.label)).toEqual(['models (429, retried after 1000 ms)', 'models']);
  });

  it('asks beforeSend once a request has its slot, for every attempt; a refusal sends nothing and frees the slot', async () => {
    let calls = 0;
    const { base } = await serve((_req, res) => {
      calls++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"object":"list","data":[]}');
    });
    let allowed = 1;
    const asked: number[] = [];
    const { http: c, exchanges } = client(base, {
      concurrency: 1,
      beforeSend: () => {
        asked.push(calls);
        if (allowed-- <= 0) throw new Error('refused: the run has stopped');
      },
    });
    const [sent, refused] = await Promise.allSettled([c.send({ label: 'first', method: 'GET', path: '/v1/models' }), c.send({ label: 'second', method: 'GET', path: '/v1/models' })]);
    expect(sent.status).toBe('fulfilled');
    expect(refused).toEqual({ status: 'rejected', reason: new Error('refused: the run has stopped') });
    expect(asked).toEqual([0, 1]); // the second was asked only once the first had its answer and freed the one slot
    expect(calls).toBe(1);
    expect(exchanges.map((e) => e.label)).toEqual(['first']);
    allowed = 1;
    expect((await c.send({ label: 'third', method: 'GET', path: '/v1/models' })).status).toBe(200); // the refused one left its slot free
  });

  it('does not retry a 429 whose Retry-After is too long, nor beyond max429', async () => {
    let calls = 0;
    const { base } = await serve((req, res) => {
      calls++;
      res.writeHead(429, { 'retry-after-ms': req.url?.includes('long') ? '120000' : '10' });
      res.end();
    });
    const { http: c } = client(base, { retry: { max429: 2 } });
    const long = await c.send({ label: 'long', method: 'GET', path: '/long' });
    expect(long.status).toBe(429);
    expect(calls).toBe(1);
    const storm = await c.send({ label: 'storm', method: 'GET', path: '/storm' });
    expect(storm.status).toBe(429);
    expect(storm.attempts).toHaveLength(3);
  });

  it('never has more requests in flight than the concurrency', async () => {
    // The server holds every request until three are in, then gives a fourth a moment to arrive and answers
    // them all: a client that keeps to 3 makes the peak exactly 3 however slow the machine.
    let peak = 0;
    const held: http.ServerResponse[] = [];
    const { base } = await serve((_req, res) => {
      held.push(res);
      peak = Math.max(peak, held.length);
      if (held.length === 3) setTimeout(() => held.splice(0).forEach((r) => r.end('{}')), 20);
    });
    const { http: c } = client(base, { concurrency: 3 });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => c.send({ label: `n${i}`, method: 'GET', path: '/v1/models' })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(peak).toBe(3);
  });

  it('streams a 2xx answer when asked, and records it once read', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"a":1}\n\n');
      setTimeout(() => res.end('data: [DONE]\n\n'), 30);
    });
    const { http: c, exchanges } = client(base);
    const answer = await c.send({ label: 'stream', method: 'POST', path: '/v1/chat/completions', json: { stream: true }, stream: true });
    expect(answer.contentType).toBe('text/event-stream');
    expect(exchanges).toHaveLength(0); // recorded once the stream has been read
    const sse = await readSse(answer.stream!, { idleTimeoutMs: 60_000, deadlineMs: 60_000 });
    expect(sse.events).toEqual(['{"a":1}', '[DONE]']);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0].response?.body).toBe('data: {"a":1}\n\ndata: [DONE]\n\n');
    expect(() => answer.text()).toThrow('the answer is a stream');
  });

  it('sends multipart files and records binary bodies as a summary', async () => {
    let received = '';
    const { base } = await serve(async (req, res) => {
      received = (await readBody(req)).toString('latin1');
      res.writeHead(200, { 'content-type': 'audio/wav' });
      res.end(Buffer.from([0x52, 0x49, 0x46, 0x46, 0, 0, 0xff, 0xfe]));
    });
    const { http: c, exchanges } = client(base);
    const answer = await c.send({
      label: 'upload',
      method: 'POST',
      path: '/v1/audio/transcriptions',
      multipart: { fields: { model: 'voice' }, files: [{ field: 'file', filename: 'call.wav', contentType: 'audio/wav', bytes: Uint8Array.of(1, 2, 3, 250) }] },
    });
    expect(received).toContain('Content-Disposition: form-data; name="model"\r\n\r\nvoice\r\n');
    expect(received).toContain('name="file"; filename="call.wav"\r\nContent-Type: audio/wav\r\n\r\n\x01\x02\x03\xfa\r\n');
    expect(exchanges[0].request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(exchanges[0].request.body).toBe('model="voice"; file=call.wav <4 bytes audio/wav>');
    expect(exchanges[0].response?.body).toBe('<8 bytes audio/wav>');
    expect(answer.bytes.byteLength).toBe(8);
  });

  it('explains a body that is not JSON', async () => {
    const { base } = await serve((_req, res) => res.end('<html>Bad gateway</html>'));
    const { http: c } = client(base);
    const answer = await c.send({ label: 'html', method: 'GET', path: '/v1/models', rawBody: undefined });
    expect(() => answer.json()).toThrow(/^GET \/v1\/models: the answer is not JSON \(.+\): <html>Bad gateway<\/html>$/);
  });
});
