// What a target's key can and provably cannot do. "Holds" and "lacks" are both claims: a key whose scopes
// are not fully known (a conversation key whose linked keys the target file does not list) holds what is
// known and is never said to lack anything else.
import type { Purpose, RouteSpec, TargetKey } from '../model.ts';

/** What a key needs to call a route (plus the extra scope of a conditional verdict). */
export interface KeyNeed {
  purposes: Purpose[];
  scopes: string[];
  /** the route names a published model */
  model?: boolean;
  /** the route writes into a dataset on the key's allowlist */
  dataset?: boolean;
  /** the route, for picking a published name that serves it */
  route?: string;
}

export function needOf(route: RouteSpec, extraScope?: string): KeyNeed {
  const scopes = [route.needs.scope, extraScope].filter((s): s is string => !!s);
  return { purposes: route.needs.purposes, scopes: [...new Set(scopes)], model: route.needs.model, dataset: route.needs.dataset, route: route.id };
}

/**
 * The published names the key may use on a route that names a model: all its names where the target does not
 * split them by route; where it does, the route's names, none for a route it does not list (unknown is not a name).
 */
export function namesFor(key: TargetKey, routeId: string | undefined): string[] {
  if (!routeId || !key.modelsByRoute) return key.models;
  return key.modelsByRoute[routeId] ?? [];
}

/**
 * The key may name a model on the route, or the route names none: a refusal of it then cannot be about the
 * model, only about a scope or purpose it lacks.
 */
export function mayNameAModel(key: TargetKey, routeId: string | undefined, routeNeedsModel: boolean): boolean {
  return !routeNeedsModel || namesFor(key, routeId).length > 0;
}

/** The key can call the route: a valid key of a fitting purpose that holds every scope, a name and a dataset where needed. */
export function holds(key: TargetKey, need: KeyNeed): boolean {
  return (
    !key.revoked &&
    need.purposes.includes(key.purpose) &&
    need.scopes.every((s) => key.scopes.includes(s)) &&
    (!need.dataset || key.datasets.length > 0) &&
    (key.purpose === 'upload' || (need.model ? namesFor(key, need.route) : key.models).length > 0)
  );
}

/** The key provably cannot call the route: its purpose does not fit, or it is known to lack a needed scope. */
export function lacks(key: TargetKey, need: KeyNeed): boolean {
  if (key.revoked) return false; // a revoked key is refused for being revoked, which proves nothing about scopes
  if (!need.purposes.includes(key.purpose)) return true;
  return key.scopesKnown !== false && need.scopes.some((s) => !key.scopes.includes(s));
}

/** Keys made from a wizard preset first (what an operator hands a product), then the fewest scopes, then the name. */
export function byNarrowness(a: TargetKey, b: TargetKey): number {
  return Number(!a.preset) - Number(!b.preset) || a.scopes.length - b.scopes.length || a.name.localeCompare(b.name);
}

/** Why the key's model list cannot be held to its allowlist (the target file gives none, or only some routes'), or undefined. */
export function allowlistGap(key: TargetKey): string | undefined {
  if (key.modelsKnown !== false) return undefined;
  if (!key.models.length) return `the target file names no models for key ${keyWords(key)}, so its list cannot be compared with its allowlist (add the published names it may use: models: [...])`;
  const routes = Object.keys(key.modelsByRoute ?? {}).join(', ');
  return `the target file names models for key ${keyWords(key)} on ${routes} only, so a name it lists for another route may be its own (give every route it may call, or one list: models: [...])`;
}

/** "preset openai-chat" or "key x": how a message names a key, never its secret. */
export function keyWords(key: TargetKey): string {
  return `${key.name}${key.preset && key.preset !== key.name ? ` (${key.preset})` : ''}`;
}
