// The HTTP client's less travelled paths against loopback servers: what it sends for each kind of body and
// header, how it names each kind of failure, and the edges of the stream and JSON answers.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, HttpError, joinUrl, type HttpClient, type HttpClientOptions } from '../../src/http/client.ts';
import type { Exchange } from '../../src/model.ts';

const SECRET = 'gtak_test_5a6b7c8d9e0f1a2b3c4d5e6f';
const VERSION = '0.1.0'; // package.json

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  raw: string[];
  body: string;
}

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse, seen: Seen) => void): Promise<{ base: string; seen: Seen[]; port: number }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, raw: req.rawHeaders, body: Buffer.concat(parts).toString() };
      seen.push(entry);
      handler(req, res, entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const port = (server.address() as AddressInfo).port;
  return { base: `http://127.0.0.1:${port}/api/tenant`, seen, port };
}

function client(base: string, more: Partial<HttpClientOptions> = {}): { http: HttpClient; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const c = createHttpClient({ baseUrl: base, timeoutMs: 5_000, concurrency: 2, secrets: [SECRET], onExchange: (e) => exchanges.push(e), ...more });
  cleanups.push(() => c.close());
  return { http: c, exchanges };
}

const failureOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as HttpError);
const ok = (res: http.ServerResponse, body = '{}', type = 'application/json') => (res.writeHead(200, { 'content-type': type }), res.end(body));

