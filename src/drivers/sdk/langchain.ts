// @langchain/openai as the LangChain driver uses it: from the build's bundle while it is current.
import { loadSdk } from './bundles.ts';

export const { ChatOpenAI, OpenAIEmbeddings } = await loadSdk<typeof import('./langchain-package.ts')>('langchain', () => import('./langchain-package.ts'));
