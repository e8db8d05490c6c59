// The words of a run's summary, the same on the console, in the Markdown and in the HTML: a product's
// result, the comparison with the baseline, the requests sent beside the estimate, the negative group.
import type { Outcome } from '../model.ts';
import type { OutcomeCounts, ReportComparison } from './report-model.ts';
import { outcomeWords } from '../outcome/outcomes.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface ProductStatus {
  /** the outcome whose colour the product gets */
  outcome: Outcome | 'none';
  words: string;
}

/**
 * A product's result. Its checks aggregate worst first, and a runbook finding ranks above a pass; but a
 * finding is a documentation defect, not a failure of the product: it passed, with findings (unless
 * --fail-on-findings makes them fail the run). Checks blocked or not run (a stopped run) are not a pass.
 */
export function productStatus(product: { outcome: Outcome | 'none'; counts: Pick<OutcomeCounts, 'runbook_defect' | 'blocked' | 'not_run'> }, failOnFindings = false): ProductStatus {
  const findings = product.counts.runbook_defect;
  if (product.outcome === 'runbook_defect') {
    if (failOnFindings) return { outcome: 'failed', words: `failed: ${plural(findings, 'runbook finding')} (--fail-on-findings)` };
    const unproven = (['blocked', 'not_run'] as const).find((o) => product.counts[o] > 0) ?? 'passed';
    return { outcome: unproven, words: `${outcomeWords(unproven)}, with ${plural(findings, 'finding')}` };
  }
  return { outcome: product.outcome, words: `${outcomeWords(product.outcome)}${findings ? `, with ${plural(findings, 'finding')}` : ''}` };
}

/** "against baseline FILE (run of …): 2 new failures, 1 fixed, 3 still failing, 4 new checks, 0 removed" */
export function comparisonWords(c: ReportComparison): string {
  const of = c.baseline.startedAt ? ` (run of ${c.baseline.startedAt})` : '';
  return (
    `against the baseline ${c.baseline.file}${of}: ${plural(c.new_failures.length, 'new failure')}, ${c.fixed.length} fixed, ` +
    `${c.still_failing.length} still failing, ${plural(c.new_checks.length, 'new check')}, ${c.removed_checks.length} removed`
  );
}

/** "412 requests sent (the plan estimated 418)" */
export function requestsWords(r: { sent: number; estimated: number }): string {
  return `${plural(r.sent, 'request')} sent (the plan estimated ${r.estimated})`;
}

/** "negative group: 96 generated cases on 8 routes, 96 requests, seed 1 (replay with --seed 1)" */
export function negativeWords(n: { seed: number; routes: number; cases: number; requests: number }): string {
  return `negative group: ${plural(n.cases, 'generated case')} on ${plural(n.routes, 'route')}, ${plural(n.requests, 'request')}, seed ${n.seed} (replay with --seed ${n.seed})`;
}

/** "created on the tenant: 3 files, 2 conversations", or "created nothing on the tenant" */
export function createdWords(created: ReadonlyArray<{ object: string }>): string {
  if (!created.length) return 'created nothing on the tenant';
  const files = created.filter((c) => c.object === 'file').length;
  const conversations = created.length - files;
  return `created on the tenant: ${[files && plural(files, 'file'), conversations && plural(conversations, 'conversation')].filter(Boolean).join(', ')}`;
}
