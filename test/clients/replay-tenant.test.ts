// Replayed product requests against the embedded tenant: a defect that only some products' requests
// trip fails exactly those products, and no product fails on the clean tenant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { createHttpClient, type HttpClient } from '../../src/http/client.ts';
import { shippedProfiles } from '../../src/clients/load.ts';
import type { ClientProfile } from '../../src/clients/profile.ts';
import { buildClientRequest, checkClientAnswer, checkValidationAnswer, validationCall, wouldRetry, type ClientAnswer, type ClientRequest } from '../../src/clients/replay.ts';
import { startTenant, type RunningTenant } from '../../src/tenant/index.ts';

const contract = loadContract();
const profiles = [...shippedProfiles().values()];
const calling = (route: string) => profiles.filter((p) => p.routes[route]);
const KEY = 'chat-embeddings';

interface Running {
  tenant: RunningTenant;
  http: HttpClient;
}

async function start(opts: Parameters<typeof startTenant>[0]): Promise<Running> {
  const tenant = await startTenant(opts);
  const http = createHttpClient({ baseUrl: tenant.baseUrl, timeoutMs: 5000, concurrency: 4, retry: { max429: 0 } });
  return { tenant, http };
}

async function stop(r: Running | undefined): Promise<void> {
  await r?.http.close();
  await r?.tenant.close();
}

async function send(r: Running, request: ClientRequest): Promise<ClientAnswer> {
  const answer = await r.http.send({ ...request, label: `${request.route} replay`, bearer: r.tenant.secrets[KEY] });
  if (answer.stream) {
    let text = '';
    for await (const chunk of answer.stream) text += Buffer.from(chunk).toString('utf8');
    return { status: answer.status, headers: answer.headers, body: text, streamed: true };
  }
  const body = answer.contentType.includes('json') ? answer.json() : answer.text();
  return { status: answer.status, headers: answer.headers, body, streamed: false };
}

/** The products whose own request for the route fails (HTTP error, or an answer the product cannot use). */
async function failing(r: Running, route: string, ctx: Parameters<typeof buildClientRequest>[2]): Promise<string[]> {
  const failed: string[] = [];
  for (const profile of calling(route)) {
    const request = buildClientRequest(profile, route, ctx, contract);
    const answer = await send(r, request);
    if (answer.status >= 300 || checkClientAnswer(profile, request, answer).length > 0) failed.push(profile.id);
  }
  return failed.sort();
}

const chatCtx = { model: 'mission-agent', maxTokens: 16 };
const embedCtx = { model: 'research-agent', inputs: ['first probe text', 'second probe text'] };

describe('on the clean embedded tenant', () => {
  let r: Running | undefined;
  beforeAll(async () => {
    r = await start({});
  });
  afterAll(() => stop(r));

  it("every product's chat, streamed and not, and embeddings requests succeed", async () => {
    expect(await failing(r!, 'chat', { ...chatCtx, stream: true })).toEqual([]);
    expect(await failing(r!, 'chat', { ...chatCtx, stream: false })).toEqual([]);
    expect(await failing(r!, 'embeddings', embedCtx)).toEqual([]);
  });

  it("Dify's credential check passes", async () => {
    const dify = shippedProfiles().get('dify')!;
    const answer = await send(r!, validationCall(dify, chatCtx, contract)!);
    expect(checkValidationAnswer(dify, answer.status, answer.body)).toEqual([]);
  });
});

describe('stream-options-rejected', () => {
  let r: Running | undefined;
  beforeAll(async () => {
    r = await start({ defects: ['stream-options-rejected'] });
  });
  afterAll(() => stop(r));

  it('fails exactly the products that stream with stream_options', async () => {
    expect(await failing(r!, 'chat', { ...chatCtx, stream: true })).toEqual(['ai-sdk-openai', 'dify', 'langchain-openai', 'librechat', 'open-webui']);
    expect(await failing(r!, 'chat', { ...chatCtx, stream: false })).toEqual([]);
  });
});

describe('embeddings encoding defects', () => {
  let floatDefault: Running | undefined;
  let base64Ignored: Running | undefined;
  beforeAll(async () => {
    floatDefault = await start({ defects: ['float-default-base64'] });
    base64Ignored = await start({ defects: ['base64-ignored'] });
  });
  afterAll(async () => {
    await stop(floatDefault);
    await stop(base64Ignored);
  });

  it('float-default-base64 fails the products that send no encoding_format (Open WebUI, Dify)', async () => {
    expect(await failing(floatDefault!, 'embeddings', embedCtx)).toEqual(['dify', 'open-webui']);
  });

  it('base64-ignored fails the products whose SDK asks for base64 (OpenAI SDK, LangChain)', async () => {
    expect(await failing(base64Ignored!, 'embeddings', embedCtx)).toEqual(['langchain-openai', 'openai-node']);
  });
});

describe('429 and Retry-After', () => {
  let withHeader: Running | undefined;
  let without: Running | undefined;
  beforeAll(async () => {
    withHeader = await start({ rateLimit: { every: 1, retryAfterSeconds: 2 } });
    without = await start({ rateLimit: { every: 1, retryAfterSeconds: 2 }, defects: ['retry-after-missing'] });
  });
  afterAll(async () => {
    await stop(withHeader);
    await stop(without);
  });

  async function retrying(r: Running): Promise<Map<string, boolean>> {
    const verdicts = new Map<string, boolean>();
    for (const profile of calling('chat')) {
      const answer = await send(r, buildClientRequest(profile, 'chat', { ...chatCtx, stream: false }, contract));
      expect(answer.status, profile.id).toBe(429);
      verdicts.set(profile.id, wouldRetry(profile, answer.status, answer.headers['retry-after']).retry);
    }
    return verdicts;
  }

  it('retry-after-missing changes the outcome only for products that need Retry-After', async () => {
    const before = await retrying(withHeader!);
    const after = await retrying(without!);
    const changed = [...before.keys()].filter((id) => before.get(id) !== after.get(id)).sort();
    expect(changed).toEqual(['generic-http', 'langchain-openai', 'librechat']);
    expect(after.get('openai-node')).toBe(true);
  });
});

describe('chat-object-wrong', () => {
  let r: Running | undefined;
  beforeAll(async () => {
    r = await start({ defects: ['chat-object-wrong'] });
  });
  afterAll(() => stop(r));

  // Dify's plugin SDK (dify_plugin >= 0.9.0) fills an absent object with "chat.completion" before
  // comparing, so only a different non-empty object fails its credential check.
  it("fails Dify's credential check, which needs object chat.completion", async () => {
    const dify: ClientProfile = shippedProfiles().get('dify')!;
    const answer = await send(r!, validationCall(dify, chatCtx, contract)!);
    expect(answer.status).toBe(200);
    expect(checkValidationAnswer(dify, answer.status, answer.body)).toEqual([expect.stringMatching(/object "text_completion", it needs "chat.completion"/)]);
    expect(checkValidationAnswer(dify, answer.status, { ...(answer.body as object), object: undefined })).toEqual([]);
  });
});
