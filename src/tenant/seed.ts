// The tenant's provisioning seed: published names, datasets and keys, from YAML or JSON.
// Validation errors are one line: `seed FILE:LINE: keys[3].models[0]: "x" is not a published name`.
import path from 'node:path';
import { readYamlFile } from '../input/yaml.ts';
import { readBuildCache, readWithDigest, writeBuildCache } from '../input/build-cache.ts';
import { projectRoot } from '../paths.ts';
import type { Contract, Purpose } from '../model.ts';
import { resolveFailingUpload, type RawFailingUpload } from '../targets/failing-upload.ts';

export const defaultSeedPath = path.join(projectRoot, 'fixtures', 'tenant', 'default-seed.yaml');

export interface SeedPublishedName {
  name: string;
  /** an agent alias or a raw-model catalog name */
  kind: 'agent' | 'raw';
  owned_by?: string;
  /** the routes (ids) the name serves; absent: every route that names a model */
  serves?: string[];
}

export interface SeedKey {
  name: string;
  /** a preset id of presets.yaml; gives purpose and scopes unless they are set here */
  preset?: string;
  purpose?: Purpose;
  scopes?: string[];
  models?: string[];
  datasets?: string[];
  /** conversation keys only: the inference and upload keys they inherit from */
  links?: { inference?: string; upload?: string };
  /** a fixed secret (gtak_...); absent: a fresh random one at start */
  secret?: string;
  revoked?: boolean;
}

export interface TenantSeed {
  published: Array<SeedPublishedName | string>;
  datasets: string[];
  keys: SeedKey[];
  /** a file this tenant refuses or fails, and which of the two (its path absolute once validated) */
  failing_upload?: RawFailingUpload;
}

/** A seed that cannot be used; the message is one line naming the file, line and field. */
export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedError';
  }
}

