// Which client profile describes a runbook's product: the one its runbook names in `client_profile`, else
// the common OpenAI-compatible behaviour (fixtures/clients/openai-compatible.yaml).
import type { Runbook } from '../model.ts';

/** The profile of a product whose runbook names none. */
export const DEFAULT_PROFILE = 'openai-compatible';

export function profileIdFor(runbook: Pick<Runbook, 'client_profile'>): string {
  return runbook.client_profile ?? DEFAULT_PROFILE;
}
