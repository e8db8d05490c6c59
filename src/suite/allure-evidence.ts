// Allure evidence of one check, recorded from inside its test (allure-vitest's runtime): labels for product,
// route, verdict and severity; parameters for the key preset and the target; one step per HTTP exchange with
// the request and response attached as a redacted text transcript. A check of generated cases (the negative
// group's, up to a hundred and more) has one step per case and their transcripts in one attachment: a file
// each was half of the run's Allure files, and creating a file costs more than writing a long one.
import * as allure from 'allure-js-commons';
import { BaseMessageTestRuntime, getGlobalTestRuntime } from 'allure-js-commons/sdk/runtime';
import type { CheckMeta, Exchange, Severity } from '../model.ts';
import { exchangeTitle, exchangeTranscript } from '../report/transcript.ts';
import { scrubText } from '../report/scrub.ts';

export interface EvidenceContext {
  /** host (and port) of the target: never a URL with credentials */
  targetHost?: string;
  /** every secret of the run, masked wherever it appears */
  secrets?: readonly string[];
}

/** Allure severity: a route the runbook calls native is critical when it fails (blocker stays blocker). */
export function allureSeverity(meta: Pick<CheckMeta, 'check'>): Severity {
  const { check } = meta;
  if (check.group === 'route' && check.verdict === 'native' && check.severity !== 'blocker') return 'critical';
  return check.severity;
}

/** True inside a test of a run that has the allure-vitest reporter; elsewhere recording is skipped silently. */
export function allureIsActive(): boolean {
  return getGlobalTestRuntime() instanceof BaseMessageTestRuntime;
}

export async function recordAllureEvidence(meta: CheckMeta, context: EvidenceContext = {}): Promise<void> {
  if (!allureIsActive()) return;
  const secrets = context.secrets ?? [];
  const clean = (text: string) => scrubText(text, secrets);
  const { check } = meta;
  await allure.epic(check.product ?? 'cross-cutting');
  if (check.route) await allure.feature(check.route);
  await allure.story(check.verdict ?? (check.group === 'validation' ? 'checklist' : check.group));
  await allure.severity(allureSeverity(meta));
  await allure.parameter('key preset', meta.keyPreset ?? 'none');
  if (context.targetHost) await allure.parameter('target', clean(context.targetHost));
  await allure.label('check', check.id);
  await allure.tag(meta.outcome);
  await allure.description(clean(`${meta.outcome.replaceAll('_', ' ')}: ${meta.message}${meta.waiver ? `\n\nwaiver until ${meta.waiver.expires}: ${meta.waiver.reason}` : ''}`));
  const stepTitle = (exchange: Exchange) => clean(`${exchange.label}: ${exchangeTitle(exchange)}`);
  if (meta.generated) {
    for (const exchange of meta.exchanges) await allure.logStep(stepTitle(exchange));
    // each transcript starts with its "# label" line
    const transcripts = meta.exchanges.map(exchangeTranscript).join('\n');
    if (meta.exchanges.length) await allure.attachment(`requests and responses (${meta.exchanges.length})`, clean(transcripts), TRANSCRIPT);
    return;
  }
  for (const exchange of meta.exchanges) {
    await allure.step(stepTitle(exchange), async () => {
      await allure.attachment('request and response', clean(exchangeTranscript(exchange)), TRANSCRIPT);
    });
  }
}

const TRANSCRIPT = { contentType: 'text/plain', fileExtension: 'txt' };
