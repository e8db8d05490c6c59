// Every route of the embedded tenant answers as GT-API.md documents, for every key purpose.
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PNG_SIGNATURE } from '../../src/tenant/content/png.ts';
import { API, binary, chatBody, EMBEDDINGS, expectErrorBody, PDF_BYTES, sseData, testTenant, X_20 } from './helpers.ts';

describe('R1 GET /v1/models', () => {
  const t = testTenant();

  it('lists exactly the allowlisted published names of an inference key, in the OpenAI list shape', async () => {
    const res = await t.http.get(`${API}/models`).set('Authorization', t.bearer('openai-chat')).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.object).toBe('list');
    expect(res.body.data.map((m: { id: string }) => m.id).sort()).toEqual(['llama-3.1-70b-instruct', 'mission-agent']);
    for (const model of res.body.data) {
      expect(model.object).toBe('model');
      expect(Number.isInteger(model.created)).toBe(true);
      expect(typeof model.owned_by).toBe('string');
    }
  });

  it('lists a conversation key the allowlist inherited from its linked inference key', async () => {
    const res = await t.http.get(`${API}/models`).set('Authorization', t.bearer('conversation-app')).expect(200);
    expect(res.body.data.map((m: { id: string }) => m.id).sort()).toEqual(['mission-agent', 'research-agent']);
  });

  it('never lists a hidden name for any key', async () => {
    for (const key of t.target.keys.filter((k) => k.purpose !== 'upload' && !k.revoked)) {
      const res = await t.http.get(`${API}/models`).set('Authorization', t.bearer(key.name)).expect(200);
      const ids: string[] = res.body.data.map((m: { id: string }) => m.id);
      expect(ids.sort()).toEqual([...key.models].sort());
      for (const hidden of key.hidden_models) expect(ids).not.toContain(hidden);
    }
  });

  it('denies an upload key with 403', async () => {
    const res = await t.http.get(`${API}/models`).set('Authorization', t.bearer('dataset-upload'));
    expect(expectErrorBody(res, 403).type).toBe('permission_error');
  });
});

