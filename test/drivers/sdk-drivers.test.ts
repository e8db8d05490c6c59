// The real SDK drivers against the embedded tenant: they work on a clean tenant (on this Node), the
// traffic they produce is what their client profiles say, and LangChain's embeddings are wrong when
// the tenant ignores base64.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedProfiles } from '../../src/clients/load.ts';
import { createDriver, createRecordingFetch, SDK_DRIVERS, type ClientDriver, type RecordingFetch, type SdkDriverId } from '../../src/drivers/index.ts';
import { installedMajor } from '../../src/drivers/versions.ts';
import type { Exchange } from '../../src/model.ts';
import { startTenant, type RunningTenant } from '../../src/tenant/index.ts';

const KEY = 'chat-embeddings';
const CHAT = { model: 'mission-agent', prompt: 'Reply with one word: ping.', maxTokens: 16 };
const EMBED = { model: 'research-agent', inputs: ['first probe text', 'second probe text'] };
/** which profile describes the traffic of each driver */
const PROFILE_OF: Record<SdkDriverId, string> = { openai: 'openai-node', 'ai-sdk': 'ai-sdk-openai-compatible', langchain: 'langchain-openai' };

async function driverFor(tenant: RunningTenant, id: SdkDriverId): Promise<{ driver: ClientDriver; recorder: RecordingFetch }> {
  const apiKey = tenant.secrets[KEY];
  const recorder = createRecordingFetch({ secrets: [apiKey], label: id, timeoutMs: 60_000 });
  return { driver: await createDriver(id, { baseUrl: `${tenant.baseUrl}/v1`, apiKey, fetch: recorder.fetch }), recorder };
}

function requestJson(exchange: Exchange): Record<string, unknown> {
  return JSON.parse(exchange.request.body ?? '{}') as Record<string, unknown>;
}

it('has the pinned SDK majors installed', () => {
  expect({
    openai: installedMajor('openai'),
    ai: installedMajor('ai'),
    openaiCompatible: installedMajor('@ai-sdk/openai-compatible'),
    aiSdkOpenai: installedMajor('@ai-sdk/openai'),
    langchain: installedMajor('@langchain/openai'),
  }).toEqual({ openai: 6, ai: 6, openaiCompatible: 2, aiSdkOpenai: 3, langchain: 1 });
});

