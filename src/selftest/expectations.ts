// Which checks must fail for each defect of the embedded tenant: the checks of every kind that declares the
// defect among its catches (src/kinds), where the catch's condition holds for that check. Only what a
// defect needs from the tenant to show (rate limiting for a 429 defect) is said here.
import type { Check, Contract, Plan, Target } from '../model.ts';
import type { TenantOptions } from '../tenant/index.ts';
import { CHECK_KINDS, kindNamed } from '../kinds/index.ts';

export interface DefectSetting {
  /** tenant settings the defect needs to show */
  tenant?: Partial<TenantOptions>;
  /** the failing checks depend on timing: any check may fail, and every failure must carry this message */
  anyCheck?: RegExp;
}

export const DEFECT_SETTINGS: Readonly<Record<string, DefectSetting>> = {
  // Which requests meet the 429s depends on timing: every failure must be one of them.
  'retry-after-missing': { tenant: { rateLimit: { every: 6, retryAfterSeconds: 1 } }, anyCheck: /without Retry-After, so it was not retried/ },
};

/** Every defect some kind is meant to catch, or that has a setting of its own. */
export function expectedDefects(): string[] {
  return [...new Set([...CHECK_KINDS.flatMap((k) => (k.catches ?? []).map((c) => c.defect)), ...Object.keys(DEFECT_SETTINGS)])].sort();
}

/** The checks of the plan that must fail when the tenant has this defect (checks that send nothing are left out). */
export function expectedFailures(defect: string, plan: Pick<Plan, 'checks' | 'probes'>, contract: Contract, target: Pick<Target, 'keys'>): Set<string> {
  const probes = new Map(plan.probes.map((p) => [p.id, p]));
  const expected = new Set<string>();
  for (const check of plan.checks) {
    if (!sends(check)) continue;
    const catches = kindNamed(check.kind)?.catches?.filter((c) => c.defect === defect) ?? [];
    const context = { check, probes: check.probes.map((id) => probes.get(id)!), route: contract.routes.find((r) => r.id === check.route), keyOf: (name: string) => target.keys.find((k) => k.name === name) };
    if (catches.some((c) => !c.when || c.when(context))) expected.add(check.id);
  }
  return expected;
}

function sends(check: Check): boolean {
  return !check.manual && !check.skip && !check.notExercised && check.group !== 'finding' && check.probes.length > 0;
}
