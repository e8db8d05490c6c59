// cross-cutting/<route>/negative: contract-driven negative and property testing (src/negative). Requests
// generated from the route's request schema: invalid ones must be refused (400, 413, 415 or 422 with an
// OpenAI-shaped error, never 2xx or 5xx), valid ones must succeed as the contract says. On by default
// against the embedded tenant (one round of every case kind); against a live target only with --fuzz N.
import type { CatchContext, RouteKind } from '../kind.ts';
import { Unmet } from '../kind.ts';
import { routeLabel } from '../../contract/load.ts';
import { casesPerRound } from '../../negative/index.ts';
import { needOf } from '../../targets/capabilities.ts';
import { ERROR_BODY_CATCHES } from '../catches.ts';

export const negative: RouteKind = {
  scope: 'route',
  name: 'negative',
  group: 'cross-cutting',
  severity: 'critical',
  appliesTo: (s) => s.route.content_type !== 'none',
  title: (s) => `${routeLabel(s.route)}: generated invalid requests are refused (never 2xx or 5xx) and valid ones succeed as the contract says`,
  plan(s, tools) {
    const { fuzz } = tools.settings;
    if (fuzz === undefined && tools.settings.live) throw new Unmet('negative testing sends many requests, so it is off against a live target; --fuzz N sends N generated cases per route');
    if (fuzz === 0) throw new Unmet('negative testing is off (--fuzz 0)');
    const key = tools.key.holding(needOf(s.route));
    const cases = fuzz ?? casesPerRound(tools.contract, s.route.id, { writesAllowed: true, inputs: { model: key.models[0], datasetId: key.datasets[0] } });
    const after = s.route.conversation === 'required' ? [tools.probe.bootstrap(key)] : undefined;
    return { probes: [tools.probe.other(s.route, key, { kind: 'negative', expect: 'success', params: { cases }, after })] };
  },
  catches: [
    { defect: 'missing-field-500' },
    { defect: 'model-number-accepted', when: ({ route }) => route?.content_type === 'json' },
    // Valid cases judge the answer whole: a streamed chat's events, a bootstrap's header.
    ...['sse-no-done', 'sse-json-content-type', 'sse-event-after-done', 'chat-object-wrong'].map((defect) => ({ defect, when: ({ route }: CatchContext) => route?.id === 'chat' })),
    { defect: 'conversation-header-missing', when: ({ route }) => route?.creates === 'conversation' },
    { defect: 'conversation-upload-no-header', when: ({ route }) => route?.conversation === 'required' },
    { defect: 'encoding-format-500', when: ({ route }) => route?.id === 'embeddings' },
    { defect: 'long-input-500', when: ({ route }) => route?.id === 'embeddings' },
    { defect: 'empty-messages-500', when: ({ route }) => route?.id === 'chat' },
    { defect: 'no-file-part-500', when: ({ route }) => route?.content_type === 'multipart' },
    ...ERROR_BODY_CATCHES,
  ],
};
