// Every denial class of the tenant: 401 for bad keys, 403 for purpose/scope/model/dataset,
// 404/405 for unknown routes, 400 for bad bodies, 413 for size limits, 429 in rate-limit mode.
import { request as httpRequest } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { startTenant, type TenantSeed } from '../../src/tenant/index.ts';
import { API, chatBody, expectErrorBody, PDF_BYTES, testTenant } from './helpers.ts';

describe('401 for missing, malformed, unknown and revoked keys', () => {
  const t = testTenant();
  const unknown = 'gtak_ThisKeyIsWellFormedButUnknown123';
  const cases: Array<[string, string | undefined]> = [
    ['no Authorization header', undefined],
    ['an empty bearer', 'Bearer '],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a bearer without the gtak_ prefix', 'Bearer sk-proj-NotAGtKeyAtAll12345'],
    ['a gtak_ bearer too short to be a key', 'Bearer gtak_abc'],
    ['an unknown well-formed key', `Bearer ${unknown}`],
    ['a revoked key', t.bearer('revoked')],
  ];
  const routes: Array<[string, string, Record<string, unknown> | undefined]> = [
    ['GET', `${API}/models`, undefined],
    ['POST', `${API}/chat/completions`, chatBody()],
    ['POST', `${API}/embeddings`, { model: 'mission-agent', input: 'x' }],
    ['POST', `${API}/conversations`, { model: 'mission-agent' }],
    ['GET', `${API}/files/file_x`, undefined],
  ];

  for (const [label, header] of cases) {
    it(`answers ${label} with 401 on every route, without echoing the token`, async () => {
      for (const [method, path, body] of routes) {
        let req = method === 'GET' ? t.http.get(path) : t.http.post(path).send(body);
        if (header !== undefined) req = req.set('Authorization', header);
        const res = await req;
        const error = expectErrorBody(res, 401);
        expect(res.headers['www-authenticate']).toBe('Bearer');
        const token = header?.split(' ')[1];
        if (token) expect(res.text).not.toContain(token);
        expect(error.message).not.toMatch(/gtak_[A-Za-z0-9]/);
      }
    });
  }

  it('answers 401 before looking at the body', async () => {
    const res = await t.http.post(`${API}/chat/completions`).set('Content-Type', 'application/json').send('{not json');
    expectErrorBody(res, 401);
  });
});

describe('403 for a missing purpose or scope', () => {
  const t = testTenant();
  const wav = Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1');
  const calls = {
    chat: (key: string) => t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer(key)).send(chatBody()),
    embeddings: (key: string) => t.http.post(`${API}/embeddings`).set('Authorization', t.bearer(key)).send({ model: 'mission-agent', input: 'x' }),
    transcriptions: (key: string) => t.http.post(`${API}/audio/transcriptions`).set('Authorization', t.bearer(key)).field('model', 'mission-agent').attach('file', wav, 'a.wav'),
    speech: (key: string) => t.http.post(`${API}/audio/speech`).set('Authorization', t.bearer(key)).send({ model: 'mission-agent', input: 'x' }),
    images: (key: string) => t.http.post(`${API}/images/generations`).set('Authorization', t.bearer(key)).send({ model: 'mission-agent', prompt: 'x' }),
    datasetFiles: (key: string) => t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', t.bearer(key)).attach('file', PDF_BYTES, 'a.pdf'),
    fileStatus: (key: string) => t.http.get(`${API}/files/file_x`).set('Authorization', t.bearer(key)),
  };

  const denied: Array<[keyof typeof calls, string, string]> = [
    ['embeddings', 'openai-chat', 'inference:embed'],
    ['transcriptions', 'openai-chat', 'inference:transcribe'],
    ['speech', 'openai-chat', 'inference:speech'],
    ['images', 'openai-chat', 'inference:image'],
    ['chat', 'image-generation', 'inference:chat'],
    ['speech', 'chat-embeddings', 'inference:speech'],
    ['embeddings', 'voice-audio', 'inference:embed'],
    ['images', 'conversation-app', 'inference:image'],
    ['chat', 'dataset-upload', 'purpose'],
    ['embeddings', 'conversation-app.upload', 'purpose'],
    ['datasetFiles', 'openai-chat', 'purpose'],
    ['fileStatus', 'openai-chat', 'purpose'],
  ];
  for (const [route, key, missing] of denied) {
    it(`denies ${route} to ${key} (${missing}) with 403`, async () => {
      const error = expectErrorBody(await calls[route](key), 403);
      expect(error.type).toBe('permission_error');
      expect(error.code).toBe(missing === 'purpose' ? 'purpose_not_allowed' : 'missing_scope');
    });
  }

  it('serves each preset-plus-one-scope key on its extra route and on no other', async () => {
    const extra = { embeddings: 'openai-chat+embed', transcriptions: 'openai-chat+transcribe', speech: 'openai-chat+speech', images: 'openai-chat+image' } as const;
    for (const [route, key] of Object.entries(extra) as Array<[keyof typeof extra, string]>) {
      for (const other of Object.keys(extra) as Array<keyof typeof extra>) {
        expect((await calls[other](key)).status, `${other} with ${key}`).toBe(other === route ? 200 : 403);
      }
      expect((await calls.chat(key)).status).toBe(200);
    }
  });
});

