// Loads a live target file: where the tenant is, which keys the run may use, and which env vars hold their secrets.
import type { Contract, InputError, Target, TargetKey } from '../model.ts';
import { formatPath, type PathSegment } from '../input/positions.ts';
import { readYamlFile } from '../input/yaml.ts';
import { baseUrlProblem } from './base-url.ts';
import { describeSchemaErrors } from '../input/schema-messages.ts';
import type { ValidateFunction } from 'ajv';
import { compileSchemaFile } from '../input/schema-files.ts';
import { projectRoot } from '../paths.ts';
import path from 'node:path';
import { targetKeys, type FileKey } from './keys.ts';
import { resolveFailingUpload, type RawFailingUpload } from './failing-upload.ts';

export const targetSchemaFile = path.join(projectRoot, 'fixtures', 'target.schema.json');

/** The target file's validator (compiled once, or the build's standalone code for it). */
export function targetValidator(): ValidateFunction {
  return compileSchemaFile(targetSchemaFile);
}

/** A live target; its secrets stay in the environment (see secretSource in src/run/prepare.ts). */
export interface LiveTarget {
  target: Target;
  limits: { concurrency?: number; timeoutMs?: number; pollDeadlineMs?: number; runDeadlineMs?: number; budget?: number };
}


interface RawTarget {
  base_url: string;
  allowed_routes?: string[];
  uploads?: boolean;
  writes?: 'allowed' | 'none';
  foreign_dataset?: string;
  failing_upload?: RawFailingUpload;
  limits?: { concurrency?: number; timeout_ms?: number; poll_deadline_ms?: number; run_deadline_ms?: number; budget?: number };
  keys: FileKey[];
}

const safeId = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Why an env var's value cannot be a GT key, or undefined when it can be one: `gtak_` and then 8 to 512
 * characters of a bearer token (RFC 6750: letters, digits, - . _ ~ + /, then = padding). Never the value.
 */
export function gtKeyShapeProblem(value: string): string | undefined {
  if (/\s/.test(value)) return 'it holds whitespace or a line break';
  if (/[\u0000-\u001F\u007F-\u009F]/.test(value)) return 'it holds a control character';
  if (!value.startsWith('gtak_')) return 'it does not start with gtak_';
  const rest = value.slice('gtak_'.length);
  if (rest.length < 8 || rest.length > 512) return `it is ${value.length} characters long; a GT key is gtak_ and 8 to 512 more`;
  if (!/^[A-Za-z0-9._~+/-]+=*$/.test(rest)) return 'it holds characters a bearer token cannot (after gtak_: letters, digits, - . _ ~ + / and = at the end)';
  return undefined;
}

export interface TargetRules {
  /** allow plain http:// to a host that is not loopback (`--insecure-http`) */
  insecureHttp?: boolean;
  /** the run may create uploads and conversations though the file does not say `writes: allowed` (`--allow-writes`) */
  allowWrites?: boolean;
}

