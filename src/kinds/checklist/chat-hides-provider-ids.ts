// <product>/checklist/<n>-chat-hides-provider-ids: a chat completion with a published alias names that alias
// (or another published name of the key), never the raw provider model id behind it.
import { item } from './item.ts';
import { needOf } from '../../targets/capabilities.ts';

export const chatHidesProviderIds = item(
  'chat-hides-provider-ids',
  'chat',
  (s, tools) => {
    const chat = tools.route('chat');
    const key = tools.key.holding(needOf(chat), { prefer: s.runbook.preset });
    return { probes: [tools.probe.other(chat, key, { kind: 'model-names', expect: 'success' })] };
  },
  [{ defect: 'chat-exposes-provider-id' }, { defect: 'chat-object-wrong' }],
);
