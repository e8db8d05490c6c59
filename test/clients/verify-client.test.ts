// Vendor mode: traffic recorded from the real openai package by the embedded tenant (the entries
// `mock --record` writes), checked with `verify-client` against a runbook.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { verify } from './verify-cli.ts';
import { productFile } from '../fixtures/products.ts';
import { startTenant, type RunningTenant } from '../../src/tenant/index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'gt-verify-'));
let tenant: RunningTenant;
const recorded: string[] = [];

function client(keyName: string, baseURL = `${tenant.baseUrl}/v1`): OpenAI {
  return new OpenAI({ baseURL, apiKey: tenant.secrets[keyName], maxRetries: 0 });
}

/** Runs the recording and returns the lines it added, as a traffic file. */
async function record(name: string, calls: () => Promise<unknown>): Promise<string> {
  const from = recorded.length;
  await calls();
  const file = path.join(dir, `${name}.jsonl`);
  writeFileSync(file, `${recorded.slice(from).join('\n')}\n`);
  return file;
}

let sdkTraffic: string;

beforeAll(async () => {
  tenant = await startTenant({ record: (entry) => recorded.push(JSON.stringify(entry)) });
  sdkTraffic = await record('openai-sdk', async () => {
    await client('openai-chat').models.list();
    await client('openai-chat').chat.completions.create({ model: 'mission-agent', messages: [{ role: 'user', content: 'ping' }], max_tokens: 8 });
    const stream = await client('openai-chat').chat.completions.create({ model: 'mission-agent', messages: [{ role: 'user', content: 'ping' }], stream: true });
    for await (const chunk of stream) void chunk;
    await client('openai-chat+embed').embeddings.create({ model: 'mission-agent', input: ['a', 'b'] });
    await client('openai-chat+image').images.generate({ model: 'mission-agent', prompt: 'a red square' }).catch(() => undefined);
  });
});
afterAll(() => tenant.close());
afterEach(() => vi.restoreAllMocks());

describe('verify-client', () => {
  it('passes the OpenAI SDK traffic for the openai-sdk runbook', async () => {
    const { code, out } = await verify('--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), sdkTraffic);
    expect(out.at(-1)).toBe('OpenAI SDK / curl: 5 requests checked, no problems');
    expect(code).toBe(0);
    expect(readFileSync(sdkTraffic, 'utf8')).not.toContain(tenant.secrets['openai-chat']);
  });

  it('fails when the runbook marks a called route not_supported, naming the line', async () => {
    const copy = path.join(dir, 'openai-sdk.yaml');
    writeFileSync(copy, readFileSync(productFile('openai-sdk'), 'utf8').replace(/(- route: images\n\s+verdict: )native/, '$1not_supported'));
    const { code, out } = await verify('--product', 'openai-sdk', '--runbook', copy, sdkTraffic);
    const imagesLine = readFileSync(sdkTraffic, 'utf8').split('\n').findIndex((l) => l.includes('/v1/images/generations')) + 1;
    expect(out).toContain(`${sdkTraffic}:${imagesLine}: POST /api/tenant/v1/images/generations: the runbook marks images not_supported: client.images.generate(), when the key includes inference:image.`);
    expect(code).toBe(1);
  });

  it('fails a shipped runbook that marks the route not_supported (Open WebUI never calls transcriptions)', async () => {
    const audio = await toFile(new Uint8Array(64), 'a.wav');
    const file = await record('transcribe', () =>
      client('openai-chat+transcribe').audio.transcriptions.create({ model: 'mission-agent', file: audio }).catch(() => undefined),
    );
    const { code, out } = await verify('--product', 'open-webui', '--runbook', productFile('open-webui'), file);
    expect(out[0]).toMatch(/:1: POST \/api\/tenant\/v1\/audio\/transcriptions: the runbook marks transcriptions not_supported/);
    expect(code).toBe(1);
  });

  it('fails a product configured as documented (no /v1), with the fix', async () => {
    const file = await record('no-v1', () => client('openai-chat', tenant.baseUrl).models.list().catch(() => undefined));
    const { code, out } = await verify('--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), file);
    expect(out[0]).toBe(`${file}:1: GET /api/tenant/models: not a GT route; with /v1 it would be /api/tenant/v1/models: the product's base URL must end in /api/tenant/v1`);
    expect(code).toBe(1);
  });

  it('fails requests without bearer auth, without the conversation header, or with a body the contract refuses', async () => {
    const lines = [
      { method: 'GET', path: '/api/tenant/v1/models', headers: {}, status: 401 },
      { method: 'POST', path: '/api/tenant/v1/conversations/files', headers: { authorization: 'Bearer gtak_****abcd' }, body: { kind: 'multipart', bytes: 10, parts: [{ name: 'file', filename: 'a.txt', bytes: 3 }] }, status: 400 },
      { method: 'POST', path: '/api/tenant/v1/chat/completions', headers: { authorization: 'Bearer gtak_****abcd' }, body: { kind: 'json', bytes: 20, json: { model: 'mission-agent', messages: [] } }, status: 400 },
    ];
    const file = path.join(dir, 'hand.jsonl');
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const { code, out } = await verify('--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), file);
    expect(out).toEqual([
      `${file}:1: GET /api/tenant/v1/models: no bearer Authorization header (every GT route needs Authorization: Bearer gtak_...)`,
      `${file}:2: POST /api/tenant/v1/conversations/files: conversation-files needs the X-GT-Conversation-Id header (R9)`,
      `${file}:3: POST /api/tenant/v1/chat/completions: request body: messages: must NOT have fewer than 1 items`,
      'OpenAI SDK / curl: 3 requests checked, 3 problems',
    ]);
    expect(code).toBe(1);
  });

  it('exits 2 with one line for bad input', async () => {
    const broken = path.join(dir, 'broken.jsonl');
    writeFileSync(broken, `${readFileSync(sdkTraffic, 'utf8').split('\n')[0]}\n{not json\n`);
    expect(await verify('--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), broken)).toMatchObject({ code: 2, err: [`gt-conformance verify-client: ${broken}:2: not valid JSON (a traffic file holds one JSON object per line, as written by mock --record, or is a HAR file)`] });
    expect(await verify('--product', 'nope', sdkTraffic)).toMatchObject({ code: 2, err: [expect.stringMatching(/unknown product "nope"; products: .*openai-sdk/)] });
    expect(await verify(sdkTraffic)).toMatchObject({ code: 2, err: [expect.stringContaining('--product ID is required')] });
    expect(await verify('--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), path.join(dir, 'missing.jsonl'))).toMatchObject({ code: 2, err: [expect.stringContaining('missing.jsonl: file not found')] });
  });
});
