// Client profiles: they load, and each replays the request its product really sends (the facts
// below are written from the products' source, independently of the profile files).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { loadClientProfiles, profileById } from '../../src/clients/load.ts';
import type { ClientProfile } from '../../src/clients/profile.ts';
import { buildClientRequest, checkValidationAnswer, validationCall, wouldRetry } from '../../src/clients/replay.ts';
import { clientUrl, contractPathFor, RouteNotCalledError } from '../../src/clients/url.ts';
import { clientsDir } from '../../src/paths.ts';

const contract = loadContract();
const profile = (id: string): ClientProfile => {
  const p = profileById(id);
  if (!p) throw new Error(`no profile ${id}`);
  return p;
};
const ctx = { model: 'mission-agent' };

describe('shipped client profiles', () => {
  it('all load against the schema and the contract, one per file', () => {
    const { profiles, errors } = loadClientProfiles(undefined, contract);
    expect(errors).toEqual([]);
    expect(profiles.map((p) => p.profile.id).sort()).toEqual(
      ['ai-sdk-openai', 'ai-sdk-openai-compatible', 'dify', 'generic-http', 'langchain-openai', 'librechat', 'open-webui', 'openai-compatible', 'openai-node'],
    );
    for (const { profile: p } of profiles) {
      expect(p.sources.length, p.id).toBeGreaterThan(0);
      expect(p.product_version, p.id).not.toBe('');
    }
  });

  it('reports a broken profile as positioned one-line errors', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gt-profiles-'));
    const good = readFileSync(path.join(clientsDir, 'dify.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'other-name.yaml'), good);
    writeFileSync(path.join(dir, 'dify.yaml'), good.replace('trailing_slash: strip', 'trailing_slash: sometimes').replace('  authorization: bearer', '  authorisation: bearer'));
    const { profiles, errors } = loadClientProfiles(dir, contract);
    expect(profiles).toEqual([]);
    const lines = errors.map((e) => `${path.basename(e.file)}:${e.line}: ${e.path}: ${e.message}`);
    expect(lines).toContainEqual(expect.stringMatching(/^dify\.yaml:\d+: url\.trailing_slash: must be one of strip, keep, dedupe$/));
    expect(lines).toContainEqual(expect.stringMatching(/^dify\.yaml:\d+: headers: unknown field "authorisation"; did you mean "authorization"\?$/));
    expect(lines).toContainEqual(expect.stringMatching(/^other-name\.yaml:\d+: id: id "dify" must match the file name \(other-name\.yaml\)$/));
    const trailingLine = good.split('\n').findIndex((l) => l.includes('trailing_slash: strip')) + 1;
    expect(errors.find((e) => e.path === 'url.trailing_slash')?.line).toBe(trailingLine);
  });
});

describe('clientUrl: the URL a product calls from its configured base URL', () => {
  const documented = 'https://<tenant-host>/api/tenant';

  it('appends the route path without inserting /v1', () => {
    for (const id of ['openai-node', 'open-webui', 'librechat', 'dify', 'ai-sdk-openai-compatible', 'ai-sdk-openai', 'langchain-openai']) {
      expect(clientUrl(profile(id), documented, 'chat'), id).toBe('https://<tenant-host>/api/tenant/chat/completions');
    }
    expect(clientUrl(profile('generic-http'), documented, 'chat')).toBe('https://<tenant-host>/api/tenant/v1/chat/completions');
  });

  it('treats a trailing slash the way each product does', () => {
    const withSlash = 'https://h/api/tenant/v1/';
    expect(clientUrl(profile('open-webui'), withSlash, 'models')).toBe('https://h/api/tenant/v1//models'); // f"{url}/models"
    expect(clientUrl(profile('openai-node'), withSlash, 'models')).toBe('https://h/api/tenant/v1/models'); // doubled slash removed
    expect(clientUrl(profile('dify'), 'https://h/api/tenant/v1//', 'chat')).toBe('https://h/api/tenant/v1/chat/completions'); // rstrip('/')
    expect(clientUrl(profile('librechat'), 'https://h/api/tenant/v1///', 'models')).toBe('https://h/api/tenant/v1/models'); // replace(/\/+$/, '')
  });

  it('refuses a route the product does not call, saying why', () => {
    expect(() => clientUrl(profile('dify'), documented, 'models')).toThrow(RouteNotCalledError);
    expect(() => clientUrl(profile('dify'), documented, 'models')).toThrow(/operator types model names/);
  });
});

describe('contractPathFor: which GT route a URL reaches', () => {
  it('matches paths, templates and aliases under the tenant base path only', () => {
    expect(contractPathFor('https://h/api/tenant/v1/chat/completions', contract)?.id).toBe('chat');
    expect(contractPathFor('https://<tenant-host>/api/tenant/v1/uploads/f-123', contract)?.id).toBe('file-status');
    expect(contractPathFor('/api/tenant/v1/datasets/reference-briefs/files', contract)?.id).toBe('dataset-files');
    expect(contractPathFor('https://h/api/tenant/models', contract)).toBeUndefined();
    expect(contractPathFor('https://h/v1/models', contract)).toBeUndefined();
    expect(contractPathFor('https://h/api/tenant/v1/responses', contract)).toBeUndefined();
  });
});

// What each product sends, as read in its source (CLIENTS.md and the files each profile names).
describe('replayed requests equal what each product sends', () => {
  const chatFacts: Array<[string, { stream: boolean; stream_options?: unknown; user: boolean; max_tokens?: number; streamFalse?: boolean }]> = [
    ['dify', { stream: true, stream_options: { include_usage: true }, user: true, max_tokens: 512 }],
    ['open-webui', { stream: true, stream_options: { include_usage: true }, user: false }],
    ['librechat', { stream: true, stream_options: { include_usage: true }, user: true }],
    ['openai-node', { stream: false, user: false }],
    ['langchain-openai', { stream: false, user: false, streamFalse: true }],
    ['ai-sdk-openai-compatible', { stream: false, user: false }],
    ['generic-http', { stream: false, user: false }],
  ];
  it.each(chatFacts)('%s chat: method, path, stream default, stream_options, user, max_tokens', (id, facts) => {
    const request = buildClientRequest(profile(id), 'chat', ctx, contract);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.stream).toBe(facts.stream);
    const body = request.json!;
    expect(body.model).toBe('mission-agent');
    expect(body.stream).toBe(facts.stream ? true : facts.streamFalse ? false : undefined);
    expect(body.stream_options).toEqual(facts.stream_options);
    expect('user' in body).toBe(facts.user);
    expect(body.max_tokens).toBe(facts.max_tokens);
    expect(request.headers.Authorization).toBeUndefined();
  });

  it('stream_options follow the stream: the AI SDK sends none unless includeUsage, LangChain adds them to stream()', () => {
    expect(buildClientRequest(profile('ai-sdk-openai-compatible'), 'chat', { ...ctx, stream: true }, contract).json).toMatchObject({ stream: true });
    expect(buildClientRequest(profile('ai-sdk-openai-compatible'), 'chat', { ...ctx, stream: true }, contract).json!.stream_options).toBeUndefined();
    expect(buildClientRequest(profile('langchain-openai'), 'chat', { ...ctx, stream: true }, contract).json!.stream_options).toEqual({ include_usage: true });
    expect(buildClientRequest(profile('dify'), 'chat', { ...ctx, stream: false }, contract).json).toMatchObject({ stream: false });
  });

  const embeddingFacts: Array<[string, string | undefined, 'array' | 'string']> = [
    ['openai-node', 'base64', 'array'],
    ['langchain-openai', 'base64', 'array'],
    ['open-webui', undefined, 'array'],
    ['dify', undefined, 'array'],
    ['ai-sdk-openai-compatible', 'float', 'array'],
    ['ai-sdk-openai', 'float', 'array'],
  ];
  it.each(embeddingFacts)('%s embeddings: encoding_format %s, input as %s', (id, encoding, shape) => {
    const request = buildClientRequest(profile(id), 'embeddings', { ...ctx, inputs: ['one', 'two'] }, contract);
    expect(request.path).toBe('/v1/embeddings');
    expect(request.json!.encoding_format).toBe(encoding);
    expect(Array.isArray(request.json!.input)).toBe(shape === 'array');
  });

  it('multipart routes carry the file and the model as form fields', () => {
    const file = { filename: 'tone.wav', contentType: 'audio/wav', bytes: new Uint8Array([1, 2, 3]) };
    for (const id of ['openai-node', 'open-webui', 'dify']) {
      const request = buildClientRequest(profile(id), 'transcriptions', { ...ctx, file }, contract);
      expect(request.path).toBe('/v1/audio/transcriptions');
      expect(request.json).toBeUndefined();
      expect(request.multipart!.fields).toEqual({ model: 'mission-agent' });
      expect(request.multipart!.files.map((f) => [f.field, f.filename])).toEqual([['file', 'tone.wav']]);
    }
  });

  it('generic HTTP sends the conversation header on conversation uploads and fills {id}', () => {
    const upload = buildClientRequest(profile('generic-http'), 'conversation-files', { ...ctx, conversationId: 'conv-1' }, contract);
    expect(upload.headers['X-GT-Conversation-Id']).toBe('conv-1');
    expect(buildClientRequest(profile('generic-http'), 'file-status', { ...ctx, id: 'f 1' }, contract).path).toBe('/v1/files/f%201');
  });
});

