// What the LangChain driver takes from @langchain/openai: the entry of its bundle (src/drivers/sdk/bundles.ts).
export { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
