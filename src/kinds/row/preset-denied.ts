// <product>/<route>/preset-denied: a not_supported row's route is refused to the product's own preset key
// (least privilege: "key scope matches actual routes exercised"), unless the preset holds it for another reason.
import type { RowKind } from '../kind.ts';
import { routeLabel } from '../../contract/load.ts';
import { holds, needOf } from '../../targets/capabilities.ts';
import { ERROR_BODY_CATCHES, SCOPE_404_CATCHES, SCOPE_CATCHES } from '../catches.ts';

export const presetDenied: RowKind = {
  scope: 'row',
  name: 'preset-denied',
  group: 'route',
  denial: true,
  appliesTo: (s) => s.row.verdict === 'not_supported',
  title: (s) => `the ${s.runbook.preset} preset key is denied ${routeLabel(s.route)} (least privilege)`,
  severity: 'normal',
  plan(s, tools) {
    const key = tools.key.preset(s.runbook.preset, needOf(s.route));
    if (holds(key, needOf(s.route))) {
      const { needs } = s.route;
      return {
        notExercised: needs.scope
          ? `the ${s.runbook.preset} preset holds ${needs.scope} for another route, so a denial cannot be shown`
          : `every ${needs.purposes.join(' or ')} key may call ${routeLabel(s.route)}, so the ${s.runbook.preset} preset cannot be denied it`,
      };
    }
    return { probes: [tools.probe.denial(s.route, key)] };
  },
  catches: [...SCOPE_CATCHES, ...SCOPE_404_CATCHES, ...ERROR_BODY_CATCHES],
};
