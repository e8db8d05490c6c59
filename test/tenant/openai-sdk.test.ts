// The real OpenAI Node SDK (v6) against a started tenant: the right key succeeds on every
// OpenAI-shaped route, a wrong key raises the SDK's own error classes.
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG_SIGNATURE } from '../../src/tenant/content/png.ts';
import { startTenant, type RunningTenant } from '../../src/tenant/index.ts';
import { EMBEDDINGS } from './helpers.ts';

let tenant: RunningTenant;
const client = (key: string) => new OpenAI({ apiKey: tenant.secrets[key] ?? key, baseURL: `${tenant.baseUrl}/v1`, maxRetries: 0, timeout: 60_000 });

beforeAll(async () => {
  tenant = await startTenant();
});
afterAll(async () => {
  await tenant.close();
});

describe('openai SDK against the embedded tenant', () => {
  it('models.list returns the key\'s allowlist', async () => {
    const ids: string[] = [];
    for await (const model of client('openai-chat').models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual(['llama-3.1-70b-instruct', 'mission-agent']);
  });

  it('chat.completions.create, plain', async () => {
    const completion = await client('openai-chat').chat.completions.create({ model: 'mission-agent', messages: [{ role: 'user', content: 'status report' }] });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0].message.content).toBe('Echo from mission-agent: status report');
    expect(completion.usage?.total_tokens).toBe(7);
  });

  it('chat.completions.create, streamed with usage', async () => {
    const stream = await client('agentic-ide').chat.completions.create({
      model: 'mission-agent',
      messages: [{ role: 'user', content: 'stream this please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let content = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(content).toBe('Echo from mission-agent: stream this please');
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(6);
  });

  it('embeddings.create with its default (base64) encoding gives the same vectors as float', async () => {
    const sdk = client('chat-embeddings');
    const input = ['Mission objective', 'Known risks'];
    const byDefault = await sdk.embeddings.create({ model: 'research-agent', input });
    const asFloat = await sdk.embeddings.create({ model: 'research-agent', input, encoding_format: 'float' });
    expect(asFloat.data.map((d) => d.embedding)).toEqual([EMBEDDINGS['Mission objective'].floats, EMBEDDINGS['Known risks'].floats]);
    expect(byDefault.data.map((d) => d.embedding)).toEqual(asFloat.data.map((d) => d.embedding));
  });

  it('audio.transcriptions.create', async () => {
    const file = await toFile(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt data', 'latin1'), 'call.wav', { type: 'audio/wav' });
    const transcription = await client('voice-audio').audio.transcriptions.create({ file, model: 'voice-agent' });
    expect(transcription.text).toMatch(/^Transcript of call\.wav/);
  });

  it('audio.speech.create returns WAV bytes', async () => {
    const response = await client('voice-audio').audio.speech.create({ model: 'voice-agent', input: 'hello', voice: 'alloy', response_format: 'wav' });
    expect(response.headers.get('content-type')).toBe('audio/wav');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('WAVE');
  });

  it('images.generate returns a PNG', async () => {
    const image = await client('image-generation').images.generate({ model: 'image-agent', prompt: 'extraction zone map', size: '256x256' });
    const png = Buffer.from(image.data![0].b64_json!, 'base64');
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('raises PermissionDeniedError (403) for a key without the scope or model', async () => {
    const denied = [
      () => client('openai-chat').embeddings.create({ model: 'mission-agent', input: 'x' }),
      () => client('openai-chat').images.generate({ model: 'mission-agent', prompt: 'x' }),
      () => client('openai-chat').audio.speech.create({ model: 'mission-agent', input: 'x', voice: 'alloy' }),
      async () => client('openai-chat').audio.transcriptions.create({ file: await toFile(Buffer.from('RIFF'), 'a.wav'), model: 'mission-agent' }),
      () => client('image-generation').chat.completions.create({ model: 'image-agent', messages: [{ role: 'user', content: 'x' }] }),
      () => client('openai-chat').chat.completions.create({ model: 'internal-ops-agent', messages: [{ role: 'user', content: 'x' }] }),
    ];
    for (const call of denied) {
      const error = await call().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect((error as InstanceType<typeof OpenAI.PermissionDeniedError>).status).toBe(403);
    }
  });

  it('raises AuthenticationError (401) for an unknown or revoked key', async () => {
    for (const key of ['gtak_NotAKeyOfThisTenant0000', 'revoked']) {
      const error = await client(key).models.list().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(String((error as Error).message)).not.toContain('gtak_NotAKeyOfThisTenant0000');
    }
  });
});
