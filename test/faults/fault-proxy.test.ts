// The fault proxy's fuse, the upper bound the fault tests set on the harness's timeouts: a hung request or a
// stalled stream the client still waits on is answered normally when the fuse runs out, and counted; one the
// client gave up on is not.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy, type FaultRule } from './fault-proxy.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function upstream(): Promise<string> {
  const server = http.createServer((req, res) => {
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: one\n\ndata: two\n\ndata: [DONE]\n\n');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"object":"list","data":[]}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function proxyOf(rule: FaultRule, fuseMs: number, onPicked?: () => void): Promise<FaultProxy> {
  const proxy = await startFaultProxy(await upstream(), rule, { fuseMs, onPicked });
  closers.push(() => proxy.close());
  return proxy;
}

/** A GET through the proxy; `abortWhen` ends it from the client's side. */
function get(url: string, abortWhen?: (res: http.IncomingMessage | undefined, req: http.ClientRequest) => void): Promise<{ status?: number; body: string; aborted: boolean }> {
  return new Promise((resolve) => {
    let status: number | undefined;
    let body = '';
    const req = http.get(url, (res) => {
      status = res.statusCode;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        abortWhen?.(res, req);
      });
      res.on('end', () => resolve({ status, body, aborted: false }));
    });
    req.on('error', () => undefined); // a destroyed request: its 'close' settles it
    req.on('close', () => resolve({ status, body, aborted: true })); // after 'end', this changes nothing
    abortWhen?.(undefined, req);
  });
}

describe('the fault proxy fuse', () => {
  it('answers a hung request normally once the fuse runs out, and counts it', async () => {
    const proxy = await proxyOf({ matches: () => true, fault: { kind: 'hang' } }, 50);
    expect(await get(`${proxy.origin}/models`)).toEqual({ status: 200, body: '{"object":"list","data":[]}', aborted: false });
    expect(proxy.fused()).toBe(1);
  });

  it('sends the rest of a stalled stream once the fuse runs out, and counts it', async () => {
    const proxy = await proxyOf({ matches: () => true, fault: { kind: 'sse-stall' } }, 50);
    expect(await get(`${proxy.origin}/stream`)).toEqual({ status: 200, body: 'data: one\n\ndata: two\n\ndata: [DONE]\n\n', aborted: false });
    expect(proxy.fused()).toBe(1);
  });

  it('counts nothing when the client gives up first', async () => {
    let picked!: () => void;
    const arrived = new Promise<void>((resolve) => (picked = resolve));
    const hang = await proxyOf({ matches: () => true, fault: { kind: 'hang' } }, 60_000, () => picked());
    const hung = get(`${hang.origin}/models`, (res, req) => void (res || arrived.then(() => req.destroy())));
    expect((await hung).aborted).toBe(true);
    const stall = await proxyOf({ matches: () => true, fault: { kind: 'sse-stall' } }, 60_000);
    const stalled = await get(`${stall.origin}/stream`, (res) => res?.destroy());
    expect(stalled).toEqual({ status: 200, body: 'data: one\n\n', aborted: true });
    expect([hang.fused(), stall.fused()]).toEqual([0, 0]);
  });
});
