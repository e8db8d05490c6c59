// cross-cutting/<route>/foreign-file: another key family's file is not visible on the route that reads files
// back, nor on its aliases.
import type { RouteKind } from '../kind.ts';
import { needOf } from '../../targets/capabilities.ts';
import { ERROR_BODY_CATCHES } from '../catches.ts';

export const foreignFile: RouteKind = {
  scope: 'route',
  name: 'foreign-file',
  group: 'cross-cutting',
  severity: 'critical',
  denial: true,
  appliesTo: (s) => s.route.reads === 'file',
  title: (s) => `another key family's file is not visible on ${[s.route.path, ...(s.route.aliases ?? [])].join(' nor on ')}`,
  plan(s, tools) {
    // The file's owner uploads where no conversation is needed; a key of another family that may read files
    // at all is refused only by the family boundary.
    const into = tools.routesThat('creates', 'file').find((r) => r.conversation !== 'required') ?? tools.routesThat('creates', 'file')[0];
    const owner = tools.key.holding(needOf(into));
    const other = tools.key.otherFamily(owner, needOf(s.route));
    return { probes: [tools.probe.denial(s.route, other, owner)] };
  },
  catches: [{ defect: 'cross-family-file-visible' }, ...ERROR_BODY_CATCHES],
};
