// The recording fetch on its own, against a small loopback stub: deadline, 4 KiB bodies, multipart
// bodies from the runtime's FormData, redaction of the key wherever it appears.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordingFetch } from '../../src/drivers/recording-fetch.ts';
import { Semaphore } from '../../src/http/semaphore.ts';

const SECRET = 'gtak_live_0123456789abcdefXYZW';
let server: Server;
let base: string;
const seen: Array<{ contentType?: string; body: string }> = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    seen.push({ contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString('latin1') });
    if (req.url === '/hang') {
      // answers only after a fuse twenty times the recorder's timeout: a recorder that waited gets this answer
      const fuse = setTimeout(() => res.end('{"late":true}'), 20 * 200);
      res.on('close', () => clearTimeout(fuse));
      return;
    }
    if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echo: SECRET, pad: 'x'.repeat(10_000) }));
      return;
    }
    if (req.url === '/audio') {
      res.writeHead(200, { 'content-type': 'audio/mpeg' });
      res.end(Buffer.alloc(5000, 7));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('createRecordingFetch', () => {
  it('gives up at the deadline and records why', async () => {
    const recorder = createRecordingFetch({ secrets: [SECRET], timeoutMs: 200 });
    await expect(recorder.fetch(`${base}/hang`, { method: 'POST', body: '{}' })).rejects.toThrow();
    expect(recorder.exchanges[0].error).toBe('no answer within 200 ms');
    expect(recorder.exchanges[0].response).toBeUndefined();
  });

  it('neither records nor counts a fetch that reaches no network (openai fetches data:, to find its Response class)', async () => {
    let counted = 0;
    const recorder = createRecordingFetch({ secrets: [SECRET], beforeSend: () => counted++ });
    const answer = await recorder.fetch('data:,');
    expect(await answer.text()).toBe('');
    expect(recorder.exchanges).toEqual([]);
    expect(counted).toBe(0);
    await recorder.fetch(`${base}/ok`);
    expect(counted).toBe(1);
  });

  it('asks beforeSend only once the request has its slot; a refused request is neither sent nor recorded, and frees its slot', async () => {
    const slots = new Semaphore(1);
    const held = await slots.acquire();
    let asked = 0;
    const recorder = createRecordingFetch({ secrets: [SECRET], slots, beforeSend: () => {
      asked++;
      throw new Error('not run: the run stopped once 1 probe had failed (--max-failures 1)');
    } });
    const before = seen.length;
    const refused = recorder.fetch(`${base}/ok`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toBe(0); // still waiting for the slot
    held();
    await expect(refused).rejects.toThrow('not run: the run stopped once 1 probe had failed (--max-failures 1)');
    expect(asked).toBe(1);
    expect(recorder.exchanges).toEqual([]);
    expect(seen.length).toBe(before);
    expect(slots.inFlight).toBe(0);
  });

  it('keeps at most 4 KiB of a body, counts all of it, and masks the key in it', async () => {
    const recorder = createRecordingFetch({ secrets: [SECRET] });
    const answer = await recorder.fetch(`${base}/big`, { headers: { Authorization: `Bearer ${SECRET}` } });
    const text = await answer.text();
    expect(text).toContain(SECRET); // the SDK reads the answer untouched
    await recorder.settled();
    const [exchange] = recorder.exchanges;
    expect(exchange.response!.bytes).toBe(Buffer.byteLength(text));
    expect(exchange.response!.body!.length).toBeLessThan(4200);
    expect(exchange.response!.body).toContain('gtak_****');
    expect(JSON.stringify(exchange)).not.toContain(SECRET);
    expect(exchange.request.headers.authorization).toBe('Bearer gtak_****XYZW');
  });

  it('summarises binary answers', async () => {
    const recorder = createRecordingFetch({ secrets: [] });
    const answer = await recorder.fetch(`${base}/audio`);
    expect((await answer.arrayBuffer()).byteLength).toBe(5000);
    await recorder.settled();
    expect(recorder.exchanges[0].response!.body).toBe('<5000 bytes audio/mpeg>');
  });

  it("sends the runtime's FormData as a real multipart body and records its parts", async () => {
    const recorder = createRecordingFetch({ secrets: [] });
    const form = new FormData();
    form.append('model', 'voice-agent');
    form.append('file', new Blob([new Uint8Array([1, 2, 3, 4])], { type: 'audio/wav' }), 'tone.wav');
    const before = seen.length;
    await recorder.fetch(`${base}/upload`, { method: 'POST', body: form });
    const received = seen[before];
    expect(received.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(received.body).toContain('name="model"');
    expect(received.body).toContain('filename="tone.wav"');
    expect(recorder.exchanges[0].request.body).toBe('model="voice-agent"; file=tone.wav <4 bytes audio/wav>');
  });
});
