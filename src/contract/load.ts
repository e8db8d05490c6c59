// Loads the contract (route catalog, key presets, OpenAPI document) from fixtures/contract.
import path from 'node:path';
import { yaml } from '../input/lazy-libraries.ts';
import { contractDir } from '../paths.ts';
import { buildCacheFile, readBuildCache, readWithDigest, writeBuildCache } from '../input/build-cache.ts';
import type { Contract, Preset, RouteSpec } from '../model.ts';

/** The GT header that ties chat turns and uploads to a conversation (R7 returns it, R9 needs it). */
export const CONVERSATION_HEADER = 'X-GT-Conversation-Id';

const files = ['routes.yaml', 'presets.yaml', 'openapi.yaml'] as const;

let cached: Contract | undefined;

/**
 * The shipped contract parsed to JSON by `npm run build` (writeContractCache, src/input/build-cache.ts): the
 * YAML parser takes about 0.2 s for the three files, in the CLI and again in each check worker.
 */
const CACHE = 'contract';
export const contractCacheFile = buildCacheFile(CACHE);

export function loadContract(dir: string = contractDir): Contract {
  if (cached && dir === contractDir) return cached;
  const { texts, digest } = readContractFiles(dir);
  const contract = (dir === contractDir && readBuildCache<Contract>(CACHE, digest)) || parseContract(texts, digest);
  if (dir === contractDir) cached = contract;
  return contract;
}

/** The three files' texts and the digest of all of them. */
function readContractFiles(dir: string): { texts: string[]; digest: string } {
  return readWithDigest(files.map((f) => path.join(dir, f)));
}

function parseContract(texts: string[], digest: string): Contract {
  const { parse } = yaml();
  const routesDoc = parse(texts[0]) as { base_path: string; routes: RouteSpec[] };
  const presetsDoc = parse(texts[1]) as { scopes: Record<string, string[]>; presets: Preset[] };
  return {
    basePath: routesDoc.base_path,
    routes: routesDoc.routes,
    presets: presetsDoc.presets,
    scopes: Object.values(presetsDoc.scopes).flat(),
    openapi: parse(texts[2]) as Record<string, unknown>,
    digest,
  };
}

/** Called by `npm run build`: the shipped contract as JSON, for loadContract. */
export function writeContractCache(): void {
  const { texts, digest } = readContractFiles(contractDir);
  writeBuildCache(CACHE, digest, parseContract(texts, digest));
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