describe('R2 POST /v1/chat/completions', () => {
  const t = testTenant();

  it('answers a chat.completion that echoes the last user message', async () => {
    const res = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat')).send(chatBody('mission-agent', 'ping pong')).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ object: 'chat.completion', model: 'mission-agent' });
    expect(res.body.id).toMatch(/^chatcmpl-/);
    expect(res.body.choices).toEqual([{ index: 0, message: { role: 'assistant', content: 'Echo from mission-agent: ping pong' }, finish_reason: 'stop' }]);
    expect(res.body.usage).toEqual({ prompt_tokens: 2, completion_tokens: 5, total_tokens: 7 });
    expect(res.headers['x-gt-conversation-id']).toBeUndefined();
  });

  it('caps the reply at max_tokens with finish_reason length', async () => {
    const res = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat'))
      .send(chatBody('mission-agent', 'one two three four', { max_tokens: 3, temperature: 0.2, user: 'u1', tools: [], tool_choice: 'none' })).expect(200);
    expect(res.body.choices[0].message.content).toBe('Echo from mission-agent:');
    expect(res.body.choices[0].finish_reason).toBe('length');
    expect(res.body.usage.completion_tokens).toBe(3);
  });

  it('reads text parts of array content', async () => {
    const res = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat'))
      .send({ model: 'mission-agent', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: [{ type: 'text', text: 'parts work' }] }] }).expect(200);
    expect(res.body.choices[0].message.content).toBe('Echo from mission-agent: parts work');
  });

  it('streams chat.completion.chunk events: role first, content pieces, finish_reason, usage, [DONE]', async () => {
    const res = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('agentic-ide'))
      .send(chatBody('llama-3.1-70b-instruct', 'stream me', { stream: true, stream_options: { include_usage: true } }))
      .buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const text = (res.body as Buffer).toString('utf8');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const events = sseData(text);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    for (const c of chunks) expect(c).toMatchObject({ object: 'chat.completion.chunk', model: 'llama-3.1-70b-instruct' });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const usage = chunks.at(-1);
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toEqual({ prompt_tokens: 2, completion_tokens: 5, total_tokens: 7 });
    const finish = chunks.at(-2);
    expect(finish.choices[0].finish_reason).toBe('stop');
    const content = chunks.slice(0, -2).map((c) => c.choices[0].delta.content ?? '').join('');
    expect(content).toBe('Echo from llama-3.1-70b-instruct: stream me');
  });

  it('streams without a usage chunk when include_usage is not asked', async () => {
    const res = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('openai-chat'))
      .send(chatBody('mission-agent', 'x', { stream: true })).buffer(true).parse(binary).expect(200);
    const chunks = sseData(res.body.toString()).slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
    expect(chunks.some((c) => 'usage' in c)).toBe(false);
  });

  it('binds turns to a conversation through X-GT-Conversation-Id and keeps their count', async () => {
    const conv = await t.http.post(`${API}/conversations`).set('Authorization', t.bearer('conversation-app')).send({ model: 'mission-agent' }).expect(201);
    const id = conv.body.id;
    for (const turn of [1, 2]) {
      const res = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('conversation-app'))
        .set('X-GT-Conversation-Id', id).send(chatBody('mission-agent', `turn ${turn}`)).expect(200);
      expect(res.headers['x-gt-conversation-id']).toBe(id);
      expect(res.headers['x-gt-conversation-turns']).toBe(String(turn));
      expect(res.body.choices[0].message.content).toBe(`Echo from mission-agent: turn ${turn}`);
    }
    // the linked inference key is of the same family: it reaches the conversation too
    const linked = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('conversation-app.inference'))
      .set('X-GT-Conversation-Id', id).send(chatBody()).expect(200);
    expect(linked.headers['x-gt-conversation-turns']).toBe('3');
  });

  it('answers 404 for an unknown conversation id', async () => {
    const res = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('conversation-app'))
      .set('X-GT-Conversation-Id', 'conv_doesnotexist').send(chatBody());
    expectErrorBody(res, 404);
  });
});

