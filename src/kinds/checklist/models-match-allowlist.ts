// <product>/checklist/<n>-models-match-allowlist: the product's preset key lists exactly its allowlisted names and leaks none.
import { item } from './item.ts';

export const modelsMatchAllowlist = item(
  'models-match-allowlist',
  'models',
  (s, tools) => {
    const key = tools.key.preset(s.runbook.preset);
    return { probes: [tools.probe.success(tools.route('models'), key)] };
  },
  [{ defect: 'models-leak' }],
);
