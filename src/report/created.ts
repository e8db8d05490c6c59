// What a run created on the tenant: every 2xx answer to a route that creates an object (contract routes'
// `creates`), with the id the answer carries. Derived from the recorded exchanges, so it holds whichever
// probe or SDK sent the request, and an operator can find and remove each object after a live run.
import type { Contract, Exchange } from '../model.ts';
import { contractPathFor } from '../clients/url.ts';
import type { DistinctExchange } from './har.ts';
import type { CreatedObject } from './report-model.ts';

function answerFields(exchange: Exchange): { id?: string; name?: string } {
  try {
    const body = JSON.parse(exchange.response?.body ?? '') as { id?: unknown; filename?: unknown; title?: unknown };
    const name = typeof body.filename === 'string' ? body.filename : typeof body.title === 'string' ? body.title : undefined;
    return { ...(typeof body.id === 'string' ? { id: body.id } : {}), ...(name ? { name } : {}) };
  } catch {
    return {};
  }
}

/** The objects the distinct exchanges of a run (distinctExchanges) created. */
export function createdObjects(contract: Contract, distinct: readonly DistinctExchange[]): CreatedObject[] {
  const created = new Map<string, CreatedObject>();
  for (const { exchange, checks: ids } of distinct) {
    const status = exchange.response?.status ?? 0;
    if (status < 200 || status > 299) continue;
    const route = contractPathFor(exchange.request.url, contract);
    if (!route?.creates || route.method !== exchange.request.method) continue;
    const { id, name } = answerFields(exchange);
    if (!id) continue;
    const seen = created.get(id);
    if (seen) seen.checks.push(...ids.filter((c) => !seen.checks.includes(c)));
    else created.set(id, { object: route.creates, id, ...(name ? { name } : {}), route: `${route.method} ${route.path}`, checks: [...ids] });
  }
  return [...created.values()];
}
