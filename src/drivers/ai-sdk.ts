// The Vercel AI SDK (ai 6) as a client driver: @ai-sdk/openai-compatible 2 for the products that
// use it (generateText, streamText, embed, embedMany), and @ai-sdk/openai 3's createOpenAI for the
// call the GT runbook documents, whose target (chat completions or the Responses API) depends on
// the provider's major version and is settled by running it.
import type { LanguageModel } from 'ai';
import { createOpenAI, createOpenAICompatible, embedMany, generateText, streamText } from './sdk/ai.ts';
import { guarded, listModelsDirectly, statusOf, type ClientDriver, type DriverOptions } from './driver.ts';
import { createRecordingFetch, type RecordingFetch } from './recording-fetch.ts';
import { installedVersion } from './versions.ts';
import type { Exchange } from '../model.ts';

const id = 'ai-sdk' as const;

async function readStream(model: LanguageModel, prompt: string, maxTokens: number, maxRetries: number): Promise<{ content: string; chunks: number }> {
  // onError: the error part of fullStream is what reports it; the default handler would print it.
  const result = streamText({ model, prompt, maxOutputTokens: maxTokens, maxRetries, onError: () => {} });
  let content = '';
  let chunks = 0;
  for await (const part of result.fullStream) {
    if (part.type === 'error') throw part.error;
    if (part.type === 'text-delta') {
      chunks++;
      content += part.text;
    }
  }
  return { content, chunks };
}

interface AiSdkProvider {
  chatModel(model: string): LanguageModel;
  embeddingModel(model: string): Parameters<typeof embedMany>[0]['model'];
  library: string;
}

function providerFor(options: DriverOptions): AiSdkProvider {
  const settings = { baseURL: options.baseUrl, apiKey: options.apiKey, fetch: options.fetch };
  if (options.aiSdkProvider === 'openai') {
    const openai = createOpenAI(settings);
    // openai.chat(): the chat-completions method; openai(model) itself would target the Responses API.
    return { chatModel: (m) => openai.chat(m), embeddingModel: (m) => openai.embedding(m), library: `@ai-sdk/openai ${installedVersion('@ai-sdk/openai')}` };
  }
  const compatible = createOpenAICompatible({ name: 'gt', ...settings });
  return { chatModel: (m) => compatible.chatModel(m), embeddingModel: (m) => compatible.embeddingModel(m), library: `@ai-sdk/openai-compatible ${installedVersion('@ai-sdk/openai-compatible')}` };
}

export function createAiSdkDriver(options: DriverOptions): ClientDriver {
  const maxRetries = options.maxRetries ?? 0;
  const provider = providerFor(options);
  return {
    id,
    library: `ai ${installedVersion('ai')} + ${provider.library}`,
    // The AI SDK has no model listing; apps fetch the list themselves.
    listModels: () => listModelsDirectly(id, options),
    chat: ({ model, prompt, maxTokens }) =>
      guarded(id, 'chat', async () => {
        const result = await generateText({ model: provider.chatModel(model), prompt, maxOutputTokens: maxTokens, maxRetries });
        return { content: result.text };
      }),
    chatStream: ({ model, prompt, maxTokens }) => guarded(id, 'chatStream', () => readStream(provider.chatModel(model), prompt, maxTokens, maxRetries)),
    embed: ({ model, inputs }) =>
      guarded(id, 'embed', async () => {
        const result = await embedMany({ model: provider.embeddingModel(model), values: inputs, maxRetries });
        return result.embeddings.map((e) => Array.from(e));
      }),
  };
}

/** What the runbook's documented call `createOpenAI({ baseURL, apiKey })` + `openai('<alias>')` reached. */
export interface DocumentedCallProbe {
  /** the URL path the call reached, e.g. /api/tenant/v1/responses; undefined when no request left */
  path?: string;
  /** HTTP status of that request; undefined when there was no answer */
  status?: number;
  /** the installed @ai-sdk/openai version that made the call */
  providerVersion: string;
  /** the call failed (with any status): its one-line message */
  error?: string;
  exchanges: Exchange[];
}

/**
 * Runs the Vercel AI SDK runbook's documented call against a tenant: createOpenAI({ baseURL, apiKey })
 * and streamText({ model: openai(model) }), and records which path it reached and the status.
 * `baseUrl` is the OpenAI-style base (…/api/tenant/v1), so only the provider's own choice of path shows.
 */
export async function probeAiSdkDocumentedCall(
  baseUrl: string,
  apiKey: string,
  model: string,
  timeoutMs = 15_000,
  recorder: RecordingFetch = createRecordingFetch({ secrets: [apiKey], label: 'ai-sdk documented call', timeoutMs }),
): Promise<DocumentedCallProbe> {
  const already = recorder.exchanges.length;
  const openai = createOpenAI({ baseURL: baseUrl, apiKey, fetch: recorder.fetch });
  let error: string | undefined;
  try {
    const result = streamText({ model: openai(model), prompt: 'Reply with one word: ping.', maxOutputTokens: 16, maxRetries: 0, onError: () => {} });
    for await (const part of result.fullStream) {
      if (part.type === 'error') throw part.error;
    }
  } catch (err) {
    const status = statusOf(err);
    error = `${status ? `HTTP ${status}: ` : ''}${String((err as Error)?.message ?? err).split('\n')[0]}`;
  }
  await recorder.settled();
  const first = recorder.exchanges[already];
  return {
    path: first ? new URL(first.request.url).pathname : undefined,
    status: first?.response?.status,
    providerVersion: installedVersion('@ai-sdk/openai'),
    ...(error ? { error } : {}),
    exchanges: recorder.exchanges.slice(already),
  };
}
