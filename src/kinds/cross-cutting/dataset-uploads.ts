// cross-cutting/<route>/{dataset-not-allowlisted,undecodable-file}: an upload into a dataset off the key's
// allowlist is refused; a file that must fail is refused at upload or ends failed with a reason. GT documents
// no content that must fail, so that file is the target's failing_upload sample, else an empty file; an empty
// file the tenant processes to ready leaves the check not exercised (src/probes/lifecycle.ts).
import type { RouteKind } from '../kind.ts';
import { needOf } from '../../targets/capabilities.ts';
import { ERROR_BODY_CATCHES } from '../catches.ts';

export const datasetNotAllowlisted: RouteKind = {
  scope: 'route',
  name: 'dataset-not-allowlisted',
  group: 'cross-cutting',
  severity: 'critical',
  denial: true,
  appliesTo: (s) => !!s.route.needs.dataset,
  title: () => 'an upload into a dataset not on the key allowlist is denied',
  plan(s, tools) {
    const key = tools.key.holding(needOf(s.route));
    tools.key.foreignDataset();
    return { probes: [tools.probe.other(s.route, key, { kind: 'foreign-dataset', expect: 'denied' })] };
  },
  catches: [{ defect: 'dataset-allowlist-ignored' }, ...ERROR_BODY_CATCHES],
};

export const undecodableFile: RouteKind = {
  scope: 'route',
  name: 'undecodable-file',
  group: 'cross-cutting',
  severity: 'critical',
  appliesTo: (s) => !!s.route.needs.dataset && s.route.creates === 'file',
  title: () => 'a file that must fail (the failing_upload sample, else an empty file) is refused at upload or ends failed with a reason',
  plan: (s, tools) => ({ probes: [tools.probe.other(s.route, tools.key.holding(needOf(s.route)), { kind: 'failed-upload', expect: 'failed_with_reason' })] }),
  catches: [{ defect: 'failed-without-reason' }, { defect: 'upload-stuck-processing' }, { defect: 'uploads-alias-missing' }],
};