describe('403 for a model or dataset not on the allowlist', () => {
  const t = testTenant();

  it('denies every model-bound route a hidden published name and an unpublished name alike', async () => {
    const key = t.target.keys.find((k) => k.name === 'openai-chat+embed')!;
    for (const model of [...key.hidden_models, 'never-published']) {
      const chat = expectErrorBody(await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer(key.name)).send(chatBody(model)), 403);
      expect(chat.code).toBe('model_not_allowed');
      expectErrorBody(await t.http.post(`${API}/embeddings`).set('Authorization', t.bearer(key.name)).send({ model, input: 'x' }), 403);
    }
    expectErrorBody(await t.http.post(`${API}/audio/speech`).set('Authorization', t.bearer('voice-audio')).send({ model: 'mission-agent', input: 'x' }), 403);
    expectErrorBody(await t.http.post(`${API}/images/generations`).set('Authorization', t.bearer('image-generation')).send({ model: 'internal-ops-agent', prompt: 'x' }), 403);
    expectErrorBody(await t.http.post(`${API}/audio/transcriptions`).set('Authorization', t.bearer('voice-audio')).field('model', 'gpt-4o-2024-08-06').attach('file', Buffer.from('RIFF'), 'a.wav'), 403);
  });

  it('denies the dataset on no allowlist', async () => {
    const error = expectErrorBody(await t.http.post(`${API}/datasets/restricted-archive/files`).set('Authorization', t.bearer('dataset-upload')).attach('file', PDF_BYTES, 'a.pdf'), 403);
    expect(error.code).toBe('dataset_not_allowed');
  });

  it('denies a conversation key without a linked upload key the conversation upload (no conversations:upload)', async () => {
    const seed: TenantSeed = {
      published: ['alias-a'],
      datasets: [],
      keys: [
        { name: 'chat-only-app', preset: 'conversation-app', links: { inference: 'chat-only-app.inference' } },
        { name: 'chat-only-app.inference', purpose: 'inference', scopes: ['inference:chat'], models: ['alias-a'] },
      ],
    };
    const only = testTenant({ seed });
    expect(only.target.keys[0].scopes).toEqual(['inference:chat']);
    const conv = await only.http.post(`${API}/conversations`).set('Authorization', only.bearer('chat-only-app')).send({ model: 'alias-a' }).expect(201);
    const res = await only.http.post(`${API}/conversations/files`).set('Authorization', only.bearer('chat-only-app'))
      .set('X-GT-Conversation-Id', conv.body.id).attach('file', PDF_BYTES, 'a.pdf');
    expect(expectErrorBody(res, 403).code).toBe('missing_scope');
  });
});

