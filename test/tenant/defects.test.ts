// Each defect observably changes the tenant's behaviour: every case runs once against a clean
// tenant and once with the defect switched on, and asserts the difference. A defect without a case fails.
import { describe, expect, it } from 'vitest';
import { createTenant, DEFECTS, UnknownDefectError, type TenantOptions } from '../../src/tenant/index.ts';
import { PNG_SIGNATURE } from '../../src/tenant/content/png.ts';
import { UNDECODABLE_MARKER } from '../../src/tenant/content/decode-check.ts';
import { API, binary, chatBody, expectErrorBody, PDF_BYTES, sseData, testTenant, type TestTenant } from './helpers.ts';

interface DefectCase {
  options?: TenantOptions;
  check(t: TestTenant, defective: boolean): Promise<void>;
}

const UNKNOWN_KEY = 'gtak_WellFormedButUnknownKey0042';

async function uploadToDataset(t: TestTenant, data = PDF_BYTES, name = 'a.pdf') {
  return (await t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', t.bearer('dataset-upload')).attach('file', data, name).expect(201)).body.id as string;
}
const fileStatus = async (t: TestTenant, id: string, path = 'files', key = 'dataset-upload') =>
  t.http.get(`${API}/${path}/${id}`).set('Authorization', t.bearer(key));
const conversation = async (t: TestTenant, key: string, model: string) =>
  (await t.http.post(`${API}/conversations`).set('Authorization', t.bearer(key)).send({ model }).expect(201)).body.id as string;
const stream = (t: TestTenant, extra: Record<string, unknown> = {}) =>
  t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).send(chatBody('mission-agent', 'hi', { stream: true, ...extra })).buffer(true).parse(binary);
const embed = (t: TestTenant, body: Record<string, unknown>) =>
  t.http.post(`${API}/embeddings`).set('Authorization', t.bearer('chat-embeddings')).send({ model: 'mission-agent', ...body });

