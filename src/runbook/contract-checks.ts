// Checks of one runbook against the contract (fixtures/contract): what the schema cannot know.
// They read the raw parsed data defensively, so they run (and report) even when the schema failed.
import type { Contract } from '../model.ts';
import { formatPath, type PathSegment } from '../input/positions.ts';
import { profileById, shippedProfiles } from '../clients/load.ts';

export interface ContractProblem {
  path: PathSegment[];
  message: string;
  /** the message names a line the caller fills in, e.g. the first occurrence of a duplicate */
  firstAt?: PathSegment[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkAgainstContract(data: Record<string, unknown>, contract: Contract): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const routeIds = contract.routes.map((r) => r.id);
  const presetIds = contract.presets.map((p) => p.id);

  if (typeof data.preset === 'string' && data.preset && !presetIds.includes(data.preset)) {
    problems.push({ path: ['preset'], message: `unknown preset "${data.preset}"; known presets: ${presetIds.join(', ')}` });
  }

  if (typeof data.client_profile === 'string' && data.client_profile && !profileById(data.client_profile)) {
    const known = [...shippedProfiles().keys()].sort().join(', ');
    problems.push({ path: ['client_profile'], message: `unknown client profile "${data.client_profile}"; profiles in fixtures/clients: ${known}` });
  }

  const rows = Array.isArray(data.routes) ? data.routes : [];
  const firstRowOf = new Map<string, number>();
  rows.forEach((row, i) => {
    if (!isRecord(row)) return;
    const route = row.route;
    if (typeof route === 'string' && route) {
      if (!routeIds.includes(route)) {
        problems.push({ path: ['routes', i, 'route'], message: `unknown route "${route}"; known routes: ${routeIds.join(', ')}` });
      } else if (firstRowOf.has(route)) {
        const first = firstRowOf.get(route)!;
        problems.push({
          path: ['routes', i, 'route'],
          message: `duplicate route "${route}": already mapped at ${formatPath(['routes', first])}`,
          firstAt: ['routes', first],
        });
      } else {
        firstRowOf.set(route, i);
      }
    }
    const scope = row.requires_scope;
    if (typeof scope === 'string' && scope && !contract.scopes.includes(scope)) {
      problems.push({
        path: ['routes', i, 'requires_scope'],
        message: `unknown scope "${scope}"; known scopes: ${contract.scopes.join(', ')}`,
      });
    }
  });

  const alternatives = Array.isArray(data.alternative_presets) ? data.alternative_presets : [];
  alternatives.forEach((alt, i) => {
    if (!isRecord(alt)) return;
    if (typeof alt.preset === 'string' && alt.preset && !presetIds.includes(alt.preset)) {
      problems.push({ path: ['alternative_presets', i, 'preset'], message: `unknown preset "${alt.preset}"; known presets: ${presetIds.join(', ')}` });
    }
    (Array.isArray(alt.routes) ? alt.routes : []).forEach((route, j) => {
      if (typeof route === 'string' && !routeIds.includes(route)) problems.push({ path: ['alternative_presets', i, 'routes', j], message: `unknown route "${route}"; known routes: ${routeIds.join(', ')}` });
    });
  });
  return problems;
}
