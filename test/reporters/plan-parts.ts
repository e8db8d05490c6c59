// A plan's parts written by hand, for the reporters' unit tests (the key coverage table, the progress
// lines): a target key, a probe and a check with the fields a test does not look at filled in plainly.
import type { Check, Probe, TargetKey } from '../../src/model.ts';

export const key = (name: string, extra: Partial<TargetKey> = {}): TargetKey => ({ name, purpose: 'inference', scopes: [], models: [], datasets: [], hidden_models: [], family: name, ...extra });

export const probe = (id: string, route: string, k: string, dependsOn?: string[]): Probe => ({ id, route, kind: 'call', key: k, expect: 'success', driver: 'http', ...(dependsOn ? { dependsOn } : {}) });

/** A check of `kind` on `route`; a `cross-cutting/` id makes a cross-cutting check, any other a route check of the id's first part. */
export const check = (id: string, kind: string, route: string | undefined, probes: string[], extra: Partial<Check> = {}): Check => ({
  id,
  kind,
  group: id.startsWith('cross-cutting/') ? 'cross-cutting' : 'route',
  ...(id.startsWith('cross-cutting/') ? {} : { product: id.split('/')[0] }),
  ...(route ? { route } : {}),
  title: id,
  probes,
  severity: 'normal',
  ...extra,
});
