// The end of every conformance test: waivers applied, secrets scrubbed, task.meta.gt set, Allure evidence
// recorded, and the test failed or skipped to match the check's outcome.
import type { TestContext } from 'vitest';
import './task-meta.ts';
import type { CheckMeta } from '../src/model.ts';
import { readRunOptions } from '../src/run/options.ts';
import { applyWaiver, loadWaivers, type Waiver } from '../src/report/waivers.ts';
import { scrubDeep } from '../src/report/scrub.ts';
import { recordAllureEvidence, type EvidenceContext } from './allure-evidence.ts';

export interface SettleOptions extends EvidenceContext {
  /** the run's waivers; default: the file GT_CONFORMANCE_OPTIONS names, loaded once per worker */
  waivers?: readonly Waiver[];
  now?: Date;
}

/** A failed check. Named AssertionError so Allure files it as failed (a product defect), not broken (a harness error). */
export class CheckFailure extends Error {
  override name = 'AssertionError';
}

let runWaivers: { file: string | undefined; waivers: Waiver[] } | undefined;

/** The waivers of the run (GT_CONFORMANCE_OPTIONS.waivers), loaded once per process. Throws a one-line error for a bad file. */
export function waiversOfRun(): Waiver[] {
  const file = readRunOptions().waivers;
  if (!runWaivers || runWaivers.file !== file) runWaivers = { file, waivers: file ? loadWaivers(file) : [] };
  return runWaivers.waivers;
}

/**
 * Records the check's result on its test and settles the test: throws when the check fails (after waivers),
 * skips it (with the reason) when blocked, skipped or not exercised, and returns otherwise.
 */
export async function settleCheck(ctx: Pick<TestContext, 'task' | 'skip'>, result: CheckMeta, options: SettleOptions = {}): Promise<CheckMeta> {
  const waived = applyWaiver(options.waivers ?? waiversOfRun(), { product: result.check.product, checkId: result.check.id, outcome: result.outcome, message: result.message }, options.now);
  const meta: CheckMeta = scrubDeep(
    {
      ...result,
      outcome: waived.outcome,
      message: waived.message,
      ...(waived.waiver ? { waiver: waived.waiver } : {}),
    },
    options.secrets ?? [],
  );
  ctx.task.meta.gt = meta;
  await recordAllureEvidence(meta, options);
  if (waived.fail) throw new CheckFailure(meta.message);
  if (meta.outcome === 'blocked' || meta.outcome === 'skipped' || meta.outcome === 'not_exercised') ctx.skip(`${meta.outcome.replace('_', ' ')}: ${meta.message}`);
  return meta;
}
