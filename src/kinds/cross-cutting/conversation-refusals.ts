// cross-cutting/<route>/{foreign-conversation,unknown-conversation}: a route that takes X-GT-Conversation-Id
// refuses a conversation of another key family (by any key outside it) and an id that does not exist.
import type { RouteKind } from '../kind.ts';
import { routeLabel } from '../../contract/load.ts';
import { needOf } from '../../targets/capabilities.ts';
import { ERROR_BODY_CATCHES } from '../catches.ts';

export const foreignConversation: RouteKind = {
  scope: 'route',
  name: 'foreign-conversation',
  group: 'cross-cutting',
  severity: 'critical',
  denial: true,
  appliesTo: (s) => s.route.conversation !== undefined,
  title: (s) => `${routeLabel(s.route)} bound to another key family's conversation is refused`,
  plan(s, tools) {
    const bootstrap = tools.routesThat('creates', 'conversation')[0];
    const owner = tools.key.holding(needOf(bootstrap));
    const other = tools.key.otherFamily(owner, needOf(s.route));
    return { probes: [tools.probe.other(s.route, other, { kind: 'foreign-conversation', expect: 'denied', after: [tools.probe.bootstrap(owner)] })] };
  },
  catches: [{ defect: 'cross-family-conversation-visible' }, ...ERROR_BODY_CATCHES],
};

export const unknownConversation: RouteKind = {
  scope: 'route',
  name: 'unknown-conversation',
  group: 'cross-cutting',
  severity: 'critical',
  denial: true,
  appliesTo: (s) => s.route.conversation !== undefined,
  title: (s) => `${routeLabel(s.route)} bound to an unknown conversation id is refused`,
  plan(s, tools) {
    // A conversation-facing key: it could reach a conversation, so only the unknown id can refuse it.
    const key = tools.key.holding(needOf(s.route), { purposes: ['conversation'] });
    return { probes: [tools.probe.other(s.route, key, { kind: 'unknown-conversation', expect: 'denied' })] };
  },
  catches: ERROR_BODY_CATCHES,
};
