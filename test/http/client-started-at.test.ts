// An exchange's startedAt is when its request was sent, not when it was asked for: a request that waits for
// a connection slot behind another must not carry the wait in its recorded time (the HAR and the report's
// timings read startedAt and durationMs).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.ts';

let releaseFirst: () => void = () => {};
const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
const server = http.createServer((req, res) => {
  const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  if (req.url?.endsWith('/first')) firstHeld.then(answer);
  else answer();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

it('records the time a request was sent, after its wait for a slot', async () => {
  const client = createHttpClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 60_000, concurrency: 1 });
  const first = client.send({ method: 'GET', path: '/first', label: 'first' });
  const second = client.send({ method: 'GET', path: '/second', label: 'second' }); // waits for the one slot
  const askedAt = Date.now();
  // At least 5 ms between asking and sending, so a start taken when the request was asked for cannot
  // fall in the same millisecond as the answer to the first; then answer the first: the second is sent only then.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const answeredFirstAt = Date.now();
  expect(answeredFirstAt).toBeGreaterThan(askedAt);
  releaseFirst();
  const [a, b] = await Promise.all([first, second]);
  expect(Date.parse(a.exchange.startedAt)).toBeLessThanOrEqual(answeredFirstAt);
  expect(Date.parse(b.exchange.startedAt)).toBeGreaterThanOrEqual(answeredFirstAt);
  await client.close();
});