describe('R3 POST /v1/embeddings', () => {
  const t = testTenant();
  const embed = (body: Record<string, unknown>, key = 'chat-embeddings') =>
    t.http.post(`${API}/embeddings`).set('Authorization', t.bearer(key)).send({ model: 'research-agent', ...body });

  it('returns one float vector per input, in order, deterministic from the text', async () => {
    const res = await embed({ input: ['Mission objective', 'Known risks'] }).expect(200);
    expect(res.body).toMatchObject({ object: 'list', model: 'research-agent' });
    expect(res.body.data).toHaveLength(2);
    res.body.data.forEach((item: { object: string; index: number; embedding: number[] }, i: number) => {
      expect(item.object).toBe('embedding');
      expect(item.index).toBe(i);
      expect(item.embedding).toHaveLength(8);
    });
    expect(res.body.data[0].embedding).toEqual(EMBEDDINGS['Mission objective'].floats);
    expect(res.body.data[1].embedding).toEqual(EMBEDDINGS['Known risks'].floats);
    expect(res.body.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
  });

  it('accepts a single string and encoding_format float', async () => {
    const res = await embed({ input: 'alpha', encoding_format: 'float' }).expect(200);
    expect(res.body.data).toEqual([{ object: 'embedding', index: 0, embedding: EMBEDDINGS.alpha.floats }]);
  });

  it('encodes base64 as the little-endian float32 bytes of exactly the float vector', async () => {
    const texts = ['alpha', 'Mission objective', 'Known risks'];
    const b64 = await embed({ input: texts, encoding_format: 'base64' }).expect(200);
    expect(b64.body.data.map((item: { embedding: string }) => item.embedding)).toEqual(texts.map((t) => EMBEDDINGS[t].base64));
  });

  it('honours dimensions', async () => {
    const res = await embed({ input: 'x', dimensions: 20 }).expect(200);
    expect(res.body.data[0].embedding).toHaveLength(20);
    expect(res.body.data[0].embedding).toEqual(X_20);
  });

  it('rejects an unknown encoding_format with 400', async () => {
    expectErrorBody(await embed({ input: 'x', encoding_format: 'int8' }), 400);
  });

  it('serves a conversation key through its linked inference key\'s scope, and refuses one whose linked key lacks it', async () => {
    const linked = (scopes: string[]) =>
      testTenant({
        seed: {
          published: ['mission-agent'],
          datasets: [],
          keys: [
            { name: 'app', preset: 'conversation-app', links: { inference: 'app.inference' } },
            { name: 'app.inference', purpose: 'inference', scopes, models: ['mission-agent'] },
          ],
        },
      });
    const post = (tenant: ReturnType<typeof linked>) => tenant.http.post(`${API}/embeddings`).set('Authorization', tenant.bearer('app')).send({ model: 'mission-agent', input: 'x' });
    await post(linked(['inference:chat', 'inference:embed'])).expect(200);
    await post(linked(['inference:chat'])).expect(403);
  });
});

describe('R4 POST /v1/audio/transcriptions', () => {
  const t = testTenant();
  const wav = Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), Buffer.alloc(64)]);

  it('returns {text} for a multipart file and model', async () => {
    const res = await t.http.post(`${API}/audio/transcriptions`).set('Authorization', t.bearer('voice-audio'))
      .field('model', 'voice-agent').field('language', 'en').attach('file', wav, 'call.wav').expect(200);
    expect(res.body).toEqual({ text: `Transcript of call.wav (${wav.length} bytes).` });
  });

  it('answers response_format text as plain text', async () => {
    const res = await t.http.post(`${API}/audio/transcriptions`).set('Authorization', t.bearer('voice-audio'))
      .field('model', 'voice-agent').field('response_format', 'text').attach('file', wav, 'call.wav').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('Transcript of call.wav');
  });

  it('rejects an empty file with 400', async () => {
    const res = await t.http.post(`${API}/audio/transcriptions`).set('Authorization', t.bearer('voice-audio'))
      .field('model', 'voice-agent').attach('file', Buffer.alloc(0), 'empty.wav');
    expectErrorBody(res, 400);
  });

  it('rejects a missing file or model with 400', async () => {
    expectErrorBody(await t.http.post(`${API}/audio/transcriptions`).set('Authorization', t.bearer('voice-audio')).field('model', 'voice-agent'), 400);
    expectErrorBody(await t.http.post(`${API}/audio/transcriptions`).set('Authorization', t.bearer('voice-audio')).attach('file', wav, 'call.wav'), 400);
  });
});

describe('R5 POST /v1/audio/speech', () => {
  const t = testTenant();
  const speech = (body: Record<string, unknown>) =>
    t.http.post(`${API}/audio/speech`).set('Authorization', t.bearer('voice-audio')).send({ model: 'voice-agent', input: 'Read the mission summary aloud.', ...body }).buffer(true).parse(binary);

  it('returns a valid RIFF/WAVE PCM file by default', async () => {
    const res = await speech({}).expect(200);
    expect(res.headers['content-type']).toBe('audio/wav');
    const wav = res.body as Buffer;
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.subarray(8, 16).toString('latin1')).toBe('WAVEfmt ');
    expect(wav.readUInt16LE(20)).toBe(1); // PCM
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(wav.subarray(36, 40).toString('latin1')).toBe('data');
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
    // a tone, not silence
    let peak = 0;
    for (let i = 44; i < wav.length; i += 2) peak = Math.max(peak, Math.abs(wav.readInt16LE(i)));
    expect(peak).toBeGreaterThan(1000);
  });

  it('returns MPEG audio frames for mp3', async () => {
    const res = await speech({ response_format: 'mp3', voice: 'alloy' }).expect(200);
    expect(res.headers['content-type']).toBe('audio/mpeg');
    const mp3 = res.body as Buffer;
    expect(mp3[0]).toBe(0xff);
    expect(mp3[1] & 0xe0).toBe(0xe0); // frame sync
    expect(mp3.length % 417).toBe(0);
    expect(mp3[417]).toBe(0xff);
  });

  it('returns raw PCM for pcm', async () => {
    const wav = (await speech({}).expect(200)).body as Buffer;
    const res = await speech({ response_format: 'pcm' }).expect(200);
    expect(res.headers['content-type']).toBe('audio/pcm');
    expect((res.body as Buffer).equals(wav.subarray(44))).toBe(true);
  });

  it('rejects an unsupported format and a missing input with 400', async () => {
    expectErrorBody(await t.http.post(`${API}/audio/speech`).set('Authorization', t.bearer('voice-audio')).send({ model: 'voice-agent', input: 'x', response_format: 'flac' }), 400);
    expectErrorBody(await t.http.post(`${API}/audio/speech`).set('Authorization', t.bearer('voice-audio')).send({ model: 'voice-agent' }), 400);
  });
});

