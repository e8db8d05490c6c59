// What the mutation run of src/http/client.ts found untested (docs/testing.md, "Mutation scores"), against
// loopback servers: the JSON content type, the options' secrets kept beside a request's key, the duration of
// an exchange, a stream under a distant deadline, one that breaks or outlives its deadline, an empty stream,
// a stream of exactly the limit, and close().
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, HttpError, type HttpClientOptions } from '../../src/http/client.ts';
import type { Exchange } from '../../src/model.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ base: string; seen: http.IncomingHttpHeaders[] }> {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/tenant`, seen };
}

function client(base: string, more: Partial<HttpClientOptions> = {}) {
  const exchanges: Exchange[] = [];
  const c = createHttpClient({ baseUrl: base, timeoutMs: 60_000, concurrency: 2, onExchange: (e) => exchanges.push(e), ...more }); // no test here waits for the timeout
  cleanups.push(() => c.close());
  return { c, exchanges };
}

const stream = (...parts: string[]) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const p of parts) res.write(p);
  res.end();
};
const readAll = async (s: AsyncIterable<Uint8Array>) => {
  let text = '';
  for await (const piece of s) text += Buffer.from(piece).toString();
  return text;
};

describe('HttpClient: requests', () => {
  it('sends a JSON body as application/json', async () => {
    const { base, seen } = await serve((_req, res) => res.end('{}'));
    await client(base).c.send({ label: 'j', method: 'POST', path: '/v1/x', json: { a: 1 } });
    expect(seen[0]['content-type']).toBe('application/json');
  });

  it('masks the secrets of its options in the record of a request that also has a key', async () => {
    const { base } = await serve((_req, res) => res.end('{}'));
    const { c, exchanges } = client(base, { secrets: ['opt-secret-123456'] });
    await c.send({ label: 'k', method: 'GET', path: '/v1/x?q=opt-secret-123456', bearer: 'gtak_request_key_abcdef123456' });
    expect(exchanges[0].request.url).toBe(`${base}/v1/x?q=****3456`); // 17 characters: the last 4 shown
    expect(exchanges[0].request.headers.authorization).toBe('Bearer gtak_****3456');
  });

  it('times an exchange within the time the call took', async () => {
    const { base } = await serve((_req, res) => res.end('{}'));
    const { c, exchanges } = client(base);
    const before = performance.now();
    await c.send({ label: 't', method: 'GET', path: '/v1/x' });
    const took = performance.now() - before;
    expect(exchanges[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(exchanges[0].durationMs).toBeLessThanOrEqual(Math.ceil(took));
  });

  it('sends nothing once closed', async () => {
    const { base, seen } = await serve((_req, res) => res.end('{}'));
    const c = createHttpClient({ baseUrl: base, timeoutMs: 5_000, concurrency: 1 }); // closed here, not after the test
    await c.close();
    await expect(c.send({ label: 'c', method: 'GET', path: '/v1/x' })).rejects.toThrow();
    expect(seen).toEqual([]);
  });
});

describe('HttpClient: streams', () => {
  it('reads a stream whole under a deadline a minute away', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: a\n\n');
      setTimeout(() => res.end('data: b\n\n'), 50); // the rest comes after the reader has started waiting
    });
    const { c } = client(base, { deadline: Date.now() + 60_000 });
    const answer = await c.send({ label: 's', method: 'POST', path: '/v1/chat', json: {}, stream: true });
    expect(await readAll(answer.stream!)).toBe('data: a\n\ndata: b\n\n');
  });

  it('reads a stream of exactly the limit whole', async () => {
    const { base } = await serve(stream('data: 12\n\n')); // 10 bytes
    const { c, exchanges } = client(base, { maxResponseBytes: 10 });
    const answer = await c.send({ label: 's', method: 'POST', path: '/v1/chat', json: {}, stream: true });
    expect(await readAll(answer.stream!)).toBe('data: 12\n\n');
    expect(exchanges[0].error).toBeUndefined();
  });

  it('records no body for an empty stream', async () => {
    const { base } = await serve(stream());
    const { c, exchanges } = client(base);
    const answer = await c.send({ label: 's', method: 'POST', path: '/v1/chat', json: {}, stream: true });
    expect(await readAll(answer.stream!)).toBe('');
    expect(exchanges[0].response).toEqual({ status: 200, headers: expect.any(Object), bytes: 0 });
  });

  it('fails a stream that breaks with its own error, not a deadline', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: a\n\n');
      setTimeout(() => res.socket?.destroy(), 30);
    });
    const { c } = client(base);
    const answer = await c.send({ label: 's', method: 'POST', path: '/v1/chat', json: {}, stream: true });
    const error = await readAll(answer.stream!).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof HttpError && error.kind === 'deadline').toBe(false);
  });

  it('fails a stream still open at the run deadline as a deadline', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: a\n\n'); // and never ends
    });
    // The answer's head must come before the deadline (on loopback, milliseconds; 1 s leaves a loaded machine room).
    const { c, exchanges } = client(base, { deadline: Date.now() + 1_000 });
    const answer = await c.send({ label: 's', method: 'POST', path: '/v1/chat', json: {}, stream: true });
    const error = await readAll(answer.stream!).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).kind).toBe('deadline');
    expect(exchanges[0].error).toBe('the run deadline passed while the stream was read (9 bytes)');
  });
});