/** With requireSecrets false (for `plan`), a missing env var is not an error: nothing will be sent. */
export function loadTargetFile(
  file: string,
  contract: Contract,
  env: NodeJS.ProcessEnv = process.env,
  requireSecrets = true,
  rules: TargetRules = {},
): { live?: LiveTarget; errors: InputError[] } {
  const { yaml, problems } = readYamlFile(file);
  if (!yaml) return { errors: problems.map(({ line, column, message }) => ({ file, line, column, message })) };
  const { positions } = yaml;
  const raw = yaml.data as RawTarget;
  const errors: InputError[] = [];
  const add = (segments: PathSegment[], message: string, at: 'value' | 'key' = 'value') => {
    const { line, column } = positions.of(segments, at);
    errors.push({ file, line, column, path: formatPath(segments) || undefined, message });
  };
  const validate = targetValidator();
  if (!validate(raw)) {
    for (const p of describeSchemaErrors(validate.errors ?? [])) add(p.pointAt.path, p.message, p.pointAt.at);
    return { errors };
  }

  const urlProblem = baseUrlProblem(raw.base_url, rules);
  if (urlProblem) add(['base_url'], urlProblem);
  const routeIds = contract.routes.map((r) => r.id);
  raw.allowed_routes?.forEach((r, i) => {
    if (!routeIds.includes(r)) add(['allowed_routes', i], `unknown route "${r}"; routes are ${routeIds.join(', ')}`);
  });
  if (raw.foreign_dataset !== undefined && !safeId.test(raw.foreign_dataset)) add(['foreign_dataset'], `dataset id "${raw.foreign_dataset}" may hold only letters, digits, '.', '_' and '-'`);
  const failing: ReturnType<typeof resolveFailingUpload> = raw.failing_upload ? resolveFailingUpload(raw.failing_upload, path.dirname(path.resolve(file))) : {};
  if (failing.problem) add(['failing_upload', 'file'], failing.problem);
  const names = new Set<string>();
  const keys: TargetKey[] = [];
  raw.keys.forEach((k, i) => {
    if (names.has(k.name)) add(['keys', i, 'name'], `duplicate key name "${k.name}"`);
    names.add(k.name);
    const preset = k.preset ? contract.presets.find((p) => p.id === k.preset) : undefined;
    if (k.preset && !preset) add(['keys', i, 'preset'], `unknown preset "${k.preset}"; presets are ${contract.presets.map((p) => p.id).join(', ')}`);
    if (!k.preset && (!k.purpose || !k.scopes)) add(['keys', i], 'a key without preset needs purpose and scopes');
    k.scopes?.forEach((s, j) => {
      if (!contract.scopes.includes(s)) add(['keys', i, 'scopes', j], `unknown scope "${s}"; scopes are ${contract.scopes.join(', ')}`);
    });
    k.datasets?.forEach((d, j) => {
      if (!safeId.test(d)) add(['keys', i, 'datasets', j], `dataset id "${d}" may hold only letters, digits, '.', '_' and '-'`);
    });
    const secret = env[k.secret_env];
    if (requireSecrets && !secret) add(['keys', i, 'secret_env'], `environment variable ${k.secret_env} is not set (it must hold the secret of key "${k.name}")`);
    const shape = requireSecrets && secret ? gtKeyShapeProblem(secret) : undefined;
    if (shape) add(['keys', i, 'secret_env'], `environment variable ${k.secret_env} cannot hold a GT key: ${shape} (the value is not shown)`);
    if (k.models && !Array.isArray(k.models)) {
      for (const route of Object.keys(k.models)) if (!routeIds.includes(route)) add(['keys', i, 'models', route], `unknown route "${route}"; routes are ${routeIds.join(', ')}`, 'key');
    }
    const usable = new Set(k.models === undefined ? [] : Array.isArray(k.models) ? k.models : Object.values(k.models).flat());
    k.hidden_models?.forEach((name, j) => {
      if (usable.has(name)) add(['keys', i, 'hidden_models', j], `"${name}" is in the key's models too: a name the key may use cannot be one it must not see`);
    });
    const purpose = k.purpose ?? preset?.purpose;
    for (const [kind, linked] of Object.entries(k.links ?? {})) {
      const other = raw.keys.find((o) => o.name === linked);
      const otherPurpose = other?.purpose ?? contract.presets.find((p) => p.id === other?.preset)?.purpose;
      if (purpose !== 'conversation') add(['keys', i, 'links'], 'only a conversation key links to other keys', 'key');
      else if (!other) add(['keys', i, 'links', kind], `"${linked}" is not a key of this file`);
      else if (otherPurpose !== kind) add(['keys', i, 'links', kind], `"${linked}" is not an ${kind} key`);
    }
  });
  keys.push(...targetKeys(raw.keys, contract));
  if (errors.length) return { errors };
  return {
    errors,
    live: {
      target: {
        kind: 'live',
        baseUrl: raw.base_url.replace(/\/+$/, ''),
        keys,
        allowedRoutes: raw.allowed_routes,
        uploads: raw.uploads ?? true,
        writes: raw.writes === 'allowed' || !!rules.allowWrites,
        foreignDataset: raw.foreign_dataset,
        ...(failing.sample ? { failingUpload: failing.sample } : {}),
      },
      limits: {
        concurrency: raw.limits?.concurrency,
        timeoutMs: raw.limits?.timeout_ms,
        pollDeadlineMs: raw.limits?.poll_deadline_ms,
        runDeadlineMs: raw.limits?.run_deadline_ms,
        budget: raw.limits?.budget,
      },
    },
  };
}