describe('R6 POST /v1/images/generations', () => {
  const t = testTenant();

  // 1024x1024 is past the size from which the tenant deflates at zlib's fastest level (src/tenant/content/png.ts)
  it.each([[64, 32], [1024, 1024]])('returns a valid PNG as b64_json, of the asked size (%ix%i)', async (width, height) => {
    const res = await t.http.post(`${API}/images/generations`).set('Authorization', t.bearer('image-generation'))
      .send({ model: 'image-agent', prompt: 'a map', size: `${width}x${height}`, n: 2 }).expect(200);
    expect(Number.isInteger(res.body.created)).toBe(true);
    expect(res.body.data).toHaveLength(2);
    const png = Buffer.from(res.body.data[0].b64_json, 'base64');
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // walk the chunks, checking each CRC, and inflate the image data
    let at = 8;
    const types: string[] = [];
    const idat: Buffer[] = [];
    while (at < png.length) {
      const length = png.readUInt32BE(at);
      const type = png.subarray(at + 4, at + 8).toString('latin1');
      const data = png.subarray(at + 8, at + 8 + length);
      expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
      types.push(type);
      if (type === 'IDAT') idat.push(data);
      if (type === 'IHDR') expect([data.readUInt32BE(0), data.readUInt32BE(4)]).toEqual([width, height]);
      at += 12 + length;
    }
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(inflateSync(Buffer.concat(idat)).length).toBe(height * (1 + width * 3));
  });

  it('rejects a missing prompt with 400', async () => {
    expectErrorBody(await t.http.post(`${API}/images/generations`).set('Authorization', t.bearer('image-generation')).send({ model: 'image-agent' }), 400);
  });
});

describe('R7 POST /v1/conversations', () => {
  const t = testTenant();

  it('creates a conversation: 201, id in body and header', async () => {
    const res = await t.http.post(`${API}/conversations`).set('Authorization', t.bearer('conversation-app'))
      .send({ model: 'research-agent', title: 'Evidence review thread' }).expect(201);
    expect(res.body).toMatchObject({ object: 'conversation', model: 'research-agent', title: 'Evidence review thread', turns: 0 });
    expect(res.body.id).toMatch(/^conv_/);
    expect(res.headers['x-gt-conversation-id']).toBe(res.body.id);
  });

  it('denies inference and upload keys with 403', async () => {
    expectErrorBody(await t.http.post(`${API}/conversations`).set('Authorization', t.bearer('openai-chat')).send({ model: 'mission-agent' }), 403);
    expectErrorBody(await t.http.post(`${API}/conversations`).set('Authorization', t.bearer('conversation-app.upload')).send({ model: 'mission-agent' }), 403);
  });

  it('denies a model that is not allowed to the key with 403', async () => {
    expectErrorBody(await t.http.post(`${API}/conversations`).set('Authorization', t.bearer('conversation-app')).send({ model: 'partner-agent' }), 403);
  });
});

