// ai and its two OpenAI providers as the AI SDK driver uses them: from the build's bundle while it is current.
import { loadSdk } from './bundles.ts';

export const { embedMany, generateText, streamText, createOpenAICompatible, createOpenAI } = await loadSdk<typeof import('./ai-package.ts')>('ai', () => import('./ai-package.ts'));
