// Chooses which target key a probe uses: the product's preset where it can, the narrowest other key where not.
import type { Contract, RouteSpec, Target, TargetKey } from '../model.ts';

export interface KeyNeed {
  purposes: string[];
  scopes: string[];
  dataset?: boolean;
}

export function needOf(route: RouteSpec, extraScope?: string): KeyNeed {
  const scopes = [route.needs.scope, extraScope].filter((s): s is string => !!s);
  return { purposes: route.needs.purposes, scopes: [...new Set(scopes)], dataset: route.needs.dataset };
}

export function satisfies(key: TargetKey, need: KeyNeed): boolean {
  return (
    !key.revoked &&
    need.purposes.includes(key.purpose) &&
    need.scopes.every((s) => key.scopes.includes(s)) &&
    (!need.dataset || key.datasets.length > 0) &&
    (key.models.length > 0 || key.purpose === 'upload')
  );
}

// Keys made from a wizard preset first (what an operator would hand a product), then the fewest scopes.
const byNarrowness = (a: TargetKey, b: TargetKey) =>
  Number(!a.preset) - Number(!b.preset) || a.scopes.length - b.scopes.length || a.name.localeCompare(b.name);

/** The key a product would use for a route: its preset key (plus a scope), else the narrowest key that can. */
export function keyFor(target: Target, preset: string, need: KeyNeed, family?: string): TargetKey | undefined {
  const able = target.keys.filter((k) => satisfies(k, need) && (!family || k.family === family)).sort(byNarrowness);
  return able.find((k) => k.preset === preset) ?? able[0];
}

/** The product's own preset key, exactly as the wizard makes it (no extra scopes), not revoked. */
export function presetKey(target: Target, contract: Contract, preset: string): TargetKey | undefined {
  const presetScopes = contract.presets.find((p) => p.id === preset)?.scopes ?? [];
  const own = target.keys.filter((k) => k.preset === preset && !k.revoked).sort(byNarrowness);
  return own.find((k) => k.scopes.length === presetScopes.length) ?? own[0];
}

/** A valid key that lacks what the route needs: the product's preset key when it lacks it, else the narrowest such key. */
export function keyLacking(target: Target, preset: string, route: RouteSpec, need: KeyNeed): TargetKey | undefined {
  const lacking = target.keys.filter((k) => !k.revoked && !satisfies(k, need)).sort(byNarrowness);
  // For an inference route, a key of another purpose is a weaker denial than one of the right purpose without the scope.
  const samePurpose = lacking.filter((k) => route.needs.purposes.includes(k.purpose));
  const pool = samePurpose.length > 0 ? samePurpose : lacking;
  return pool.find((k) => k.preset === preset) ?? pool[0];
}

export function revokedKey(target: Target): TargetKey | undefined {
  return target.keys.find((k) => k.revoked);
}

/** A key of another family than `family`, able to call the route. */
export function otherFamilyKey(target: Target, family: string, need: KeyNeed): TargetKey | undefined {
  return target.keys.filter((k) => k.family !== family && satisfies(k, need)).sort(byNarrowness)[0];
}
