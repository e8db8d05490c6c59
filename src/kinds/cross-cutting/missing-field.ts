// cross-cutting/<route>/missing-field: a JSON request without a required field (from the contract's schema)
// is a bad request (400 or 422), never a 5xx.
import type { RouteKind } from '../kind.ts';
import { needOf } from '../../targets/capabilities.ts';
import { loadContract, routeLabel } from '../../contract/load.ts';
import { fieldToDrop } from '../../contract/requests.ts';
import { ERROR_BODY_CATCHES } from '../catches.ts';

export const missingField: RouteKind = {
  scope: 'route',
  name: 'missing-field',
  group: 'cross-cutting',
  severity: 'critical',
  appliesTo: (s) => s.route.content_type === 'json',
  title: (s) => `${routeLabel(s.route)} without ${fieldToDrop(loadContract(), s.route)} answers 400 or 422, never 5xx`,
  plan: (s, tools) => ({ probes: [tools.probe.other(s.route, tools.key.holding(needOf(s.route)), { kind: 'bad-request', expect: 'bad_request', params: { variant: 'missing-field' } })] }),
  catches: [{ defect: 'missing-field-500' }, ...ERROR_BODY_CATCHES],
};
