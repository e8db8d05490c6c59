// cross-cutting/models/lowercase-bearer: a valid key sent as "Authorization: bearer <key>" is served. RFC 7235
// makes the scheme case-insensitive; some HTTP libraries and hand-written integrations send it lowercase.
// The route every client calls first is enough to show it.
import type { RouteKind } from '../kind.ts';
import { needOf } from '../../targets/capabilities.ts';
import { routeLabel } from '../../contract/load.ts';

export const lowercaseBearer: RouteKind = {
  scope: 'route',
  name: 'lowercase-bearer',
  group: 'cross-cutting',
  severity: 'normal',
  appliesTo: (s) => s.route.id === 'models',
  title: (s) => `${routeLabel(s.route)} with "Authorization: bearer <key>" is served (RFC 7235: the scheme is case-insensitive)`,
  plan: (s, tools) => ({ probes: [tools.probe.other(s.route, tools.key.holding(needOf(s.route)), { kind: 'lowercase-bearer', expect: 'success' })] }),
  catches: [{ defect: 'bearer-lowercase-refused' }],
};
