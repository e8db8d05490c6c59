// The openai package as the OpenAI driver uses it: from the build's bundle while it is current.
import { loadSdk } from './bundles.ts';

export const { OpenAI, toFile } = await loadSdk<typeof import('./openai-package.ts')>('openai', () => import('./openai-package.ts'));