describe('R8 POST /v1/datasets/{id}/files', () => {
  const t = testTenant();

  it('stores a file in an allowlisted dataset: 201 and a file object', async () => {
    const res = await t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', t.bearer('dataset-upload'))
      .attach('file', PDF_BYTES, 'mission-brief.pdf').expect(201);
    expect(res.body).toMatchObject({ object: 'file', filename: 'mission-brief.pdf', bytes: PDF_BYTES.length, status: 'uploaded', dataset_id: 'reference-briefs' });
    expect(res.body.id).toMatch(/^file_/);
    expect(Number.isInteger(res.body.created_at)).toBe(true);
  });

  it('serves a conversation key on its linked upload key\'s datasets', async () => {
    await t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', t.bearer('conversation-app')).attach('file', PDF_BYTES, 'a.pdf').expect(201);
  });

  it('denies a dataset not on the allowlist, and the foreign dataset, with 403', async () => {
    expectErrorBody(await t.http.post(`${API}/datasets/partner-intake/files`).set('Authorization', t.bearer('dataset-upload')).attach('file', PDF_BYTES, 'a.pdf'), 403);
    expectErrorBody(await t.http.post(`${API}/datasets/${t.target.foreignDataset}/files`).set('Authorization', t.bearer('dataset-upload')).attach('file', PDF_BYTES, 'a.pdf'), 403);
    expectErrorBody(await t.http.post(`${API}/datasets/field-reports/files`).set('Authorization', t.bearer('conversation-app')).attach('file', PDF_BYTES, 'a.pdf'), 403);
  });

  it('rejects invalid dataset ids with 400', async () => {
    for (const id of ['a%2Fb', 'bad%20name', 'x%00y']) {
      expectErrorBody(await t.http.post(`${API}/datasets/${id}/files`).set('Authorization', t.bearer('dataset-upload')).attach('file', PDF_BYTES, 'a.pdf'), 400);
    }
  });

  it('rejects a request without a file part with 400', async () => {
    expectErrorBody(await t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', t.bearer('dataset-upload')).field('note', 'no file'), 400);
  });

  it('denies an inference key with 403', async () => {
    expectErrorBody(await t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', t.bearer('openai-chat')).attach('file', PDF_BYTES, 'a.pdf'), 403);
  });
});

describe('R9 POST /v1/conversations/files', () => {
  const t = testTenant();
  const conversation = async (key = 'conversation-app', model = 'mission-agent') =>
    (await t.http.post(`${API}/conversations`).set('Authorization', t.bearer(key)).send({ model }).expect(201)).body.id as string;

  it('stores a file in the conversation: 201 with conversation_id', async () => {
    const id = await conversation();
    const res = await t.http.post(`${API}/conversations/files`).set('Authorization', t.bearer('conversation-app'))
      .set('X-GT-Conversation-Id', id).attach('file', PDF_BYTES, 'evidence.pdf').expect(201);
    expect(res.body).toMatchObject({ object: 'file', filename: 'evidence.pdf', status: 'uploaded', conversation_id: id });
  });

  it('rejects a missing header with 400', async () => {
    expectErrorBody(await t.http.post(`${API}/conversations/files`).set('Authorization', t.bearer('conversation-app')).attach('file', PDF_BYTES, 'a.pdf'), 400);
  });

  it('answers 404 for an unknown id and for another family\'s conversation', async () => {
    expectErrorBody(await t.http.post(`${API}/conversations/files`).set('Authorization', t.bearer('conversation-app')).set('X-GT-Conversation-Id', 'conv_nope').attach('file', PDF_BYTES, 'a.pdf'), 404);
    const foreign = await conversation('other-family', 'partner-agent');
    expectErrorBody(await t.http.post(`${API}/conversations/files`).set('Authorization', t.bearer('conversation-app')).set('X-GT-Conversation-Id', foreign).attach('file', PDF_BYTES, 'a.pdf'), 404);
  });

  it('denies inference and upload keys with 403', async () => {
    const id = await conversation();
    for (const key of ['openai-chat', 'conversation-app.upload', 'dataset-upload']) {
      expectErrorBody(await t.http.post(`${API}/conversations/files`).set('Authorization', t.bearer(key)).set('X-GT-Conversation-Id', id).attach('file', PDF_BYTES, 'a.pdf'), 403);
    }
  });
});
