// LangChain JS (@langchain/openai 1.5.8) as a client driver: ChatOpenAI (invoke, stream) and
// OpenAIEmbeddings, both over the OpenAI SDK with the recording fetch.
import { ChatOpenAI, OpenAIEmbeddings } from './sdk/langchain.ts';
import { guarded, listModelsDirectly, type ClientDriver, type DriverOptions } from './driver.ts';
import { installedVersion } from './versions.ts';

const id = 'langchain' as const;

function text(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === 'string' ? part : ((part as { text?: string }).text ?? ''))).join('');
  return '';
}

export function createLangChainDriver(options: DriverOptions): ClientDriver {
  const maxRetries = options.maxRetries ?? 0;
  const configuration = { baseURL: options.baseUrl, fetch: options.fetch };
  const chatModel = (model: string, maxTokens: number) => new ChatOpenAI({ model, apiKey: options.apiKey, maxTokens, maxRetries, configuration });
  return {
    id,
    library: `@langchain/openai ${installedVersion('@langchain/openai')} on openai ${installedVersion('openai')}`,
    // LangChain has no model listing; the runbook checks the model with a direct call at setup.
    listModels: () => listModelsDirectly(id, options),
    chat: ({ model, prompt, maxTokens }) =>
      guarded(id, 'chat', async () => {
        const answer = await chatModel(model, maxTokens).invoke(prompt);
        return { content: text(answer.content) };
      }),
    chatStream: ({ model, prompt, maxTokens }) =>
      guarded(id, 'chatStream', async () => {
        let content = '';
        let chunks = 0;
        for await (const chunk of await chatModel(model, maxTokens).stream(prompt)) {
          chunks++;
          content += text(chunk.content);
        }
        return { content, chunks };
      }),
    // OpenAIEmbeddings sets no encoding_format, so the SDK asks for base64: a tenant that ignores it
    // gives LangChain wrong vectors without an error.
    embed: ({ model, inputs }) =>
      guarded(id, 'embed', async () => {
        const embeddings = new OpenAIEmbeddings({ model, apiKey: options.apiKey, maxRetries, configuration });
        return embeddings.embedDocuments(inputs);
      }),
  };
}