describe('validation calls', () => {
  it("Dify pings chat completions, not streamed, with max_tokens 5", () => {
    const call = validationCall(profile('dify'), ctx, contract)!;
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/v1/chat/completions');
    expect(call.stream).toBe(false);
    expect(call.json).toEqual({ model: 'mission-agent', max_tokens: 5, messages: [{ role: 'user', content: 'ping' }] });
  });

  it('Open WebUI and LibreChat check the connection with GET models; the SDKs make no validation call', () => {
    expect(validationCall(profile('open-webui'), ctx, contract)).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(validationCall(profile('librechat'), ctx, contract)).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(validationCall(profile('openai-node'), ctx, contract)).toBeUndefined();
  });

  it("Dify accepts only HTTP 200 with object chat.completion, or no object (its SDK fills an empty one in)", () => {
    const dify = profile('dify');
    expect(checkValidationAnswer(dify, 200, { object: 'chat.completion', choices: [] })).toEqual([]);
    expect(checkValidationAnswer(dify, 200, { choices: [] })).toEqual([]);
    expect(checkValidationAnswer(dify, 200, { object: 'chat.completion.chunk' })).toEqual([expect.stringContaining('object "chat.completion.chunk", it needs "chat.completion"')]);
    expect(checkValidationAnswer(dify, 404, { error: {} })).toEqual([expect.stringContaining('HTTP 404, it needs 200')]);
  });

  it('Open WebUI needs {data: [{id}]} from the models call', () => {
    expect(checkValidationAnswer(profile('open-webui'), 200, { object: 'list', data: [{ id: 'a' }] })).toEqual([]);
    expect(checkValidationAnswer(profile('open-webui'), 200, { models: ['a'] })).toHaveLength(1);
  });
});

describe('retry rules for 429', () => {
  it('LangChain and LibreChat give up on a 429 without Retry-After or with more than 60 s', () => {
    for (const id of ['langchain-openai', 'librechat']) {
      expect(wouldRetry(profile(id), 429, undefined).retry, id).toBe(false);
      expect(wouldRetry(profile(id), 429, '120').retry, id).toBe(false);
      expect(wouldRetry(profile(id), 429, '2').retry, id).toBe(true);
    }
  });

  it('the OpenAI SDK and the AI SDK back off without Retry-After; Open WebUI and Dify never retry', () => {
    expect(wouldRetry(profile('openai-node'), 429, undefined).retry).toBe(true);
    expect(wouldRetry(profile('ai-sdk-openai-compatible'), 429, undefined).retry).toBe(true);
    expect(wouldRetry(profile('open-webui'), 429, '1')).toEqual({ retry: false, reason: expect.stringContaining('does not retry') });
    expect(wouldRetry(profile('dify'), 429, '1').retry).toBe(false);
    expect(wouldRetry(profile('openai-node'), 400, undefined).retry).toBe(false);
  });
});
