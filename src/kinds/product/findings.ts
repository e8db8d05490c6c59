// <product>/finding/<n>: one check per runbook finding known before the run (a documentation defect, whatever
// the tenant does); a base-URL finding also sends the request the product would send with the documented
// value, to record whether the tenant serves it (GT-API.md leaves the paths without /v1 open).
import type { Planned, ProductKind } from '../kind.ts';
import { Unmet } from '../kind.ts';
import { loadContract } from '../../contract/load.ts';
import { documentedCalls } from '../../clients/findings.ts';
import { profileById } from '../../clients/load.ts';
import { profileIdFor } from '../../clients/profiles-for-runbooks.ts';
import { needOf } from '../../targets/capabilities.ts';

export const runbookFinding: ProductKind = {
  scope: 'product',
  name: 'finding',
  group: 'finding',
  severity: 'minor',
  checks(s, tools) {
    const id = profileIdFor(s.runbook);
    const profile = id ? profileById(id) : undefined;
    const calls = profile ? documentedCalls(s.runbook, profile, loadContract()).filter((c) => c.reaches !== c.route && c.tenantPath) : [];
    return s.findings.map((finding, i) => ({
      name: String(i + 1),
      title: finding.message,
      finding,
      plan(): Planned {
        const probes: string[] = [];
        const unmet: string[] = [];
        for (const call of calls.filter((c) => finding.message.includes(c.fieldName))) {
          const route = tools.route(call.route);
          try {
            const key = tools.key.holding(needOf(route), { prefer: s.runbook.preset });
            probes.push(tools.probe.other(route, key, { kind: 'served', expect: 'served', params: { path: call.tenantPath, method: call.method } }));
          } catch (err) {
            // The finding stands whatever the tenant serves; only what it does with the documented URL goes unrecorded.
            if (!(err instanceof Unmet)) throw err;
            unmet.push(err.message);
          }
        }
        return { probes: [...new Set(probes)], ...(unmet.length ? { keyNote: `not sent: ${unmet.join('; ')}` } : {}) };
      },
    }));
  },
};
