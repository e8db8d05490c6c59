// <product>/checklist/<n>-conversation-continuity: two chat turns bound to one bootstrapped conversation keep its id.
import { item } from './item.ts';
import { needOf } from '../../targets/capabilities.ts';

export const conversationContinuity = item(
  'conversation-continuity',
  'chat',
  (s, tools) => {
    const bootstrap = tools.routesThat('creates', 'conversation')[0];
    const chat = tools.route('chat');
    const key = tools.key.holding({ ...needOf(chat), purposes: bootstrap.needs.purposes }, { prefer: s.runbook.preset });
    return { probes: [tools.probe.other(chat, key, { kind: 'conversation', expect: 'success', after: [tools.probe.bootstrap(key)] })] };
  },
  [{ defect: 'chat-object-wrong' }],
);