describe('against the clean embedded tenant', () => {
  let tenant: RunningTenant;
  beforeAll(async () => {
    tenant = await startTenant({});
  });
  afterAll(() => tenant.close());

  describe.each(SDK_DRIVERS)('%s driver', (id) => {
    it('lists models, completes chat, streams chat and embeds', async () => {
      const { driver, recorder } = await driverFor(tenant, id);
      expect((await driver.listModels()).sort()).toEqual(['mission-agent', 'research-agent']);
      const chat = await driver.chat(CHAT);
      expect(chat.content).not.toBe('');
      const stream = await driver.chatStream(CHAT);
      expect(stream.chunks).toBeGreaterThan(1);
      expect(stream.content).toBe(chat.content);
      const vectors = await driver.embed(EMBED);
      expect(vectors).toHaveLength(2);
      expect(vectors[0].length).toBeGreaterThan(0);
      expect(vectors[0].every((x) => Number.isFinite(x))).toBe(true);
      await recorder.settled();
      expect(recorder.exchanges.map((e) => e.response?.status)).toEqual([200, 200, 200, 200]);
    });

    it('sends what its client profile says (stream, stream_options, encoding_format)', async () => {
      const profile = shippedProfiles().get(PROFILE_OF[id])!;
      const { driver, recorder } = await driverFor(tenant, id);
      await driver.chat(CHAT);
      await driver.chatStream(CHAT);
      await driver.embed(EMBED);
      await recorder.settled();
      const [chat, stream, embed] = recorder.exchanges.map(requestJson);
      const call = profile.routes.chat!;
      expect(chat.stream).toBe(call.stream!.sends_false ? false : undefined);
      expect(stream.stream).toBe(true);
      expect(stream.stream_options).toEqual(call.stream_options ?? undefined);
      const encoding = profile.routes.embeddings!.encoding_format;
      expect(embed.encoding_format).toBe(encoding === 'absent' ? undefined : encoding);
      expect(recorder.exchanges.every((e) => new URL(e.request.url).pathname.startsWith('/api/tenant/v1/'))).toBe(true);
    });
  });

  it("ai-sdk with createOpenAI's chat-completions methods works and sends what the ai-sdk-openai profile says", async () => {
    const apiKey = tenant.secrets[KEY];
    const recorder = createRecordingFetch({ secrets: [apiKey], label: 'ai-sdk/openai' });
    const driver = await createDriver('ai-sdk', { baseUrl: `${tenant.baseUrl}/v1`, apiKey, fetch: recorder.fetch, aiSdkProvider: 'openai' });
    expect(driver.library).toMatch(/@ai-sdk\/openai 3\./);
    expect((await driver.chat(CHAT)).content).not.toBe('');
    expect((await driver.chatStream(CHAT)).chunks).toBeGreaterThan(1);
    expect(await driver.embed(EMBED)).toHaveLength(2);
    await recorder.settled();
    const profile = shippedProfiles().get('ai-sdk-openai')!;
    expect(recorder.exchanges.map((e) => new URL(e.request.url).pathname)).toEqual(['/api/tenant/v1/chat/completions', '/api/tenant/v1/chat/completions', '/api/tenant/v1/embeddings']);
    const [, stream, embed] = recorder.exchanges.map(requestJson);
    expect(stream.stream_options).toEqual(profile.routes.chat!.stream_options);
    expect(embed.encoding_format).toBe(profile.routes.embeddings!.encoding_format);
  });

  it('the three SDKs decode the same vectors', async () => {
    const results = await Promise.all(SDK_DRIVERS.map(async (id) => (await driverFor(tenant, id)).driver.embed(EMBED)));
    for (const vectors of results.slice(1)) {
      vectors.forEach((v, i) => v.forEach((x, j) => expect(x).toBeCloseTo(results[0][i][j], 5)));
    }
  });

  it('records a streamed answer whole (teed) and never the key', async () => {
    const { driver, recorder } = await driverFor(tenant, 'openai');
    await driver.chatStream(CHAT);
    await recorder.settled();
    const [exchange] = recorder.exchanges;
    expect(exchange.response?.headers['content-type']).toContain('text/event-stream');
    expect(exchange.response?.body).toMatch(/data: \[DONE\]/);
    expect(exchange.response?.bytes).toBeGreaterThan(0);
    expect(exchange.request.headers.authorization).toMatch(/^Bearer gtak_\*{4}/);
    expect(JSON.stringify(recorder.exchanges)).not.toContain(tenant.secrets[KEY]);
  });
});

describe("LangChain's embeddings and the base64-ignored defect", () => {
  let clean: RunningTenant;
  let defective: RunningTenant;
  beforeAll(async () => {
    clean = await startTenant({});
    defective = await startTenant({ defects: ['base64-ignored'] });
  });
  afterAll(async () => {
    await clean.close();
    await defective.close();
  });

  it('returns vectors that differ from the float answer, without any error', async () => {
    const truth = await (await driverFor(clean, 'langchain')).driver.embed(EMBED);
    const { driver, recorder } = await driverFor(defective, 'langchain');
    const wrong = await driver.embed(EMBED);
    await recorder.settled();
    expect(recorder.exchanges[0].response?.status).toBe(200);
    expect(requestJson(recorder.exchanges[0]).encoding_format).toBe('base64');
    expect(wrong).toHaveLength(truth.length);
    const same = wrong.every((v, i) => v.length === truth[i].length && v.every((x, j) => Math.abs(x - truth[i][j]) < 1e-6));
    expect(same).toBe(false);
  });

  it('the AI SDK, which asks for float, is not affected', async () => {
    const truth = await (await driverFor(clean, 'ai-sdk')).driver.embed(EMBED);
    const vectors = await (await driverFor(defective, 'ai-sdk')).driver.embed(EMBED);
    vectors.forEach((v, i) => v.forEach((x, j) => expect(x).toBeCloseTo(truth[i][j], 5)));
  });
});
