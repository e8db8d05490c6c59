// The key a product's route check runs with: the product's own preset key, else a key of an alternative
// preset the runbook names for that route's workflow, else the narrowest key that can; the last two are
// said in the check's title and evidence, so a report never quietly tests another preset.
import type { TargetKey } from '../../model.ts';
import type { KeyNeed } from '../../targets/capabilities.ts';
import { needWords, type PlanTools, type RowSubject } from '../kind.ts';

export interface ProductKey {
  key: TargetKey;
  /** in the title: "with a chat-embeddings key" */
  titleNote?: string;
  /** in the evidence: which key and why */
  keyNote?: string;
}

export function productKey(s: RowSubject, tools: PlanTools, need: KeyNeed): ProductKey {
  const { runbook } = s;
  const key = tools.key.holding(need, { prefer: runbook.preset });
  if (key.preset === runbook.preset) return { key };
  for (const alt of runbook.alternative_presets ?? []) {
    if (alt.routes && !alt.routes.includes(s.route.id)) continue;
    const altKey = tools.key.holding(need, { prefer: alt.preset });
    if (altKey.preset === alt.preset) {
      return { key: altKey, titleNote: `with a ${alt.preset} key`, keyNote: `used key ${altKey.name} of the runbook's alternative preset ${alt.preset} (${alt.workflow})` };
    }
  }
  const what = `${key.preset ? `the ${key.preset} preset` : 'no preset'}`;
  return {
    key,
    titleNote: `with key ${key.name}`,
    keyNote: `used key ${key.name} (${what}): the target has no ${runbook.preset} key that holds ${needWords(need)}, the runbook's preset`,
  };
}
