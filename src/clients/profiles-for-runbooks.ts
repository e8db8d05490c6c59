// Which client profile describes a runbook's product. A runbook names it in `client_profile`; the
// table is the fallback for the shipped runbooks until each carries that field.
import type { Runbook } from '../model.ts';

export const PROFILE_FOR_RUNBOOK: Readonly<Record<string, string>> = Object.freeze({
  'openai-sdk': 'openai-node',
  'open-webui': 'open-webui',
  librechat: 'librechat',
  dify: 'dify',
  'vercel-ai-sdk': 'ai-sdk-openai',
  langchain: 'langchain-openai',
  'generic-openai-http': 'generic-http',
});

export function profileIdFor(runbook: Runbook): string | undefined {
  return runbook.client_profile ?? PROFILE_FOR_RUNBOOK[runbook.id];
}