export const SECRET_PATTERN = /^gtak_[A-Za-z0-9_-]{16,128}$/;
const KEY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;
export const DATASET_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/** Reads a seed file (YAML or JSON; JSON is YAML) and validates it. */
export function loadSeedFile(file: string, contract: Contract): TenantSeed {
  const { yaml, problems } = readYamlFile(file);
  if (!yaml) {
    const [first] = problems;
    if (first.readCode) throw new SeedError(`seed ${file}: cannot read: ${first.readCode}`);
    throw new SeedError(`seed ${file}${first.line ? `:${first.line}` : ''}: ${first.message.replace(/^invalid YAML: /, 'not valid YAML or JSON: ')}`);
  }
  const { doc, lines: lineCounter } = yaml;
  const lineOf = (fieldPath: Array<string | number>): number | undefined => {
    for (let n = fieldPath.length; n > 0; n--) {
      const node = doc.getIn(fieldPath.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return validateSeed(yaml.data, contract, file, lineOf, path.dirname(path.resolve(file)));
}

type PathPart = string | number;

function renderPath(parts: PathPart[]): string {
  return parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Checks a seed object; `where` names it in messages (a file path, or "inline"); a sample's path is relative to `baseDir`. */
export function validateSeed(
  raw: unknown,
  contract: Contract,
  where = 'inline',
  lineOf: (p: PathPart[]) => number | undefined = () => undefined,
  baseDir = process.cwd(),
): TenantSeed {
  const fail = (parts: PathPart[], message: string): never => {
    const line = lineOf(parts);
    throw new SeedError(`seed ${where}${line ? `:${line}` : ''}: ${parts.length ? `${renderPath(parts)}: ` : ''}${message}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const stringList = (v: unknown, parts: PathPart[]): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) return fail(parts, 'must be a list');
    return v.map((item, i) => (typeof item === 'string' && item !== '' ? item : fail([...parts, i], 'must be a non-empty string')));
  };
  const onlyFields = (obj: Record<string, unknown>, allowed: string[], parts: PathPart[]) => {
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail([...parts, k], `unknown field; fields: ${allowed.join(', ')}`);
  };

  if (!isObject(raw)) return fail([], 'must be a mapping with published, datasets and keys');
  onlyFields(raw, ['published', 'datasets', 'keys', 'failing_upload'], []);
  if (!Array.isArray(raw.published)) fail(['published'], 'must be a list of published names');
  if (!Array.isArray(raw.keys)) fail(['keys'], 'must be a list of keys');

  const published: SeedPublishedName[] = (raw.published as unknown[]).map((entry, i) => {
    if (typeof entry === 'string' && entry) return { name: entry, kind: 'agent' };
    if (!isObject(entry)) return fail(['published', i], 'must be a name or a mapping with name and kind');
    onlyFields(entry, ['name', 'kind', 'owned_by', 'serves'], ['published', i]);
    if (typeof entry.name !== 'string' || !entry.name) fail(['published', i, 'name'], 'must be a non-empty string');
    if (entry.kind !== undefined && entry.kind !== 'agent' && entry.kind !== 'raw') fail(['published', i, 'kind'], 'must be agent or raw');
    if (entry.owned_by !== undefined && typeof entry.owned_by !== 'string') fail(['published', i, 'owned_by'], 'must be a string');
    const modelRoutes = contract.routes.filter((r) => r.needs.model).map((r) => r.id);
    const serves = entry.serves === undefined ? undefined : stringList(entry.serves, ['published', i, 'serves']);
    serves?.forEach((r, j) => {
      if (!modelRoutes.includes(r)) fail(['published', i, 'serves', j], `"${r}" is not a route that names a model; routes: ${modelRoutes.join(', ')}`);
    });
    return { name: entry.name as string, kind: (entry.kind as 'agent' | 'raw') ?? 'agent', owned_by: entry.owned_by as string | undefined, ...(serves ? { serves } : {}) };
  });
  const publishedNames = new Set<string>();
  published.forEach((p, i) => {
    if (publishedNames.has(p.name)) fail(['published', i, 'name'], `"${p.name}" is published twice`);
    publishedNames.add(p.name);
  });

  const datasets = stringList(raw.datasets, ['datasets']);
  datasets.forEach((d, i) => {
    if (!DATASET_ID_PATTERN.test(d) || d === '.' || d === '..') fail(['datasets', i], `"${d}" is not a valid dataset id (letters, digits, . _ -)`);
  });
  const datasetSet = new Set(datasets);

  const keys: SeedKey[] = (raw.keys as unknown[]).map((entry, i) => {
    const at: PathPart[] = ['keys', i];
    if (!isObject(entry)) return fail(at, 'must be a mapping');
    onlyFields(entry, ['name', 'preset', 'purpose', 'scopes', 'models', 'datasets', 'links', 'secret', 'revoked'], at);
    if (typeof entry.name !== 'string' || !KEY_NAME_PATTERN.test(entry.name)) fail([...at, 'name'], 'must be a key name (letters, digits, . _ + -)');
    const key: SeedKey = { name: entry.name as string };
    if (entry.preset !== undefined) {
      if (typeof entry.preset !== 'string' || !contract.presets.some((p) => p.id === entry.preset)) {
        fail([...at, 'preset'], `"${String(entry.preset)}" is not a preset; presets: ${contract.presets.map((p) => p.id).join(', ')}`);
      }
      key.preset = entry.preset as string;
    }
    if (entry.purpose !== undefined) {
      if (entry.purpose !== 'inference' && entry.purpose !== 'upload' && entry.purpose !== 'conversation') fail([...at, 'purpose'], 'must be inference, upload or conversation');
      key.purpose = entry.purpose as Purpose;
    }
    if (!key.preset && !key.purpose) fail(at, 'needs a preset or a purpose');
    if (entry.scopes !== undefined) {
      key.scopes = stringList(entry.scopes, [...at, 'scopes']);
      key.scopes.forEach((s, j) => {
        if (!contract.scopes.includes(s)) fail([...at, 'scopes', j], `"${s}" is not a scope; scopes: ${contract.scopes.join(', ')}`);
      });
    }
    if (entry.models !== undefined) {
      key.models = stringList(entry.models, [...at, 'models']);
      key.models.forEach((m, j) => {
        if (!publishedNames.has(m)) fail([...at, 'models', j], `"${m}" is not a published name`);
      });
    }
    if (entry.datasets !== undefined) {
      key.datasets = stringList(entry.datasets, [...at, 'datasets']);
      key.datasets.forEach((d, j) => {
        if (!datasetSet.has(d)) fail([...at, 'datasets', j], `"${d}" is not a dataset of the seed`);
      });
    }
    if (entry.links !== undefined) {
      if (!isObject(entry.links)) fail([...at, 'links'], 'must be a mapping with inference and/or upload');
      const links = entry.links as Record<string, unknown>;
      onlyFields(links, ['inference', 'upload'], [...at, 'links']);
      for (const k of ['inference', 'upload'] as const) {
        if (links[k] !== undefined && typeof links[k] !== 'string') fail([...at, 'links', k], 'must be a key name');
      }
      key.links = { inference: links.inference as string | undefined, upload: links.upload as string | undefined };
    }
    if (entry.secret !== undefined) {
      // Never echo the secret value itself in the message.
      if (typeof entry.secret !== 'string' || !SECRET_PATTERN.test(entry.secret)) fail([...at, 'secret'], 'must be gtak_ followed by 16 to 128 letters, digits, _ or -');
      key.secret = entry.secret as string;
    }
    if (entry.revoked !== undefined) {
      if (typeof entry.revoked !== 'boolean') fail([...at, 'revoked'], 'must be true or false');
      key.revoked = entry.revoked as boolean;
    }
    return key;
  });

  const byName = new Map<string, { key: SeedKey; index: number }>();
  keys.forEach((key, index) => {
    if (byName.has(key.name)) fail(['keys', index, 'name'], `"${key.name}" is used by two keys`);
    byName.set(key.name, { key, index });
  });
  const purposeOf = (k: SeedKey): Purpose => k.purpose ?? contract.presets.find((p) => p.id === k.preset)!.purpose;
  const secrets = new Map<string, number>();
  keys.forEach((key, index) => {
    const at: PathPart[] = ['keys', index];
    const purpose = purposeOf(key);
    if (key.preset && key.purpose && key.purpose !== purposeOf({ name: '', preset: key.preset })) {
      fail([...at, 'purpose'], `contradicts preset ${key.preset}`);
    }
    if (purpose === 'conversation') {
      if (key.models || key.datasets || key.scopes) fail(at, 'a conversation key inherits models, datasets and scopes from its linked keys; set them there');
      if (!key.links?.inference) fail([...at, 'links'], 'a conversation key needs links.inference');
      for (const kind of ['inference', 'upload'] as const) {
        const linked = key.links?.[kind];
        if (linked === undefined) continue;
        const target = byName.get(linked);
        if (!target) fail([...at, 'links', kind], `"${linked}" is not a key of the seed`);
        if (purposeOf(target!.key) !== kind) fail([...at, 'links', kind], `"${linked}" is not an ${kind} key`);
        const other = keys.find((k) => k !== key && purposeOf(k) === 'conversation' && (k.links?.inference === linked || k.links?.upload === linked));
        if (other) fail([...at, 'links', kind], `"${linked}" is already linked to "${other.name}"`);
      }
    } else {
      if (key.links) fail([...at, 'links'], 'only conversation keys link to other keys');
      if (purpose === 'inference' && key.datasets?.length) fail([...at, 'datasets'], 'an inference key has no dataset allowlist');
      if (purpose === 'upload' && key.models?.length) fail([...at, 'models'], 'an upload key has no model allowlist');
    }
    if (key.secret) {
      if (secrets.has(key.secret)) fail([...at, 'secret'], `the same secret as keys[${secrets.get(key.secret)}]`);
      secrets.set(key.secret, index);
    }
  });

  return { published, datasets, keys, ...(raw.failing_upload === undefined ? {} : { failing_upload: failingUploadOf(raw.failing_upload) }) };

  function failingUploadOf(entry: unknown): RawFailingUpload {
    const at: PathPart[] = ['failing_upload'];
    if (!isObject(entry)) return fail(at, 'must be a mapping with file and, optionally, expect (refused or failed) and content_type');
    onlyFields(entry, ['file', 'expect', 'content_type'], at);
    if (typeof entry.file !== 'string' || !entry.file) fail([...at, 'file'], 'must be the path of a file, relative to the seed');
    if (entry.expect !== undefined && entry.expect !== 'refused' && entry.expect !== 'failed') fail([...at, 'expect'], 'must be refused (a 4xx at upload) or failed (ends failed with a reason)');
    if (entry.content_type !== undefined && (typeof entry.content_type !== 'string' || !/^[\w.+-]+\/[\w.+-]+$/.test(entry.content_type))) fail([...at, 'content_type'], 'must be a content type such as application/pdf');
    const sample = { file: entry.file as string, ...(entry.expect ? { expect: entry.expect as 'refused' | 'failed' } : {}), ...(entry.content_type ? { content_type: entry.content_type as string } : {}) };
    const { problem } = resolveFailingUpload(sample, baseDir);
    if (problem) fail([...at, 'file'], problem);
    return { ...sample, file: path.resolve(baseDir, sample.file) };
  }
}

/** The seed named by the options: a file path, an inline object, or the built-in default. */
export function resolveSeed(seed: string | TenantSeed | undefined, contract: Contract): TenantSeed {
  if (seed === undefined) return loadDefaultSeed(contract);
  if (typeof seed === 'string') return loadSeedFile(seed, contract);
  return validateSeed(seed, contract);
}

/**
 * The default seed's YAML as `npm run build` parsed it (writeDefaultSeedCache), while the file has that digest:
 * an embedded tenant then loads no YAML parser. Validated at each start all the same.
 */
const SEED_CACHE = 'default-seed';

function loadDefaultSeed(contract: Contract): TenantSeed {
  const data = readBuildCache<unknown>(SEED_CACHE, readWithDigest([defaultSeedPath]).digest);
  if (data === undefined) return loadSeedFile(defaultSeedPath, contract);
  return validateSeed(data, contract, defaultSeedPath, undefined, path.dirname(defaultSeedPath));
}

/** Called by `npm run build`: the default seed's YAML as JSON, for loadDefaultSeed. */
export function writeDefaultSeedCache(): void {
  const { yaml } = readYamlFile(defaultSeedPath);
  if (yaml) writeBuildCache(SEED_CACHE, readWithDigest([defaultSeedPath]).digest, yaml.data);
}