describe('what the client sends', () => {
  it('names itself, sends the key as a bearer, and a raw body as JSON unless told otherwise', async () => {
    const { base, seen } = await serve((_req, res) => ok(res));
    const { http: c, exchanges } = client(base);
    await c.send({ label: 'raw', method: 'POST', path: 'v1/chat/completions', rawBody: '{"model": broken', bearer: SECRET });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/tenant/v1/chat/completions', body: '{"model": broken' });
    expect(seen[0].headers['user-agent']).toBe(`gt-conformance/${VERSION}`);
    expect(seen[0].headers['content-type']).toBe('application/json');
    expect(seen[0].headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(exchanges[0].request).toEqual({
      method: 'POST',
      url: `${base}/v1/chat/completions`,
      headers: { 'user-agent': `gt-conformance/${VERSION}`, authorization: 'Bearer gtak_****5e6f', 'content-type': 'application/json' },
      body: '{"model": broken',
    });
  });

  it('lets a request header replace the client\'s own, whatever its case, and sends no body or key unless given', async () => {
    const { base, seen } = await serve((_req, res) => ok(res));
    const { http: c, exchanges } = client(base);
    await c.send({ label: 'typed', method: 'POST', path: '/v1/x', json: { a: 1 }, headers: { 'Content-Type': 'text/plain', 'User-Agent': 'other/1' } });
    expect(seen[0].raw.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase()).filter((n) => n === 'content-type' || n === 'user-agent')).toEqual(['content-type', 'user-agent']);
    expect(seen[0].headers['content-type']).toBe('text/plain');
    expect(seen[0].headers['user-agent']).toBe('other/1');
    expect(seen[0].body).toBe('{"a":1}');
    expect(exchanges[0].request.headers).toEqual({ 'Content-Type': 'text/plain', 'User-Agent': 'other/1' });
    expect(exchanges[0].request.body).toBe('{"a":1}');

    await c.send({ label: 'bare', method: 'GET', path: '/v1/models' });
    expect(seen[1].headers.authorization).toBeUndefined();
    expect(seen[1].headers['content-type']).toBeUndefined();
    expect(seen[1].body).toBe('');
    expect(exchanges[1].request).toEqual({ method: 'GET', url: `${base}/v1/models`, headers: { 'user-agent': `gt-conformance/${VERSION}` } });
  });

  it('sends an empty key as a bearer too, and masks the secrets of the options and the request in the URL', async () => {
    const { base, seen } = await serve((_req, res) => ok(res));
    const { http: c, exchanges } = client(base, { secrets: ['opt-secret-12345678'] });
    await c.send({ label: 'empty key', method: 'GET', path: '/v1/files/opt-secret-12345678', bearer: '' });
    expect(seen[0].headers.authorization).toBe('Bearer');
    expect(exchanges[0].request.url).toBe(`${base}/v1/files/****5678`);
    await c.send({ label: 'key in path', method: 'GET', path: '/v1/files/other-key-abcdefgh', bearer: 'other-key-abcdefgh' });
    expect(exchanges[1].request.url).toBe(`${base}/v1/files/****efgh`);
  });

  it('joins a base URL with any number of slashes to a path with any number', () => {
    expect(joinUrl('https://h/api///', '///v1/x')).toBe('https://h/api/v1/x');
    expect(joinUrl('https://h/a/b', 'c/d/')).toBe('https://h/a/b/c/d/');
  });
});

describe('what the client records of an answer', () => {
  it('lower-cases header names, joins repeated headers, and times the exchange', async () => {
    const { base } = await serve((_req, res) => {
      res.setHeader('X-Multi', ['a', 'b']);
      res.setHeader('Content-Type', 'application/json');
      res.end('{"ok":true}');
    });
    const { http: c, exchanges } = client(base);
    const before = Date.now();
    const answer = await c.send({ label: 'h', method: 'GET', path: '/v1/models' });
    expect(answer.headers['x-multi']).toBe('a, b');
    expect(answer.contentType).toBe('application/json');
    expect(answer.text()).toBe('{"ok":true}');
    expect(answer.text()).toBe('{"ok":true}');
    expect(answer.json()).toEqual({ ok: true });
    expect(answer.truncated).toBe(false);
    expect(exchanges[0].response).toMatchObject({ status: 200, bytes: 11, body: '{"ok":true}' });
    expect(exchanges[0].response?.headers['x-multi']).toBe('a, b');
    expect(Date.parse(exchanges[0].startedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(exchanges[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(exchanges[0].durationMs)).toBe(true);
  });

  it('records no body for an empty answer, and explains that it is not JSON', async () => {
    const { base } = await serve((_req, res) => (res.writeHead(204), res.end()));
    const { http: c, exchanges } = client(base);
    const answer = await c.send({ label: 'empty', method: 'DELETE', path: '/v1/x' });
    expect(answer.contentType).toBe('');
    expect(answer.bytes.byteLength).toBe(0);
    expect(exchanges[0].response).toEqual({ status: 204, headers: expect.any(Object), bytes: 0 });
    expect(() => answer.json()).toThrow(/^DELETE \/v1\/x: the answer is not JSON \(.+\): \(empty body\)$/);
  });

  it('quotes the first 80 characters of a body that is not JSON on one line, with secrets masked', async () => {
    const body = `oops\n\n  key ${SECRET} ${'z'.repeat(100)}`;
    const { base } = await serve((_req, res) => ok(res, body, 'text/plain'));
    const { http: c } = client(base);
    const answer = await c.send({ label: 'bad', method: 'GET', path: '/v1/models' });
    const head = `oops key gtak_****5e6f ${'z'.repeat(80 - `oops\n\n  key ${SECRET} `.length)}`;
    expect(() => answer.json()).toThrow(`the answer is not JSON (`);
    let message = '';
    try {
      answer.json();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.endsWith(`): ${head}`)).toBe(true);
  });

  it('reads a body of exactly the limit whole, and cuts one byte more', async () => {
    const { base } = await serve((req, res) => ok(res, req.url!.endsWith('/exact') ? '"' + 'a'.repeat(98) + '"' : '"' + 'a'.repeat(99) + '"'));
    const { http: c } = client(base, { maxResponseBytes: 100 });
    const exact = await c.send({ label: 'exact', method: 'GET', path: '/exact' });
    expect([exact.truncated, exact.bytes.byteLength, exact.json()]).toEqual([false, 100, 'a'.repeat(98)]);
    const over = await c.send({ label: 'over', method: 'GET', path: '/over' });
    expect([over.truncated, over.bytes.byteLength]).toEqual([true, 100]);
    expect(() => over.json()).toThrow('GET /over: the answer was cut at 100 bytes, so it is not complete JSON');
  });
});

describe('how the client names a failure', () => {
  it('a TLS handshake with a plain HTTP server: the OpenSSL reason and the code', async () => {
    const { port } = await serve((_req, res) => ok(res));
    const { http: c, exchanges } = client(`https://127.0.0.1:${port}/api/tenant`);
    const err = await failureOf(c.send({ label: 'tls', method: 'GET', path: '/v1/models' }));
    expect(err).toBeInstanceOf(HttpError);
    expect([err!.kind, err!.method, err!.path]).toEqual(['tls', 'GET', '/v1/models']);
    expect(err!.message).toBe('GET /v1/models: TLS failed: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)');
    expect(exchanges[0].error).toBe('TLS failed: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)');
    expect(err!.exchange).toBe(exchanges[0]);
    expect(err!.name).toBe('HttpError');
  });

  it('a host that does not exist (.invalid never resolves)', async () => {
    // a timeout far past any resolver's own: an offline resolver answers EAI_AGAIN, not a client timeout
    const { http: c } = client('http://gt-conformance-test.invalid/api/tenant', { timeoutMs: 120_000 });
    const err = await failureOf(c.send({ label: 'dns', method: 'GET', path: '/v1/models' }));
    expect(err!.kind).toBe('dns');
    expect(err!.message).toMatch(/^GET \/v1\/models: host not found \((ENOTFOUND|EAI_AGAIN)\)$/);
  });

  it('a server that does not speak HTTP: the parser\'s message, on one line', async () => {
    const server = net.createServer((socket) => socket.once('data', () => socket.end('garbage\r\n\r\n')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { http: c } = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const err = await failureOf(c.send({ label: 'garbage', method: 'GET', path: '/v1/models' }));
    expect(err!.kind).toBe('other');
    expect(err!.message).toBe('GET /v1/models: Response does not match the HTTP/1.1 protocol (Expected HTTP/, RTSP/ or ICE/)');
  });

  it('a connection closed before any answer', async () => {
    const server = net.createServer((socket) => socket.on('data', () => socket.destroy()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { http: c } = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const err = await failureOf(c.send({ label: 'closed', method: 'GET', path: '/v1/models' }));
    expect([err!.kind, err!.message]).toEqual(['reset', 'GET /v1/models: connection reset before an answer']);
  });
});

describe('retries', () => {
  it('retries a 429 twice by default, then hands back the last 429', async () => {
    const { base, seen } = await serve((_req, res) => (res.writeHead(429, { 'retry-after-ms': '1' }), res.end()));
    const { http: c, exchanges } = client(base);
    const answer = await c.send({ label: 'm', method: 'GET', path: '/v1/models' });
    expect(answer.status).toBe(429);
    expect(seen).toHaveLength(3);
    expect(exchanges.map((e) => e.label)).toEqual(['m (429, retried after 1 ms)', 'm (429, retried after 1 ms)', 'm']);
  });

  it('waits out a Retry-After of exactly the most allowed, and not one more', async () => {
    const { base, seen } = await serve((req, res) => {
      if (seen.length % 2 === 0) return void ok(res);
      res.writeHead(429, { 'retry-after-ms': req.url!.endsWith('/at') ? '5' : '6' });
      res.end();
    });
    const { http: c } = client(base, { retry: { maxRetryAfterSeconds: 0.005 } });
    expect((await c.send({ label: 'at', method: 'GET', path: '/at' })).status).toBe(200);
    expect((await c.send({ label: 'past', method: 'GET', path: '/past' })).status).toBe(429);
    expect(seen.map((s) => s.url)).toEqual(['/api/tenant/at', '/api/tenant/at', '/api/tenant/past']);
  });

  it('does not retry a 503, nor a 429 without Retry-After, nor when max429 is 0', async () => {
    const { base, seen } = await serve((req, res) => {
      const status = req.url!.endsWith('/503') ? 503 : 429;
      res.writeHead(status, req.url!.endsWith('/bare') ? {} : { 'retry-after': '0' });
      res.end();
    });
    const { http: c } = client(base);
    expect((await c.send({ label: 'a', method: 'GET', path: '/503' })).status).toBe(503);
    expect((await c.send({ label: 'b', method: 'GET', path: '/bare' })).status).toBe(429);
    const none = client(base, { retry: { max429: 0 } }).http;
    expect((await none.send({ label: 'c', method: 'GET', path: '/zero' })).attempts).toHaveLength(1);
    expect(seen).toHaveLength(3);
  });
});

describe('streams', () => {
  it('reads a non-200 answer to a stream request whole', async () => {
    const { base } = await serve((_req, res) => (res.writeHead(202, { 'content-type': 'application/json' }), res.end('{"queued":true}')));
    const { http: c, exchanges } = client(base);
    const answer = await c.send({ label: 's', method: 'POST', path: '/v1/chat/completions', json: { stream: true }, stream: true });
    expect(answer.stream).toBeUndefined();
    expect(answer.json()).toEqual({ queued: true });
    expect(exchanges).toHaveLength(1);
  });

  it('keeps the first 16 KiB of a stream in the record, counts all of it, and refuses text() and json()', async () => {
    const chunk = `data: ${'x'.repeat(1016)}\n\n`; // 1 KiB an event
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      const pump = () => {
        while (n < 40) {
          n++;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const { http: c, exchanges } = client(base);
    const answer = await c.send({ label: 's', method: 'POST', path: '/v1/chat/completions', json: { stream: true }, stream: true });
    expect(() => answer.text()).toThrow('POST /v1/chat/completions: the answer is a stream; read answer.stream');
    expect(() => answer.json()).toThrow('POST /v1/chat/completions: the answer is a stream; read answer.stream');
    expect([answer.bytes.byteLength, answer.truncated]).toEqual([0, false]);
    let total = 0;
    for await (const piece of answer.stream!) total += piece.byteLength;
    expect(total).toBe(40 * 1024);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0].response?.bytes).toBe(40 * 1024);
    expect(exchanges[0].response?.body).toBe(`${chunk.repeat(4)} … (40960 bytes in all)`);
    expect(exchanges[0].error).toBeUndefined();
  });

  it('records a stream that breaks, with the bytes read', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"a":1}\n\n');
      setTimeout(() => res.socket?.destroy(), 30);
    });
    const { http: c, exchanges } = client(base);
    const answer = await c.send({ label: 's', method: 'POST', path: '/v1/chat/completions', json: { stream: true }, stream: true });
    const read = (async () => {
      for await (const _ of answer.stream!) void _;
    })();
    await expect(read).rejects.toThrow();
    expect(exchanges[0].error).toBe('the stream broke after 15 bytes: connection reset after 15 bytes');
    expect(exchanges[0].response?.bytes).toBe(15);
    expect(exchanges[0].response?.body).toBe('data: {"a":1}\n\n');
  });

  it('frees its slot once a stream is read, so the next request goes out', async () => {
    const { base } = await serve((req, res) => (req.url!.endsWith('/s') ? (res.writeHead(200, { 'content-type': 'text/event-stream' }), res.end('data: [DONE]\n\n')) : ok(res)));
    const { http: c } = client(base, { concurrency: 1 });
    const answer = await c.send({ label: 's', method: 'POST', path: '/s', stream: true });
    for await (const _ of answer.stream!) void _;
    expect((await c.send({ label: 'next', method: 'GET', path: '/next' })).status).toBe(200);
  });
});
