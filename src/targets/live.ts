// Loads a live target file: where the tenant is, which keys the run may use, and which env vars hold their secrets.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { Contract, InputError, Target, TargetKey } from '../model.ts';
import { SourcePositions, formatPath, type PathSegment } from '../input/positions.ts';
import { describeSchemaErrors } from '../input/schema-messages.ts';
import { compileSchemaFile } from '../input/schema-files.ts';
import { projectRoot } from '../paths.ts';
import path from 'node:path';
import { targetKeys, type FileKey } from './keys.ts';

/** A live target; its secrets stay in the environment (see secretSource in src/run/prepare.ts). */
export interface LiveTarget {
  target: Target;
  limits: { concurrency?: number; timeoutMs?: number; pollDeadlineMs?: number; runDeadlineMs?: number; budget?: number };
}


interface RawTarget {
  base_url: string;
  allowed_routes?: string[];
  uploads?: boolean;
  foreign_dataset?: string;
  limits?: { concurrency?: number; timeout_ms?: number; poll_deadline_ms?: number; run_deadline_ms?: number; budget?: number };
  keys: FileKey[];
}

const safeId = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** With requireSecrets false (for `plan`), a missing env var is not an error: nothing will be sent. */
export function loadTargetFile(file: string, contract: Contract, env: NodeJS.ProcessEnv = process.env, requireSecrets = true): { live?: LiveTarget; errors: InputError[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { errors: [{ file, message: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'target file not found' : `cannot read the target file: ${(err as Error).message}` }] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const positions = new SourcePositions(doc, lines);
  if (doc.errors.length) {
    const { line, column } = positions.atOffset(doc.errors[0].pos[0]);
    return { errors: [{ file, line, column, message: `invalid YAML: ${doc.errors[0].message.split('\n')[0]}` }] };
  }
  const raw = doc.toJS() as RawTarget;
  const errors: InputError[] = [];
  const add = (segments: PathSegment[], message: string, at: 'value' | 'key' = 'value') => {
    const { line, column } = positions.of(segments, at);
    errors.push({ file, line, column, path: formatPath(segments) || undefined, message });
  };
  const validate = compileSchemaFile(path.join(projectRoot, 'fixtures', 'target.schema.json'));
  if (!validate(raw)) {
    for (const p of describeSchemaErrors(validate.errors ?? [])) add(p.pointAt.path, p.message, p.pointAt.at);
    return { errors };
  }

  if (!/^https?:\/\/[^/]+/.test(raw.base_url)) add(['base_url'], `"${raw.base_url}" has no scheme: write https://<tenant-host>/api/tenant`);
  else if (/\/v1\/?$/.test(raw.base_url)) add(['base_url'], 'give the base URL without /v1 (https://<tenant-host>/api/tenant): the harness adds the route paths');
  const routeIds = contract.routes.map((r) => r.id);
  raw.allowed_routes?.forEach((r, i) => {
    if (!routeIds.includes(r)) add(['allowed_routes', i], `unknown route "${r}"; routes are ${routeIds.join(', ')}`);
  });
  if (raw.foreign_dataset !== undefined && !safeId.test(raw.foreign_dataset)) add(['foreign_dataset'], `dataset id "${raw.foreign_dataset}" may hold only letters, digits, '.', '_' and '-'`);
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
    if (requireSecrets && !env[k.secret_env]) add(['keys', i, 'secret_env'], `environment variable ${k.secret_env} is not set (it must hold the secret of key "${k.name}")`);
    if (k.models && !Array.isArray(k.models)) {
      for (const route of Object.keys(k.models)) if (!routeIds.includes(route)) add(['keys', i, 'models', route], `unknown route "${route}"; routes are ${routeIds.join(', ')}`, 'key');
    }
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
        foreignDataset: raw.foreign_dataset,
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