const cases: Record<string, DefectCase> = {
  'models-leak': {
    async check(t, defective) {
      const ids = (await t.http.get(`${API}/models`).set('Authorization', t.bearer('openai-chat')).expect(200)).body.data.map((m: { id: string }) => m.id);
      expect(ids.includes('internal-ops-agent')).toBe(defective);
      expect(ids.includes('gpt-4o-2024-08-06')).toBe(defective);
    },
  },
  'embed-scope-skipped': {
    async check(t, defective) {
      const res = await t.http.post(`${API}/embeddings`).set('Authorization', t.bearer('openai-chat')).send({ model: 'mission-agent', input: 'x' });
      expect(res.status).toBe(defective ? 200 : 403);
    },
  },
  'transcribe-scope-skipped': {
    async check(t, defective) {
      const res = await t.http.post(`${API}/audio/transcriptions`).set('Authorization', t.bearer('openai-chat')).field('model', 'mission-agent').attach('file', Buffer.from('RIFF'), 'a.wav');
      expect(res.status).toBe(defective ? 200 : 403);
    },
  },
  'revoked-key-accepted': {
    async check(t, defective) {
      expect((await t.http.get(`${API}/models`).set('Authorization', t.bearer('revoked'))).status).toBe(defective ? 200 : 401);
    },
  },
  'malformed-key-accepted': {
    async check(t, defective) {
      const res = await t.http.get(`${API}/models`).set('Authorization', 'Bearer not-a-gt-key');
      expect(res.status).toBe(defective ? 200 : 401);
      if (defective) expect(res.body.data.map((m: { id: string }) => m.id)).toContain('mission-agent');
    },
  },
  'upload-stuck-processing': {
    async check(t, defective) {
      const id = await uploadToDataset(t);
      t.advance(3_600_000);
      expect((await fileStatus(t, id)).body.status).toBe(defective ? 'processing' : 'ready');
    },
  },
  'ready-regresses': {
    async check(t, defective) {
      const id = await uploadToDataset(t);
      t.advance(1_000);
      const polls = [];
      for (let i = 0; i < 3; i++) polls.push((await fileStatus(t, id)).body.status);
      expect(polls).toEqual(defective ? ['ready', 'processing', 'ready'] : ['ready', 'ready', 'ready']);
    },
  },
  'uploads-alias-missing': {
    async check(t, defective) {
      const id = await uploadToDataset(t);
      expect((await fileStatus(t, id, 'uploads')).status).toBe(defective ? 404 : 200);
      expect((await fileStatus(t, id, 'files')).status).toBe(200);
    },
  },
  'sse-no-done': {
    async check(t, defective) {
      const events = sseData((await stream(t).expect(200)).body.toString());
      expect(events.at(-1) === '[DONE]').toBe(!defective);
    },
  },
  'sse-json-content-type': {
    async check(t, defective) {
      const res = await stream(t).expect(200);
      expect(res.headers['content-type']).toMatch(defective ? /^application\/json/ : /^text\/event-stream/);
    },
  },
  'base64-ignored': {
    async check(t, defective) {
      const res = await embed(t, { input: 'x', encoding_format: 'base64' }).expect(200);
      expect(typeof res.body.data[0].embedding).toBe(defective ? 'object' : 'string');
    },
  },
  'conversation-upload-no-header': {
    async check(t, defective) {
      const res = await t.http.post(`${API}/conversations/files`).set('Authorization', t.bearer('conversation-app')).attach('file', PDF_BYTES, 'a.pdf');
      expect(res.status).toBe(defective ? 201 : 400);
      if (defective) expect(res.body.conversation_id).toMatch(/^conv_/);
    },
  },
  'cross-family-file-visible': {
    async check(t, defective) {
      const id = await uploadToDataset(t);
      expect((await fileStatus(t, id, 'files', 'other-family')).status).toBe(defective ? 200 : 404);
    },
  },
  'cross-family-conversation-visible': {
    async check(t, defective) {
      const foreign = await conversation(t, 'other-family', 'partner-agent');
      const chat = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('conversation-app')).set('X-GT-Conversation-Id', foreign).send(chatBody());
      expect(chat.status).toBe(defective ? 200 : 404);
      const upload = await t.http.post(`${API}/conversations/files`).set('Authorization', t.bearer('conversation-app')).set('X-GT-Conversation-Id', foreign).attach('file', PDF_BYTES, 'a.pdf');
      expect(upload.status).toBe(defective ? 201 : 404);
    },
  },
  'errors-plain-text': {
    async check(t, defective) {
      const res = await t.http.get(`${API}/models`);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(defective ? /^text\/plain/ : /^application\/json/);
      expect(res.body?.error?.message === undefined).toBe(defective);
    },
  },
  'secret-echoed-401': {
    async check(t, defective) {
      const res = await t.http.get(`${API}/models`).set('Authorization', `Bearer ${UNKNOWN_KEY}`);
      expect(res.status).toBe(401);
      expect(res.text.includes(UNKNOWN_KEY)).toBe(defective);
    },
  },
  'dataset-allowlist-ignored': {
    async check(t, defective) {
      const res = await t.http.post(`${API}/datasets/restricted-archive/files`).set('Authorization', t.bearer('dataset-upload')).attach('file', PDF_BYTES, 'a.pdf');
      expect(res.status).toBe(defective ? 201 : 403);
      // a dataset that does not exist stays out of reach either way
      expect((await t.http.post(`${API}/datasets/no-such-dataset/files`).set('Authorization', t.bearer('dataset-upload')).attach('file', PDF_BYTES, 'a.pdf')).status).toBe(403);
    },
  },
  'model-allowlist-ignored': {
    async check(t, defective) {
      const chat = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).send(chatBody('internal-ops-agent'));
      expect(chat.status).toBe(defective ? 200 : 403);
      expect((await embed(t, { model: 'gpt-4o-2024-08-06', input: 'x' })).status).toBe(defective ? 200 : 403);
      expect((await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).send(chatBody('never-published'))).status).toBe(403);
    },
  },
  'conversation-header-missing': {
    async check(t, defective) {
      const res = await t.http.post(`${API}/conversations`).set('Authorization', t.bearer('conversation-app')).send({ model: 'mission-agent' }).expect(201);
      expect(res.headers['x-gt-conversation-id']).toBe(defective ? undefined : res.body.id);
    },
  },
  'embeddings-out-of-order': {
    async check(t, defective) {
      const res = await embed(t, { input: ['a', 'b', 'c'] }).expect(200);
      expect(res.body.data.map((d: { index: number }) => d.index)).toEqual(defective ? [2, 1, 0] : [0, 1, 2]);
    },
  },
  'missing-field-500': {
    async check(t, defective) {
      const res = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).send({ model: 'mission-agent' });
      expect(res.status).toBe(defective ? 500 : 400);
      // malformed JSON is still a 400
      expect((await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).set('Content-Type', 'application/json').send('{')).status).toBe(400);
    },
  },
  'failed-without-reason': {
    async check(t, defective) {
      const id = await uploadToDataset(t, Buffer.from(UNDECODABLE_MARKER), 'x.txt');
      t.advance(1_000);
      const body = (await fileStatus(t, id)).body;
      expect(body.status).toBe('failed');
      expect(body.reason === undefined).toBe(defective);
    },
  },
  'chat-object-wrong': {
    async check(t, defective) {
      const res = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).send(chatBody()).expect(200);
      expect(res.body.object).toBe(defective ? 'text_completion' : 'chat.completion');
    },
  },
  'chat-exposes-provider-id': {
    async check(t, defective) {
      const res = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).send(chatBody()).expect(200);
      const asked = chatBody().model;
      if (defective) expect(res.body.model).not.toBe(asked);
      else expect(res.body.model).toBe(asked);
    },
  },
  'stream-options-rejected': {
    async check(t, defective) {
      expect((await stream(t, { stream_options: { include_usage: true } })).status).toBe(defective ? 400 : 200);
      expect((await stream(t)).status).toBe(200);
    },
  },
  'retry-after-missing': {
    options: { rateLimit: { every: 1, retryAfterSeconds: 2 } },
    async check(t, defective) {
      const res = await t.http.get(`${API}/models`).set('Authorization', t.bearer('openai-chat'));
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe(defective ? undefined : '2');
    },
  },
  'image-not-png': {
    async check(t, defective) {
      const res = await t.http.post(`${API}/images/generations`).set('Authorization', t.bearer('image-generation')).send({ model: 'image-agent', prompt: 'x' }).expect(200);
      expect(Buffer.from(res.body.data[0].b64_json, 'base64').subarray(0, 8).equals(PNG_SIGNATURE)).toBe(!defective);
    },
  },
  'speech-wrong-format': {
    async check(t, defective) {
      const res = await t.http.post(`${API}/audio/speech`).set('Authorization', t.bearer('voice-audio')).send({ model: 'voice-agent', input: 'x', response_format: 'wav' }).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toBe('audio/wav');
      expect((res.body as Buffer).subarray(0, 4).toString('latin1') === 'RIFF').toBe(!defective);
    },
  },
  'float-default-base64': {
    async check(t, defective) {
      const res = await embed(t, { input: ['x', 'y'] }).expect(200);
      expect(typeof res.body.data[0].embedding).toBe(defective ? 'string' : 'object');
      expect(typeof (await embed(t, { input: 'x', encoding_format: 'float' })).body.data[0].embedding).toBe('object');
    },
  },
  'encoding-format-500': {
    async check(t, defective) {
      expect((await embed(t, { input: 'x', encoding_format: 'float16' })).status).toBe(defective ? 500 : 400);
      expect((await embed(t, { input: 'x', encoding_format: 'base64' })).status).toBe(200);
    },
  },
  'empty-messages-500': {
    async check(t, defective) {
      const chat = (messages: unknown[]) => t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).send({ model: 'mission-agent', messages });
      expect((await chat([])).status).toBe(defective ? 500 : 400);
      expect((await chat([{ role: 'user', content: 'hi' }])).status).toBe(200);
    },
  },
  'long-input-500': {
    async check(t, defective) {
      expect((await embed(t, { input: 'a'.repeat(70_000) })).status).toBe(defective ? 500 : 400);
      // past the model's context but short of the overflow: refused either way
      expect((await embed(t, { input: 'a'.repeat(40_000) })).status).toBe(400);
    },
  },
  'model-number-accepted': {
    async check(t, defective) {
      const res = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).send({ ...chatBody(), model: 42 });
      expect(res.status).toBe(defective ? 200 : 400);
      if (defective) expect(res.body.model).toBe('mission-agent');
      expect((await embed(t, { model: '42', input: 'x' })).status).toBe(403);
    },
  },
  'no-file-part-500': {
    async check(t, defective) {
      const res = await t.http.post(`${API}/audio/transcriptions`).set('Authorization', t.bearer('voice-audio')).field('model', 'voice-agent');
      expect(res.status).toBe(defective ? 500 : 400);
      const upload = await t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', t.bearer('dataset-upload')).field('note', 'no file');
      expect(upload.status).toBe(defective ? 500 : 400);
    },
  },
  'ready-then-failed': {
    async check(t, defective) {
      const id = await uploadToDataset(t);
      t.advance(1_000);
      const polls = [];
      for (let i = 0; i < 3; i++) polls.push((await fileStatus(t, id)).body);
      expect(polls.map((p) => p.status)).toEqual(defective ? ['ready', 'failed', 'failed'] : ['ready', 'ready', 'ready']);
      if (defective) expect(polls[1].reason).toMatch(/failed/);
    },
  },
  'scope-denial-404': {
    async check(t, defective) {
      const res = await t.http.post(`${API}/embeddings`).set('Authorization', t.bearer('openai-chat')).send({ model: 'mission-agent', input: 'x' });
      expect(res.status).toBe(defective ? 404 : 403);
      // a purpose denial stays 403
      expect((await t.http.get(`${API}/models`).set('Authorization', t.bearer('dataset-upload'))).status).toBe(403);
    },
  },
  'bearer-lowercase-refused': {
    async check(t, defective) {
      const secret = t.secrets['openai-chat'];
      expect((await t.http.get(`${API}/models`).set('Authorization', `bearer ${secret}`)).status).toBe(defective ? 401 : 200);
      expect((await t.http.get(`${API}/models`).set('Authorization', `Bearer ${secret}`)).status).toBe(200);
    },
  },
  'error-leaks-hidden-model': {
    async check(t, defective) {
      const res = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).send(chatBody('research-agent'));
      const { message } = expectErrorBody(res, 403);
      expect(message).toContain('research-agent');
      expect(message.includes('voice-agent')).toBe(defective);
    },
  },
  'sse-event-after-done': {
    async check(t, defective) {
      const events = sseData((await stream(t).expect(200)).body.toString());
      const done = events.indexOf('[DONE]');
      expect(done).toBeGreaterThan(0);
      expect(events.length - done - 1).toBe(defective ? 1 : 0);
    },
  },
};

