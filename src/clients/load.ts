// Loads fixtures/clients/*.yaml: YAML with source positions -> profile schema (ajv) -> checks the
// schema cannot express. Bad input never throws: each problem is an InputError at file:line:column.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { compileSchemaFile, displayPath } from '../input/schema-files.ts';
import { readBuildCache, readWithDigest, writeBuildCache } from '../input/build-cache.ts';
import type { Contract, InputError } from '../model.ts';
import { clientsDir } from '../paths.ts';
import { formatPath, type PathSegment } from '../input/positions.ts';
import { readYamlFile } from '../input/yaml.ts';
import { describeSchemaErrors } from '../input/schema-messages.ts';
import type { ClientProfile, LoadedProfile } from './profile.ts';

export const profileSchemaFile = path.join(clientsDir, 'profile.schema.json');

export interface ProfilesResult {
  profiles: LoadedProfile[];
  errors: InputError[];
}

function profileValidator() {
  return compileSchemaFile(profileSchemaFile);
}

interface Problem {
  path: PathSegment[];
  message: string;
}

/** What the schema cannot say: the file name, cross-field rules, route ids of the contract. */
function semanticProblems(profile: ClientProfile, fileBase: string, contract?: Contract): Problem[] {
  const problems: Problem[] = [];
  if (profile.id !== fileBase) problems.push({ path: ['id'], message: `id "${profile.id}" must match the file name (${fileBase}.yaml)` });
  const known = contract?.routes.map((r) => r.id);
  for (const [routeId, call] of Object.entries(profile.routes)) {
    if (!call) continue;
    if (known && !known.includes(routeId)) problems.push({ path: ['routes', routeId], message: `unknown route "${routeId}"; known routes: ${known.join(', ')}` });
    if (call.content === 'multipart' && !call.multipart_fields) problems.push({ path: ['routes', routeId], message: 'a multipart route needs multipart_fields' });
    if (routeId === 'chat') {
      for (const field of ['stream', 'max_tokens', 'user', 'stream_options'] as const) {
        if (call[field] === undefined) problems.push({ path: ['routes', routeId], message: `the chat route needs ${field}` });
      }
    }
    if (routeId === 'embeddings') {
      for (const field of ['input', 'encoding_format'] as const) {
        if (call[field] === undefined) problems.push({ path: ['routes', routeId], message: `the embeddings route needs ${field}` });
      }
    }
    if (profile.not_called?.[routeId]) problems.push({ path: ['not_called', routeId], message: `route "${routeId}" is both called and not_called` });
  }
  if (profile.validation && !profile.routes[profile.validation.route]) {
    problems.push({ path: ['validation', 'route'], message: `the validation route "${profile.validation.route}" is not one of this profile's routes` });
  }
  if (profile.retry.on_429 === 'retry_after_only' && profile.retry.honours_retry_after_max_s === undefined) {
    problems.push({ path: ['retry'], message: 'on_429 retry_after_only needs honours_retry_after_max_s' });
  }
  return problems;
}

/** Loads and checks one profile file; the profile is returned only when it has no error. */
export function loadProfileFile(givenFile: string, contract?: Contract): { profile?: LoadedProfile; errors: InputError[] } {
  const file = displayPath(givenFile);
  const { yaml, problems } = readYamlFile(givenFile);
  if (!yaml) return { errors: problems.map(({ line, column, message }) => ({ file, line, column, message })) };
  const { positions, data } = yaml;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { errors: [{ file, line: 1, column: 1, message: 'a client profile must be a YAML mapping of fields (id, url, routes, ...)' }] };
  }

  const errors: InputError[] = [];
  const add = (segments: PathSegment[], message: string, pointAt = segments, at: 'value' | 'key' = 'value') => {
    const { line, column } = positions.of(pointAt, at);
    errors.push({ file, line, column, path: formatPath(segments) || undefined, message });
  };
  const validate = profileValidator();
  if (!validate(data)) {
    for (const p of describeSchemaErrors(validate.errors ?? [])) add(p.path, p.message, p.pointAt.path, p.pointAt.at);
  } else {
    const base = path.basename(givenFile).replace(/\.ya?ml$/, '');
    for (const p of semanticProblems(data as ClientProfile, base, contract)) add(p.path, p.message);
  }
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  if (errors.length > 0) return { errors };
  return { profile: { file, profile: data as ClientProfile, lineOf: (p) => positions.lineOf(p) }, errors: [] };
}

function profileFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Every fixtures/clients/*.yaml (or the given directory), sorted by file name. */
export function loadClientProfiles(dir: string = clientsDir, contract?: Contract): ProfilesResult {
  const results = profileFiles(dir).map((f) => loadProfileFile(f, contract));
  return {
    profiles: results.flatMap((r) => (r.profile ? [r.profile] : [])),
    errors: results.flatMap((r) => r.errors),
  };
}

let shipped: Map<string, ClientProfile> | undefined;

/**
 * The shipped profiles as `npm run build` checked them (writeProfilesCache, src/input/build-cache.ts): the
 * YAML parser and the schema take about 0.18 s for them, in the CLI and again in each check worker.
 */
const CACHE = 'client-profiles';

/** The digest of the shipped profiles and of the schema that checks them. */
function shippedDigest(): string {
  return readWithDigest([profileSchemaFile, ...profileFiles(clientsDir)]).digest;
}

function checkedShippedProfiles(): ClientProfile[] {
  const { profiles, errors } = loadClientProfiles();
  if (errors.length > 0) throw new Error(`broken client profile: ${errors[0].file}:${errors[0].line ?? 1}: ${errors[0].message}`);
  return profiles.map((p) => p.profile);
}

/** The shipped profiles by id; a broken shipped profile is a harness bug, so this throws. */
export function shippedProfiles(): Map<string, ClientProfile> {
  if (!shipped) {
    const profiles = readBuildCache<ClientProfile[]>(CACHE, shippedDigest()) ?? checkedShippedProfiles();
    shipped = new Map(profiles.map((p) => [p.id, p]));
  }
  return shipped;
}

/** Called by `npm run build`: the shipped profiles, checked, as JSON for shippedProfiles. */
export function writeProfilesCache(): void {
  writeBuildCache(CACHE, shippedDigest(), checkedShippedProfiles());
}

/** A shipped profile by id, or undefined. */
export function profileById(id: string): ClientProfile | undefined {
  return shippedProfiles().get(id);
}
