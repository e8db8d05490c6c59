// Loads the contract (route catalog, key presets, OpenAPI document) from fixtures/contract.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parse } from 'yaml';
import { contractDir } from '../paths.ts';
import type { Contract, Preset, RouteSpec } from '../model.ts';

/** The GT header that ties chat turns and uploads to a conversation (R7 returns it, R9 needs it). */
export const CONVERSATION_HEADER = 'X-GT-Conversation-Id';

const files = ['routes.yaml', 'presets.yaml', 'openapi.yaml'] as const;

let cached: Contract | undefined;

export function loadContract(dir: string = contractDir): Contract {
  if (cached && dir === contractDir) return cached;
  const hash = createHash('sha256');
  const texts = files.map((f) => {
    const text = readFileSync(path.join(dir, f), 'utf8');
    hash.update(f).update('\0').update(text).update('\0');
    return text;
  });
  const routesDoc = parse(texts[0]) as { base_path: string; routes: RouteSpec[] };
  const presetsDoc = parse(texts[1]) as { scopes: Record<string, string[]>; presets: Preset[] };
  const contract: Contract = {
    basePath: routesDoc.base_path,
    routes: routesDoc.routes,
    presets: presetsDoc.presets,
    scopes: Object.values(presetsDoc.scopes).flat(),
    openapi: parse(texts[2]) as Record<string, unknown>,
    digest: hash.digest('hex'),
  };
  if (dir === contractDir) cached = contract;
  return contract;
}

export function routeById(contract: Contract, id: string): RouteSpec {
  const route = contract.routes.find((r) => r.id === id);
  if (!route) throw new Error(`unknown route id "${id}"`);
  return route;
}

export function presetById(contract: Contract, id: string): Preset | undefined {
  return contract.presets.find((p) => p.id === id);
}

/** "GET /v1/models": how people name a route. */
export function routeLabel(route: RouteSpec): string {
  return `${route.method} ${route.path}`;
}
