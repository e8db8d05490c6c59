// The real OpenAI Node SDK (openai 6) as a client driver: what the OpenAI SDK / curl runbook's
// products send, including the SDK's own base64 embeddings request.
import { OpenAI, toFile } from './sdk/openai.ts';
import { guarded, type ClientDriver, type DriverOptions } from './driver.ts';
import { installedVersion } from './versions.ts';

export function createOpenAIDriver(options: DriverOptions): ClientDriver {
  const client = new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey, fetch: options.fetch, maxRetries: options.maxRetries ?? 0 });
  const id = 'openai' as const;
  return {
    id,
    library: `openai ${installedVersion('openai')}`,
    listModels: () => guarded(id, 'listModels', async () => (await client.models.list()).data.map((m) => m.id)),
    chat: ({ model, prompt, maxTokens }) =>
      guarded(id, 'chat', async () => {
        const answer = await client.chat.completions.create({ model, messages: [{ role: 'user', content: prompt }], max_tokens: maxTokens });
        return { content: answer.choices[0]?.message?.content ?? '' };
      }),
    chatStream: ({ model, prompt, maxTokens }) =>
      guarded(id, 'chatStream', async () => {
        const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: prompt }], max_tokens: maxTokens, stream: true });
        let content = '';
        let chunks = 0;
        for await (const chunk of stream) {
          chunks++;
          content += chunk.choices[0]?.delta?.content ?? '';
        }
        return { content, chunks };
      }),
    // No encoding_format: the SDK then asks for base64 and decodes float32 itself, as products do.
    embed: ({ model, inputs }) =>
      guarded(id, 'embed', async () => {
        const answer = await client.embeddings.create({ model, input: inputs });
        return [...answer.data].sort((a, b) => a.index - b.index).map((d) => Array.from(d.embedding));
      }),
    transcribe: ({ model, file, filename }) =>
      guarded(id, 'transcribe', async () => {
        const answer = await client.audio.transcriptions.create({ model, file: await toFile(file, filename) });
        return { text: answer.text };
      }),
    speech: ({ model, input, format, voice }) =>
      guarded(id, 'speech', async () => {
        const answer = await client.audio.speech.create({ model, input, voice: (voice ?? 'alloy') as never, response_format: format as never });
        return { bytes: new Uint8Array(await answer.arrayBuffer()), contentType: answer.headers.get('content-type') ?? undefined };
      }),
    image: ({ model, prompt }) =>
      guarded(id, 'image', async () => {
        const answer = await client.images.generate({ model, prompt, response_format: 'b64_json' });
        const b64 = answer.data?.[0]?.b64_json;
        if (!b64) throw new Error('image answer has no data[0].b64_json');
        return { b64 };
      }),
  };
}
