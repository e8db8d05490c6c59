// The end of every conformance test: the check's outcome settled under the run's rules (src/outcome),
// secrets scrubbed, task.meta.gt set, Allure evidence recorded, and the test failed or skipped to match.
import type { TestContext } from 'vitest';
import './task-meta.ts';
import type { CheckMeta } from '../model.ts';
import { loadWaivers, type Waiver } from '../outcome/waivers.ts';
import { settle } from '../outcome/settle.ts';
import { scrubDeep } from '../report/scrub.ts';
import { recordAllureEvidence, type EvidenceContext } from './allure-evidence.ts';

export interface SettleOptions extends EvidenceContext {
  /** the run's waivers */
  waivers?: readonly Waiver[];
  /** runbook findings fail the check's test (--fail-on-findings) */
  failOnFindings?: boolean;
  now?: Date;
}

/** A failed check. Named AssertionError so Allure files it as failed (a product defect), not broken (a harness error). */
export class CheckFailure extends Error {
  override name = 'AssertionError';
}

let runWaivers: { file: string | undefined; waivers: Waiver[] } | undefined;

/** The waivers of the run's waiver file, loaded once per process. Throws a one-line error for a bad file. */
export function waiversOfRun(file: string | undefined): Waiver[] {
  if (!runWaivers || runWaivers.file !== file) runWaivers = { file, waivers: file ? loadWaivers(file) : [] };
  return runWaivers.waivers;
}

/**
 * Records the check's result on its test and settles the test: throws when the check fails (after waivers and
 * --fail-on-findings), skips it (with the reason) when nothing was shown, and returns otherwise.
 */
export async function settleCheck(ctx: Pick<TestContext, 'task' | 'skip'>, result: CheckMeta, options: SettleOptions = {}): Promise<CheckMeta> {
  const settled = settle(result.check, result, { waivers: options.waivers, failOnFindings: options.failOnFindings, now: options.now });
  const meta: CheckMeta = scrubDeep({ ...result, outcome: settled.outcome, message: settled.message, ...(settled.waiver ? { waiver: settled.waiver } : {}) }, options.secrets ?? []);
  ctx.task.meta.gt = meta;
  await recordAllureEvidence(meta, options);
  if (settled.test === 'fail') throw new CheckFailure(meta.message);
  if (settled.test === 'skip') ctx.skip(`${meta.outcome.replaceAll('_', ' ')}: ${meta.message}`);
  return meta;
}
