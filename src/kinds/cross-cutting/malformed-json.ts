// cross-cutting/chat/malformed-json: a body that is not JSON is a bad request (400 or 422), never a 5xx.
import type { RouteKind } from '../kind.ts';
import { needOf } from '../../targets/capabilities.ts';
import { ERROR_BODY_CATCHES } from '../catches.ts';

export const malformedJson: RouteKind = {
  scope: 'route',
  name: 'malformed-json',
  group: 'cross-cutting',
  severity: 'critical',
  appliesTo: (s) => s.route.id === 'chat',
  title: () => 'chat with malformed JSON answers 400 or 422, never 5xx',
  plan: (s, tools) => ({ probes: [tools.probe.other(s.route, tools.key.holding(needOf(s.route)), { kind: 'bad-request', expect: 'bad_request', params: { variant: 'malformed-json' } })] }),
  catches: ERROR_BODY_CATCHES,
};
