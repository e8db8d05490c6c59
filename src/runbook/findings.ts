// Runbook findings known before anything is sent: the sources each look at the runbooks and the contract.
// Findings are not input errors: they change an exit code only with --fail-on-findings.
import type { Contract, Finding, LoadedRunbook } from '../model.ts';
import { clientFindings } from '../clients/findings.ts';

/** Something that reads valid runbooks and reports what is wrong in what they document. */
export type FindingSource = (runbooks: LoadedRunbook[], contract: Contract) => Finding[];

/** Every source `validate` and `run` report from; add a source here. */
export const findingSources: FindingSource[] = [clientFindings];

export function staticFindings(runbooks: LoadedRunbook[], contract: Contract): Finding[] {
  return findingSources.flatMap((source) => source(runbooks, contract));
}
