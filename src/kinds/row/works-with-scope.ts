// <product>/<route>/works-with-scope: a not_supported row that names a scope ("not default unless image
// features are configured with the GT image scope") works once configured: with the preset plus that scope.
// Its other half, the preset alone denied, is the row's preset-denied check.
import type { RowKind, RowSubject } from '../kind.ts';
import { needWords } from '../kind.ts';
import { routeLabel } from '../../contract/load.ts';
import { needOf } from '../../targets/capabilities.ts';
import { CHAT_CATCHES, EMBEDDING_CATCHES } from '../catches.ts';
import { productKey } from './product-key.ts';

const needFor = (s: RowSubject) => needOf(s.route, s.row.requires_scope);

export const worksWithScope: RowKind = {
  scope: 'row',
  name: 'works-with-scope',
  group: 'route',
  appliesTo: (s) => s.row.verdict === 'not_supported' && !!s.row.requires_scope,
  title: (s) => `when configured, ${routeLabel(s.route)} works with the ${s.runbook.preset} preset plus ${s.row.requires_scope} (${needWords(needFor(s))})`,
  severity: 'normal',
  plan(s, tools) {
    const { key, ...notes } = productKey(s, tools, needFor(s));
    return { probes: [tools.probe.success(s.route, key, tools.probe.clientOf(s.runbook, s.route))], ...notes };
  },
  catches: [
    { defect: 'image-not-png', when: ({ route }) => route?.id === 'images' },
    { defect: 'speech-wrong-format', when: ({ route }) => route?.id === 'speech' },
    ...CHAT_CATCHES,
    ...EMBEDDING_CATCHES,
  ],
};
