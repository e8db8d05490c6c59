// The tenant's answers, in both profiles, match the OpenAPI contract (fixtures/contract/openapi.yaml):
// documented status, schema, media type and required headers; every error body; every SSE chunk.
import { describe, expect, it } from 'vitest';
import type { Response, Test } from 'supertest';
import { createContractValidator } from '../../src/checks/contract-validator.ts';
import { API, binary, chatBody, PDF_BYTES, sseData, testTenant, type TestTenant } from './helpers.ts';

const validator = createContractValidator();

function expectDocumented(operationId: string, res: Response): void {
  const documented = validator.responseFor(operationId, res.status);
  expect(documented, `${operationId} ${res.status} is not documented`).toBeDefined();
  const contentType = String(res.headers['content-type'] ?? '').split(';')[0];
  if (documented!.mediaTypes.length) {
    const matches = documented!.mediaTypes.some((m) => m === contentType || (m.endsWith('/*') && contentType.startsWith(m.slice(0, -1))));
    expect(matches, `${operationId} ${res.status}: ${contentType} not in ${documented!.mediaTypes.join(', ')}`).toBe(true);
  }
  for (const header of documented!.requiredHeaders) expect(res.headers[header.toLowerCase()], `${operationId} ${res.status} header ${header}`).toBeTruthy();
  // a binary parser leaves the body as bytes, error answers included
  if (res.status >= 400) expect(validator.validateError(Buffer.isBuffer(res.body) ? JSON.parse(res.body.toString()) : res.body)).toEqual([]);
  else if (documented!.schema && contentType === 'application/json') expect(validator.validateBody(documented!.schema, res.body), operationId).toEqual([]);
}

describe.each(['default', 'tolerant'] as const)('%s profile', (profile) => {
  const t: TestTenant = testTenant({ profile, processingMs: 0 });
  // the tolerant profile answers each key's first request to a route with 429: that answer is checked too
  const send = async (operationId: string, build: () => Test) => {
    let res = await build();
    if (res.status === 429) {
      expectDocumented(operationId, res);
      res = await build();
    }
    expectDocumented(operationId, res);
    return res;
  };
  const auth = (key: string) => t.bearer(key);

  it('R1 models: list and denial', async () => {
    await send('listModels', () => t.http.get(`${API}/models`).set('Authorization', auth('openai-chat')));
    await send('listModels', () => t.http.get(`${API}/models`).set('Authorization', auth('dataset-upload')));
    await send('listModels', () => t.http.get(`${API}/models`));
  });

  it('R2 chat: completion, stream chunks, errors', async () => {
    expect((await send('createChatCompletion', () => t.http.post(`${API}/chat/completions`).set('Authorization', auth('openai-chat')).send(chatBody()))).status).toBe(200);
    const stream = await send('createChatCompletion', () =>
      t.http.post(`${API}/chat/completions`).set('Authorization', auth('openai-chat')).send(chatBody('mission-agent', 'x', { stream: true, stream_options: { include_usage: true } })).buffer(true).parse(binary));
    const events = sseData(stream.body.toString());
    expect(events.pop()).toBe('[DONE]');
    for (const e of events) expect(validator.validateBody('ChatCompletionChunk', JSON.parse(e))).toEqual([]);
    for (const body of [{ model: 'mission-agent' }, chatBody('internal-ops-agent')]) {
      expect((await send('createChatCompletion', () => t.http.post(`${API}/chat/completions`).set('Authorization', auth('openai-chat')).send(body))).status).toBeGreaterThanOrEqual(400);
    }
  });

  it('R3 embeddings: float and base64', async () => {
    for (const encoding_format of ['float', 'base64']) {
      await send('createEmbedding', () => t.http.post(`${API}/embeddings`).set('Authorization', auth('chat-embeddings')).send({ model: 'mission-agent', input: ['a', 'b'], encoding_format }));
    }
    await send('createEmbedding', () => t.http.post(`${API}/embeddings`).set('Authorization', auth('openai-chat')).send({ model: 'mission-agent', input: 'a' }));
  });

  it('R4–R6 audio and images', async () => {
    await send('createTranscription', () => t.http.post(`${API}/audio/transcriptions`).set('Authorization', auth('voice-audio')).field('model', 'voice-agent').attach('file', Buffer.from('RIFF....WAVE'), 'a.wav'));
    for (const response_format of ['wav', 'mp3', 'pcm']) {
      await send('createSpeech', () => t.http.post(`${API}/audio/speech`).set('Authorization', auth('voice-audio')).send({ model: 'voice-agent', input: 'hi', response_format }).buffer(true).parse(binary));
    }
    await send('createImage', () => t.http.post(`${API}/images/generations`).set('Authorization', auth('image-generation')).send({ model: 'image-agent', prompt: 'x' }));
    await send('createImage', () => t.http.post(`${API}/images/generations`).set('Authorization', auth('image-generation')).send({ model: 'image-agent', prompt: 'x', response_format: 'url' }));
  });

  it('R7–R10 conversations, uploads, file status', async () => {
    const conv = await send('createConversation', () => t.http.post(`${API}/conversations`).set('Authorization', auth('conversation-app')).send({ model: 'mission-agent', title: 't' }));
    const id = conv.body.id as string;
    await send('createConversation', () => t.http.post(`${API}/conversations`).set('Authorization', auth('openai-chat')).send({ model: 'mission-agent' }));
    const stored = await send('uploadDatasetFile', () => t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', auth('dataset-upload')).attach('file', PDF_BYTES, 'a.pdf'));
    await send('uploadDatasetFile', () => t.http.post(`${API}/datasets/restricted-archive/files`).set('Authorization', auth('dataset-upload')).attach('file', PDF_BYTES, 'a.pdf'));
    const failed = await send('uploadConversationFile', () => t.http.post(`${API}/conversations/files`).set('Authorization', auth('conversation-app')).set('X-GT-Conversation-Id', id).attach('file', Buffer.from('not a pdf'), 'broken.pdf'));
    await send('uploadConversationFile', () => t.http.post(`${API}/conversations/files`).set('Authorization', auth('conversation-app')).attach('file', PDF_BYTES, 'a.pdf'));
    for (const [operationId, path] of [['getFileStatus', 'files'], ['getUploadStatus', 'uploads']]) {
      expect((await send(operationId, () => t.http.get(`${API}/${path}/${stored.body.id}`).set('Authorization', auth('dataset-upload')))).body.status).toBe('ready');
      expect((await send(operationId, () => t.http.get(`${API}/${path}/${failed.body.id}`).set('Authorization', auth('conversation-app')))).body.status).toBe('failed');
      await send(operationId, () => t.http.get(`${API}/${path}/${stored.body.id}`).set('Authorization', auth('other-family')));
    }
  });
});
