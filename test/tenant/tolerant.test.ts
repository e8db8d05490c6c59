// The tolerant profile makes the other allowed choice on every open point of GT-API.md.
import { describe, expect, it } from 'vitest';
import type { Test } from 'supertest';
import { API, chatBody, expectErrorBody, PDF_BYTES, testTenant } from './helpers.ts';

/** Sends a request, and once more after the tolerant profile's first-request 429. */
async function send(build: () => Test) {
  const first = await build();
  return first.status === 429 ? build() : first;
}

describe('tolerant profile', () => {
  it('answers the first request of each key to each route 429 with Retry-After: 1, then serves it', async () => {
    const t = testTenant({ profile: 'tolerant' });
    const models = (key: string) => t.http.get(`${API}/models`).set('Authorization', t.bearer(key));
    const first = await models('openai-chat');
    expectErrorBody(first, 429);
    expect(first.headers['retry-after']).toBe('1');
    expect((await models('openai-chat')).status).toBe(200);
    expect((await models('chat-embeddings')).status).toBe(429); // another key: its own first request
    expect((await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).send(chatBody())).status).toBe(429); // another route
  });

  it('answers 404 for a model or dataset not on the allowlist', async () => {
    const t = testTenant({ profile: 'tolerant' });
    expectErrorBody(await send(() => t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).send(chatBody('internal-ops-agent'))), 404);
    expectErrorBody(await send(() => t.http.post(`${API}/datasets/restricted-archive/files`).set('Authorization', t.bearer('dataset-upload')).attach('file', PDF_BYTES, 'a.pdf')), 404);
    // a missing scope is still 403: that point is not open
    expectErrorBody(await send(() => t.http.post(`${API}/embeddings`).set('Authorization', t.bearer('openai-chat')).send({ model: 'mission-agent', input: 'x' })), 403);
  });

  it('answers 403 for another family\'s conversation and file', async () => {
    const t = testTenant({ profile: 'tolerant', processingMs: 0 });
    const conv = await send(() => t.http.post(`${API}/conversations`).set('Authorization', t.bearer('other-family')).send({ model: 'partner-agent' }));
    expect(conv.status).toBe(200);
    expect(conv.headers['x-gt-conversation-id']).toBe(conv.body.id);
    expectErrorBody(await send(() => t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('conversation-app')).set('X-GT-Conversation-Id', conv.body.id).send(chatBody())), 403);
    expectErrorBody(await send(() => t.http.post(`${API}/conversations/files`).set('Authorization', t.bearer('conversation-app')).set('X-GT-Conversation-Id', conv.body.id).attach('file', PDF_BYTES, 'a.pdf')), 403);
    const file = await send(() => t.http.post(`${API}/conversations/files`).set('Authorization', t.bearer('other-family')).set('X-GT-Conversation-Id', conv.body.id).attach('file', PDF_BYTES, 'a.pdf'));
    expect(file.status).toBe(202);
    expectErrorBody(await send(() => t.http.get(`${API}/files/${file.body.id}`).set('Authorization', t.bearer('conversation-app'))), 403);
  });

  it('answers 422 for malformed JSON, a missing field and a missing conversation header, with code null', async () => {
    const t = testTenant({ profile: 'tolerant' });
    const malformed = expectErrorBody(await send(() => t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).set('Content-Type', 'application/json').send('{oops')), 422);
    expect(malformed.code).toBeNull();
    expectErrorBody(await send(() => t.http.post(`${API}/embeddings`).set('Authorization', t.bearer('chat-embeddings')).send({ model: 'mission-agent' })), 422);
    expectErrorBody(await send(() => t.http.post(`${API}/conversations/files`).set('Authorization', t.bearer('conversation-app')).attach('file', PDF_BYTES, 'a.pdf')), 422);
    expect(expectErrorBody(await t.http.get(`${API}/models`), 401).code).toBeNull();
  });

  it('uses queued and indexing as non-terminal states, 202 for uploads, error.message for a failure', async () => {
    const t = testTenant({ profile: 'tolerant', processingMs: 300 });
    const good = await send(() => t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', t.bearer('dataset-upload')).attach('file', PDF_BYTES, 'a.pdf'));
    const bad = await t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', t.bearer('dataset-upload')).attach('file', Buffer.from('nope'), 'b.pdf');
    expect([good.status, bad.status]).toEqual([202, 202]);
    expect(good.body.status).toBe('queued');
    const read = (id: string) => send(() => t.http.get(`${API}/uploads/${id}`).set('Authorization', t.bearer('dataset-upload')));
    t.advance(150);
    expect((await read(good.body.id)).body.status).toBe('indexing');
    t.advance(200);
    expect((await read(good.body.id)).body.status).toBe('ready');
    const failed = (await read(bad.body.id)).body;
    expect(failed.status).toBe('failed');
    expect(failed.reason).toBeUndefined();
    expect(failed.error.message).toMatch(/not PDF/);
  });

  it('answers an upload key on the models route with an empty list', async () => {
    const t = testTenant({ profile: 'tolerant' });
    const res = await send(() => t.http.get(`${API}/models`).set('Authorization', t.bearer('dataset-upload')));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ object: 'list', data: [] });
  });

  it('also serves the routes without /v1', async () => {
    const t = testTenant({ profile: 'tolerant' });
    const res = await send(() => t.http.get('/api/tenant/models').set('Authorization', t.bearer('openai-chat')));
    expect(res.status).toBe(200);
    expect(res.body.data.map((m: { id: string }) => m.id)).toContain('mission-agent');
    const chat = await send(() => t.http.post('/api/tenant/chat/completions').set('Authorization', t.bearer('openai-chat')).send(chatBody()));
    expect(chat.body.object).toBe('chat.completion');
  });
});
