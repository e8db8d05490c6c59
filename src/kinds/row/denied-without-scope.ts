// <product>/<route>/denied-without-scope: the same route is refused to a key that provably lacks what it needs.
import type { RowKind, RowSubject } from '../kind.ts';
import { needWords } from '../kind.ts';
import { routeLabel } from '../../contract/load.ts';
import { needOf } from '../../targets/capabilities.ts';
import { ERROR_BODY_CATCHES, SCOPE_404_CATCHES, SCOPE_CATCHES } from '../catches.ts';

const needFor = (s: RowSubject) => needOf(s.route, s.row.requires_scope);

export const deniedWithoutScope: RowKind = {
  scope: 'row',
  name: 'denied-without-scope',
  group: 'route',
  denial: true,
  appliesTo: (s) => s.row.verdict !== 'not_supported',
  title: (s) => `${routeLabel(s.route)} is denied to a key without ${needWords(needFor(s))}`,
  severity: (s) => (s.row.verdict === 'native' ? 'critical' : 'normal'),
  plan(s, tools) {
    const need = needFor(s);
    const key = tools.key.lacking(need, { prefer: s.runbook.preset });
    // A route that reads an object, or works in a conversation, is denied on an object a key that may call it made.
    const owner = s.route.reads || s.route.conversation === 'required' ? tools.key.holding(need, { prefer: s.runbook.preset }) : undefined;
    return { probes: [tools.probe.denial(s.route, key, owner)] };
  },
  catches: [
    ...SCOPE_CATCHES,
    ...SCOPE_404_CATCHES,
    ...ERROR_BODY_CATCHES,
  ],
};
