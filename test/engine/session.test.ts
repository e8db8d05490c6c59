// createSession: one plan run against one target with the real probe kinds, the HTTP client and an SDK
// driver sharing the run's request budget. Against an embedded tenant started on 127.0.0.1.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSession } from '../../src/engine/session.ts';
import { loadContract } from '../../src/contract/load.ts';
import { redact } from '../../src/http/redact.ts';
import type { Probe, RunLimits } from '../../src/model.ts';
import { startTenant, type RunningTenant } from '../../src/tenant/index.ts';

let tenant: RunningTenant;
beforeAll(async () => {
  tenant = await startTenant({ freshSecrets: true });
});
afterAll(() => tenant.close());

const contract = loadContract();
const LIMITS: RunLimits = { concurrency: 2, timeoutMs: 30_000, pollDeadlineMs: 30_000, runDeadlineMs: 120_000, budget: 100 };
const models = (driver: Probe['driver'], key = 'openai-chat'): Probe => ({ id: `models:call:${key}:${driver}`, route: 'models', kind: 'call', key, keyPreset: key, expect: 'success', driver });

function session(probes: Probe[], limits: Partial<RunLimits> = {}, secretOf: (name: string) => string | undefined = (name) => tenant.secrets[name]) {
  return createSession({ contract, plan: { probes }, target: tenant.target, secrets: { secretOf }, seed: 7, strict: false, limits: { ...LIMITS, ...limits } });
}

describe('createSession', () => {
  it('runs probes over plain HTTP and through an SDK driver, counting the requests of both', async () => {
    const progress: number[] = [];
    const s = createSession({
      contract,
      plan: { probes: [models('http'), models('openai')] },
      target: tenant.target,
      secrets: { secretOf: (name) => tenant.secrets[name] },
      seed: 7,
      strict: false,
      limits: LIMITS,
      onProgress: (_r, done) => progress.push(done),
    });
    try {
      const results = await s.engine.runAll();
      expect([...results.values()].map((r) => [r.probeId, r.status])).toEqual([
        ['models:call:openai-chat:http', 'passed'],
        ['models:call:openai-chat:openai', 'passed'],
      ]);
      expect(results.get('models:call:openai-chat:openai')!.exchanges.map((e) => [e.request.url, e.response?.status])).toEqual([[`${tenant.baseUrl}/v1/models`, 200]]);
      expect(s.engine.requestsSent()).toBe(2);
      expect(progress).toEqual([1, 2]);
    } finally {
      await s.close();
    }
  });

  it('spends one request budget for the HTTP client and the SDK drivers alike', async () => {
    const s = session([models('http'), models('openai', 'chat-embeddings')], { budget: 1 });
    try {
      const results = await s.engine.runAll();
      const statuses = [...results.values()].map((r) => r.status).sort();
      expect(statuses).toEqual(['not_run', 'passed']);
      expect([...results.values()].find((r) => r.status === 'not_run')!.message).toBe('not run: the request budget of 1 requests was spent');
      expect(s.engine.requestsSent()).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('--max-failures: once N probes failed, no request not yet sent is sent; the one already sent is judged', async () => {
    const noSecret = (id: string): Probe => ({ ...models('http', 'chat-embeddings'), id });
    const good = (id: string): Probe => ({ ...models('http'), id });
    // The engine starts one probe per turn of the event loop, in this order (all chains are one request long):
    // "first" has its request on the wire when the two that fail at once have stopped the run.
    const s = session([good('first'), noSecret('fails-1'), noSecret('fails-2'), good('second'), good('third')], { concurrency: 1, maxFailures: 2 }, (name) => (name === 'chat-embeddings' ? undefined : tenant.secrets[name]));
    try {
      const results = await s.engine.runAll();
      expect(Object.fromEntries([...results].map(([id, r]) => [id, r.status]))).toEqual({ 'fails-1': 'failed', 'fails-2': 'failed', first: 'passed', second: 'not_run', third: 'not_run' });
      expect(results.get('second')!.message).toBe('not run: the run stopped once 2 probes had failed (--max-failures 2)');
      expect(results.get('second')!.exchanges).toEqual([]);
      expect(s.engine.requestsSent()).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('gives the driver the tenant\'s /v1 base URL and the key\'s secret, and refuses a driver it does not have', async () => {
    const s = session([{ ...models('http'), id: 'nope', driver: 'nope' as Probe['driver'] }]);
    try {
      expect((await s.engine.run('nope')).message).toBe('models with key openai-chat: no client driver "nope"');
    } finally {
      await s.close();
    }
  });

  it('lists the secrets of the target\'s keys it has, and masks them everywhere from then on', async () => {
    const known = tenant.target.keys[0].name;
    const s = session([], {}, (name) => (name === known ? tenant.secrets[name] : undefined));
    try {
      expect(s.secretValues).toEqual([tenant.secrets[known]]);
      expect(redact(`echo ${tenant.secrets[known]}`)).not.toContain(tenant.secrets[known]);
    } finally {
      await s.close();
    }
  });

  it('gives the engine the run deadline: no probe starts once it has passed', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-05-01T10:00:00Z'), toFake: ['Date'] });
    const s = session([models('http'), models('openai')], { runDeadlineMs: 1_000 });
    try {
      vi.setSystemTime(Date.parse('2026-05-01T10:00:01.001Z'));
      const results = await s.engine.runAll();
      expect([...results.values()].map((r) => r.message)).toEqual(['not run: the run deadline of 1000 ms was reached', 'not run: the run deadline of 1000 ms was reached']);
      expect(s.engine.requestsSent()).toBe(0);
    } finally {
      vi.useRealTimers();
      await s.close();
    }
  });

  it('waits out up to three 429 answers that say Retry-After, then takes the fourth answer', async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (hits.length <= 3) res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"error":{"message":"slow down"}}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/tenant`;
    const s = createSession({ contract, plan: { probes: [models('http')] }, target: { ...tenant.target, baseUrl }, secrets: { secretOf: (name) => tenant.secrets[name] }, seed: 7, strict: false, limits: LIMITS });
    try {
      await s.engine.run('models:call:openai-chat:http');
      expect(hits).toEqual(Array(4).fill('/api/tenant/v1/models'));
    } finally {
      await s.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('closes its connections: a session closed cannot send', async () => {
    const s = session([models('http')]);
    await s.close();
    expect((await s.engine.run('models:call:openai-chat:http')).status).toBe('failed');
  });
});
