// The preflight, against servers that are not a usable GT tenant: each stops the run with one line naming the cause,
// after one request per key and nothing else.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import type { Target } from '../../src/model.ts';
import { preflight, PreflightError } from '../../src/run/preflight.ts';

const contract = loadContract();
const limits = { concurrency: 2, timeoutMs: 5_000 };
const secrets = { secretOf: (name: string) => `sk-preflight-${name}-0123456789` };
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

function target(baseUrl: string, keys = ['chat', 'upload']): Target {
  return {
    kind: 'live',
    baseUrl,
    uploads: true,
    keys: keys.map((name) => ({ name, purpose: 'inference' as const, scopes: [], secret_env: `GT_KEY_${name.toUpperCase()}`, models: [], hidden_models: [], datasets: [], family: name })),
  };
}

async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ baseUrl: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    answer(req, res);
  });
  servers.push(server);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/tenant`, requests };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  await new Promise((closed) => server.close(closed));
  return port;
}

async function refusal(t: Target): Promise<string> {
  const err = await preflight(t, secrets, contract, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PreflightError);
  const message = (err as Error).message;
  expect(message).not.toContain('\n');
  for (const key of t.keys) expect(message).not.toContain(secrets.secretOf(key.name));
  return message;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('preflight', () => {
  it('passes a tenant that answers each key with a model list or an OpenAI-shaped error, one request per key', async () => {
    const tenant = await serve((req, res) => (req.headers.authorization?.includes('upload') ? json(res, 403, { error: { message: 'scope' } }) : json(res, 200, { object: 'list', data: [] })));
    const result = await preflight(target(tenant.baseUrl), secrets, contract, limits);
    expect(result).toEqual({ requests: 2, keys: { chat: '200', upload: '403' } });
    expect(tenant.requests).toEqual(['GET /api/tenant/v1/models', 'GET /api/tenant/v1/models']);
  });

  it('stops on a closed port: the tenant cannot be reached', async () => {
    const message = await refusal(target(`http://127.0.0.1:${await closedPort()}/api/tenant`));
    expect(message).toMatch(/^the tenant cannot be reached: GET http:\/\/127\.0\.0\.1:\d+\/api\/tenant\/v1\/models: .*nothing else was sent$/);
  });

  it('stops when TLS fails (https to a server that speaks plain HTTP)', async () => {
    const plain = await serve((_req, res) => json(res, 200, { object: 'list', data: [] }));
    const message = await refusal(target(plain.baseUrl.replace('http:', 'https:')));
    expect(message).toMatch(/^TLS to the tenant failed: /);
  });

  it('stops on a server that answers HTML, naming the status and content type', async () => {
    const site = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Welcome</body></html>');
    });
    const message = await refusal(target(site.baseUrl));
    expect(message).toContain('does not answer as the GT API');
    expect(message).toContain('answered 200 text/html');
    expect(site.requests).toHaveLength(2);
  });

  it('stops on JSON that is neither a model list nor an error (a base URL one level off)', async () => {
    const other = await serve((_req, res) => json(res, 200, { status: 'ok', version: '1.0' }));
    expect(await refusal(target(other.baseUrl))).toContain('does not answer as the GT API');
  });

  it('stops when every key is refused with 401, naming the env vars to check', async () => {
    const tenant = await serve((_req, res) => json(res, 401, { error: { message: 'invalid api key' } }));
    const message = await refusal(target(tenant.baseUrl));
    expect(message).toContain('every key of the target file is refused with 401');
    expect(message).toContain('GT_KEY_CHAT, GT_KEY_UPLOAD');
  });

  it('stops when every key that may list models is told the route does not exist (a base URL without /api/tenant)', async () => {
    const root = await serve((_req, res) => json(res, 404, { error: { message: 'not found', type: 'not_found' } }));
    const listing = { ...target(root.baseUrl, ['chat']).keys[0], models: ['mission-agent'] };
    const upload = { ...listing, name: 'upload', purpose: 'upload' as const, models: [], datasets: ['d1'] };
    const message = await refusal({ ...target(root.baseUrl), keys: [listing, upload] });
    expect(message).toBe(`127.0.0.1:${new URL(root.baseUrl).port} answered 404 to GET ${root.baseUrl}/v1/models for every key that may list models (chat): is base_url the tenant's /api/tenant?; nothing else was sent`);
  });

  it('stops on every key answered 404 though the target file names no models for them (the route exists for their purpose)', async () => {
    const root = await serve((_req, res) => json(res, 404, { error: { message: 'not found', type: 'not_found' } }));
    const message = await refusal(target(root.baseUrl));
    expect(message).toContain('answered 404 to GET');
    expect(message).toContain('for every key that may list models (chat, upload)');
    expect(root.requests).toHaveLength(2);
  });

  it('goes on when a key that may list models gets its list, though another key is answered 404', async () => {
    const tenant = await serve((req, res) => (req.headers.authorization?.includes('upload') ? json(res, 404, { error: { message: 'not found' } }) : json(res, 200, { object: 'list', data: [] })));
    const listing = { ...target(tenant.baseUrl, ['chat']).keys[0], models: ['mission-agent'] };
    const result = await preflight({ ...target(tenant.baseUrl), keys: [listing, { ...listing, name: 'upload', purpose: 'upload' as const, models: [] }] }, secrets, contract, limits);
    expect(result.keys).toEqual({ chat: '200', upload: '404' });
  });

  it('goes on when only some keys are refused with 401 (a revoked key is expected to be)', async () => {
    const tenant = await serve((req, res) => (req.headers.authorization?.includes('chat') ? json(res, 200, { object: 'list', data: [] }) : json(res, 401, { error: { message: 'invalid api key' } })));
    const result = await preflight(target(tenant.baseUrl), secrets, contract, limits);
    expect(result.keys).toEqual({ chat: '200', upload: '401' });
  });
});