describe('defects', () => {
  it('has a test case for every defect, and no case for an unknown defect', () => {
    expect(Object.keys(cases).sort()).toEqual(DEFECTS.map((d) => d.id).sort());
  });

  it('lists at least twenty defects with kebab-case ids, one-line descriptions and probes', () => {
    expect(DEFECTS.length).toBeGreaterThanOrEqual(20);
    for (const d of DEFECTS) {
      expect(d.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(d.description).not.toMatch(/\n/);
      expect(d.probes.length).toBeGreaterThan(10);
    }
  });

  it('rejects an unknown defect id with a one-line error', () => {
    expect(() => createTenant({ defects: ['no-such-defect'] })).toThrow(UnknownDefectError);
    expect(() => createTenant({ defects: ['no-such-defect'] })).toThrow(/^unknown defect "no-such-defect"; known defects: models-leak, [^\n]+$/);
  });

  it('reports the active defects', () => {
    expect(createTenant({ defects: ['models-leak', 'sse-no-done', 'models-leak'] }).defects).toEqual(['models-leak', 'sse-no-done']);
  });

  describe.each(DEFECTS.map((d) => d.id))('%s', (id) => {
    const defectCase = cases[id];
    it.runIf(defectCase)('a clean tenant behaves', async () => {
      await defectCase.check(testTenant({ processingMs: 100, ...defectCase.options }), false);
    });
    it.runIf(defectCase)('the defect changes the behaviour', async () => {
      await defectCase.check(testTenant({ processingMs: 100, ...defectCase.options, defects: [id] }), true);
    });
  });
});
