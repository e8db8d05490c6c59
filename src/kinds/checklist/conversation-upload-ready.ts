// <product>/checklist/<n>-conversation-upload-ready: an upload into a conversation, polled until ready.
import { item } from './item.ts';
import { needOf } from '../../targets/capabilities.ts';
import { READY_CATCHES } from '../catches.ts';

export const conversationUploadReady = item(
  'conversation-upload-ready',
  'conversation-files',
  (s, tools) => {
    const into = tools.routesThat('creates', 'file').find((r) => r.conversation === 'required');
    const reader = tools.routesThat('reads', 'file')[0];
    if (!into || !reader) return { probes: [] };
    const key = tools.key.holding(needOf(into), { prefer: s.runbook.preset });
    const upload = tools.probe.success(into, key);
    return { probes: [upload, tools.probe.other(reader, key, { kind: 'poll', expect: 'ready', after: [upload] })] };
  },
  READY_CATCHES,
);
