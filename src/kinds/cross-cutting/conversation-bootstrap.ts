// cross-cutting/conversations/{bootstrap,inference-key-denied}: a conversation-facing key bootstraps a
// conversation (id in the body and in X-GT-Conversation-Id); an inference key may not.
import type { RouteKind } from '../kind.ts';
import { routeLabel } from '../../contract/load.ts';
import { needOf } from '../../targets/capabilities.ts';
import { ERROR_BODY_CATCHES } from '../catches.ts';

export const bootstrap: RouteKind = {
  scope: 'route',
  name: 'bootstrap',
  group: 'cross-cutting',
  severity: 'critical',
  appliesTo: (s) => s.route.creates === 'conversation',
  title: () => 'a conversation-facing key bootstraps a conversation: id in the body and in X-GT-Conversation-Id',
  plan: (s, tools) => ({ probes: [tools.probe.bootstrap(tools.key.holding(needOf(s.route)))] }),
  catches: [{ defect: 'conversation-header-missing' }],
};

export const inferenceKeyDenied: RouteKind = {
  scope: 'route',
  name: 'inference-key-denied',
  group: 'cross-cutting',
  severity: 'critical',
  denial: true,
  appliesTo: (s) => s.route.creates === 'conversation' && !s.route.needs.purposes.includes('inference'),
  title: (s) => `an inference key may not call ${routeLabel(s.route)}`,
  plan: (s, tools) => ({ probes: [tools.probe.denial(s.route, tools.key.ofPurpose('inference'))] }),
  catches: ERROR_BODY_CATCHES,
};