describe('404, 405, 400, 413', () => {
  const t = testTenant({ bodyLimitBytes: 2048, uploadLimitBytes: 1024 });

  it('answers unknown routes, and the routes without /v1, with 404', async () => {
    for (const path of ['/api/tenant/v1/nope', '/api/tenant/models', '/api/tenant/chat/completions', '/v1/models', '/']) {
      expectErrorBody(await t.http.get(path).set('Authorization', t.bearer('openai-chat')), 404);
    }
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const res = await t.http.get(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat'));
    expectErrorBody(res, 405);
    expect(res.headers.allow).toBe('POST');
    const remove = await t.http.delete(`${API}/models`);
    expect(expectErrorBody(remove, 405)).toEqual({ message: 'method not allowed; use GET', type: 'invalid_request_error', code: 'method_not_allowed' });
    expect(remove.headers.allow).toBe('GET');
  });

  it('answers an unknown file id with 404', async () => {
    expect(expectErrorBody(await t.http.get(`${API}/files/file_unknown`).set('Authorization', t.bearer('dataset-upload')), 404).code).toBe('file_not_found');
  });

  it('answers malformed JSON and missing or mistyped fields with 400', async () => {
    // a key that holds what each route needs, so that only the body can be refused
    const keyFor = (path: string) => (path === '/conversations' ? 'conversation-app' : 'chat-embeddings');
    const post = (path: string, body: string | object) => t.http.post(`${API}${path}`).set('Authorization', t.bearer(keyFor(path))).set('Content-Type', 'application/json').send(body);
    const bad: Array<[string, string | object]> = [
      ['/chat/completions', '{"model": "mission-agent", '],
      ['/chat/completions', '[1, 2]'],
      ['/chat/completions', { messages: [{ role: 'user', content: 'x' }] }],
      ['/chat/completions', { model: 'mission-agent' }],
      ['/chat/completions', { model: 'mission-agent', messages: [] }],
      ['/chat/completions', { model: 'mission-agent', messages: [{ content: 'no role' }] }],
      ['/chat/completions', { model: 'mission-agent', messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }],
      ['/chat/completions', { model: 42, messages: [{ role: 'user', content: 'x' }] }],
      ['/embeddings', { model: 'mission-agent' }],
      ['/embeddings', { model: 'mission-agent', input: [] }],
      ['/embeddings', { model: 'mission-agent', input: [1, 'a'] }],
      ['/conversations', {}],
      ['/conversations', { model: 'mission-agent', title: 7 }],
    ];
    for (const [path, body] of bad) {
      const res = await post(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expectErrorBody(res, 400);
    }
  });

  it('answers a JSON body over the body limit with 413', async () => {
    const res = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).send(chatBody('mission-agent', 'x'.repeat(4096)));
    expect(expectErrorBody(res, 413).code).toBe('payload_too_large');
  });

  it('answers a file over the upload limit with 413', async () => {
    const res = await t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', t.bearer('dataset-upload')).attach('file', Buffer.alloc(1500, 65), 'big.txt');
    expectErrorBody(res, 413);
    await t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', t.bearer('dataset-upload')).attach('file', Buffer.alloc(1000, 65), 'ok.txt').expect(201);
  });

  it('rejects a non-multipart upload with 400', async () => {
    expectErrorBody(await t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', t.bearer('dataset-upload')).send({ file: 'x' }), 400);
  });
});

describe('knobs: rate limit and latency', () => {
  it('answers every Nth request with 429 and Retry-After', async () => {
    const t = testTenant({ rateLimit: { every: 3, retryAfterSeconds: 7 } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await t.http.get(`${API}/models`).set('Authorization', t.bearer('openai-chat'));
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers['retry-after']).toBe('7');
        expect(expectErrorBody(res, 429).type).toBe('rate_limit_error');
      }
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
  });

  it('adds the configured latency to every answer', async () => {
    // setTimeout is vitest's fake one: the answer comes when the fake clock reaches the latency, not before.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const t = testTenant({ latencyMs: 120 });
      let answered = false;
      const answer = t.http.get(`${API}/models`).set('Authorization', t.bearer('openai-chat')).then((res) => ((answered = true), res));
      while (vi.getTimerCount() === 0) await new Promise((resolve) => setImmediate(resolve)); // the request reached the tenant
      await vi.advanceTimersByTimeAsync(119);
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((await answer).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('raw request paths', () => {
  it('rejects a dataset id of ".." sent verbatim with 400', async () => {
    const tenant = await startTenant();
    try {
      const url = new URL(tenant.baseUrl);
      const boundary = 'b0undary';
      const body = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello\r\n--${boundary}--\r\n`);
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/api/tenant/v1/datasets/../files',
          headers: { Authorization: `Bearer ${tenant.secrets['dataset-upload']}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': body.length },
        }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body);
      });
      expect(status).toBe(400);
    } finally {
      await tenant.close();
    }
  });
});
