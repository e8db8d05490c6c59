// cross-cutting/<route>/missing-header: a route that requires X-GT-Conversation-Id answers 400 or 422 without it.
import type { RouteKind } from '../kind.ts';
import { needOf } from '../../targets/capabilities.ts';
import { ERROR_BODY_CATCHES } from '../catches.ts';

export const missingHeader: RouteKind = {
  scope: 'route',
  name: 'missing-header',
  group: 'cross-cutting',
  severity: 'critical',
  appliesTo: (s) => s.route.conversation === 'required',
  title: () => 'a conversation upload without X-GT-Conversation-Id answers 400 or 422',
  plan: (s, tools) => ({ probes: [tools.probe.other(s.route, tools.key.holding(needOf(s.route)), { kind: 'bad-request', expect: 'bad_request', params: { variant: 'missing-header' } })] }),
  catches: [{ defect: 'conversation-upload-no-header' }, ...ERROR_BODY_CATCHES],
};
