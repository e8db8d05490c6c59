// <product>/<route>/works: a native or gt_extension row works with a key that holds what the route needs
// (the product's preset, plus the scope a conditional verdict names), and the answer matches the contract.
import type { CatchContext, RowKind, RowSubject } from '../kind.ts';
import { needWords } from '../kind.ts';
import { routeLabel } from '../../contract/load.ts';
import { needOf } from '../../targets/capabilities.ts';
import { CHAT_CATCHES, EMBEDDING_CATCHES, READY_CATCHES } from '../catches.ts';
import { productKey } from './product-key.ts';

const needFor = (s: RowSubject) => needOf(s.route, s.row.requires_scope);

export const works: RowKind = {
  scope: 'row',
  name: 'works',
  group: 'route',
  appliesTo: (s) => s.row.verdict !== 'not_supported',
  title: (s) => `${routeLabel(s.route)} works with a key holding ${needWords(needFor(s))} and answers as the contract says`,
  severity: (s) => (s.row.verdict === 'native' ? 'critical' : 'normal'),
  plan(s, tools) {
    const { key, ...notes } = productKey(s, tools, needFor(s));
    return { probes: [tools.probe.success(s.route, key, tools.probe.clientOf(s.runbook, s.route))], ...notes };
  },
  catches: [
    { defect: 'models-leak', when: ({ route }) => route?.id === 'models' },
    { defect: 'image-not-png', when: ({ route }) => route?.id === 'images' },
    { defect: 'speech-wrong-format', when: ({ route }) => route?.id === 'speech' },
    ...CHAT_CATCHES,
    ...EMBEDDING_CATCHES,
    ...READY_CATCHES.map((c) => ({ ...c, when: ({ route }: CatchContext) => route?.reads === 'file' })),
  ],
};
