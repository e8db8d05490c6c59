// Turns ajv's schema errors into messages a runbook author can act on, each tied to a data path.
import type { ErrorObject } from 'ajv';
import { pointerToPath, type PathSegment } from './positions.ts';

export interface SchemaProblem {
  /** the data path the message is about (for unknown and missing fields: the object holding them) */
  path: PathSegment[];
  /** where to point: the node itself, or the key of `pointAt` (unknown fields) */
  pointAt: { path: PathSegment[]; at: 'value' | 'key' };
  message: string;
}

const typeNames: Record<string, string> = {
  string: 'a string',
  array: 'a list',
  object: 'a mapping',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  null: 'empty',
};

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  return `${typeof value === 'boolean' ? 'true or false' : 'a number'} (${String(value)})`;
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return 'a number';
}

/** Edit distance, to suggest the field an unknown one probably meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

function suggestion(unknown: string, parentSchema: unknown): string {
  const known = Object.keys((parentSchema as { properties?: object } | undefined)?.properties ?? {});
  const normalised = unknown.toLowerCase().replace(/-/g, '_');
  const best = known
    .map((k) => ({ k, d: k === normalised ? 0 : distance(normalised, k) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 2 ? `; did you mean "${best.k}"?` : '';
}

/** One ajv error (compiled with allErrors and verbose) -> one problem. */
export function describeSchemaError(err: ErrorObject): SchemaProblem {
  const path = pointerToPath(err.instancePath);
  const at = (message: string): SchemaProblem => ({ path, pointAt: { path, at: 'value' }, message });
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return at(`missing required field "${String(params.missingProperty)}"`);
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      return {
        path,
        pointAt: { path: [...path, field], at: 'key' },
        message: `unknown field "${field}"${suggestion(field, err.parentSchema)}`,
      };
    }
    case 'enum':
      return at(`must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`);
    case 'type': {
      const wanted = String(params.type)
        .split(',')
        .map((t) => typeNames[t] ?? t)
        .join(' or ');
      return at(`must be ${wanted}, found ${describeType(err.data)}`);
    }
    case 'pattern':
      if (path.length === 1 && path[0] === 'id') {
        return at(
          `must be a slug (lowercase letters and digits, words joined by single hyphens, e.g. open-webui), found ${describeValue(err.data)}`,
        );
      }
      return at(`must match the pattern ${String(params.pattern)}, found ${describeValue(err.data)}`);
    case 'format':
      if (params.format === 'uri') return at(`must be an absolute URI such as https://example.com/docs, found ${describeValue(err.data)}`);
      return at(`must be a valid ${String(params.format)}, found ${describeValue(err.data)}`);
    case 'minItems': {
      const limit = Number(params.limit);
      const found = Array.isArray(err.data) ? err.data.length : 0;
      return at(`must have at least ${limit} ${limit === 1 ? 'entry' : 'entries'}, found ${found === 0 ? 'none' : found}`);
    }
    case 'minLength':
      return at('must not be empty');
    default:
      return at(err.message ?? `fails the schema rule "${err.keyword}"`);
  }
}

/**
 * ajv can report several errors for one value (e.g. type and enum); keep the first per value,
 * but every missing and every unknown field.
 */
export function describeSchemaErrors(errors: ErrorObject[]): SchemaProblem[] {
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const err of errors) {
    const params = err.params as Record<string, unknown>;
    const field = err.keyword === 'required' ? params.missingProperty : err.keyword === 'additionalProperties' ? params.additionalProperty : '';
    const key = `${err.instancePath}\0${String(field ?? '')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(describeSchemaError(err));
  }
  return problems;
}
