// cross-cutting/<route>/model-not-allowlisted: a published name that is not on the key's allowlist is refused.
// One route of each shape is enough to show the allowlist is enforced: chat, embeddings and the bootstrap.
import type { RouteKind } from '../kind.ts';
import { needOf } from '../../targets/capabilities.ts';
import { routeLabel } from '../../contract/load.ts';
import { ERROR_BODY_CATCHES } from '../catches.ts';

const ROUTES = ['chat', 'embeddings', 'conversations'];

export const modelNotAllowlisted: RouteKind = {
  scope: 'route',
  name: 'model-not-allowlisted',
  group: 'cross-cutting',
  severity: 'critical',
  denial: true,
  appliesTo: (s) => ROUTES.includes(s.route.id),
  title: (s) => `${routeLabel(s.route)} with a published model not on the key's allowlist is refused`,
  plan(s, tools) {
    const key = tools.key.holding(needOf(s.route), { hides: true });
    return { probes: [tools.probe.other(s.route, key, { kind: 'hidden-model', expect: 'denied' })] };
  },
  catches: [{ defect: 'model-allowlist-ignored' }, { defect: 'error-leaks-hidden-model' }, ...ERROR_BODY_CATCHES],
};
