// <product>/finding/documented-call: where a product's documented call really goes, settled by making it with
// the real library (the Vercel AI SDK's createOpenAI + openai('<alias>') reaches the Responses API in 3.x).
// For every product whose client profile records a documented call an SDK driver can make.
import type { ProductKind } from '../kind.ts';
import { profileById } from '../../clients/load.ts';
import { profileIdFor } from '../../clients/profiles-for-runbooks.ts';
import { needOf } from '../../targets/capabilities.ts';

export const documentedCall: ProductKind = {
  scope: 'product',
  name: 'documented-call',
  group: 'finding',
  severity: 'minor',
  checks(s, tools) {
    const id = profileIdFor(s.runbook);
    const profile = id ? profileById(id) : undefined;
    if (!profile?.documented_call || profile.driver !== 'ai-sdk') return [];
    const call = profile.documented_call;
    return [
      {
        name: 'documented-call',
        title: `the runbook's documented ${call.call.replace(/ with .*$/, '')} call reaches a GT route`,
        plan() {
          const chat = tools.route('chat');
          const key = tools.key.holding(needOf(chat), { prefer: s.runbook.preset });
          return { probes: [tools.probe.other(chat, key, { kind: 'documented-call', expect: 'success', driver: 'ai-sdk', params: { product: s.runbook.product } })] };
        },
      },
    ];
  },
};
