// Which client profile describes a runbook's product: the runbook names it in `client_profile`.
import type { Runbook } from '../model.ts';

export function profileIdFor(runbook: Runbook): string | undefined {
  return runbook.client_profile;
}
