// What the checklist kinds share: a checklist item is a check of group 'validation' titled with the item's
// text, with the product's own calls of the routes it names.
import type { ChecklistKind, ChecklistSubject, PlanTools } from '../kind.ts';
import { needOf } from '../../targets/capabilities.ts';

/** The product's successful calls of these routes, each with the key it would use. */
export function productCalls(s: ChecklistSubject, tools: PlanTools, routeIds: string[]): string[] {
  return routeIds.map((id) => {
    const route = tools.route(id);
    const key = tools.key.holding(needOf(route), { prefer: s.runbook.preset });
    return tools.probe.success(route, key, tools.probe.clientOf(s.runbook, route));
  });
}

export function item(name: ChecklistKind['name'], route: string, plan: ChecklistKind['plan'], catches: ChecklistKind['catches'] = []): ChecklistKind {
  return {
    scope: 'checklist',
    name,
    route,
    group: 'validation',
    severity: 'normal',
    title: (s) => s.item.text,
    appliesTo: (s) => s.item.check === name,
    plan,
    catches,
  };
}

