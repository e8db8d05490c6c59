// Runbook findings known before anything is sent: the sources each look at the runbooks and the contract.
import type { Contract, Finding, LoadedRunbook } from './model.ts';

export type FindingSource = (runbooks: LoadedRunbook[], contract: Contract) => Finding[];

export const findingSources: FindingSource[] = [];

export function staticFindings(runbooks: LoadedRunbook[], contract: Contract): Finding[] {
  return findingSources.flatMap((source) => source(runbooks, contract));
}
