// What the AI SDK driver takes from ai and its providers: the entry of its bundle (src/drivers/sdk/bundles.ts).
export { embedMany, generateText, streamText } from 'ai';
export { createOpenAICompatible } from '@ai-sdk/openai-compatible';
export { createOpenAI } from '@ai-sdk/openai';
