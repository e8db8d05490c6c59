// Reading a request schema of the contract for the generator: the fields of a body (top-level properties and
// one level into their objects and array items), the JSON types each allows, and a small valid example of
// any schema, used to build a container a nested case needs.
import { resolveRef, type JsonSchema } from '../contract/request-schema.ts';

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';
export type PathPart = string | number;

export interface FieldSpec {
  /** from the body's root, e.g. ['messages', 0, 'role'] (0 stands for "an item of the array") */
  path: PathPart[];
  /** the field's schema, its $ref followed */
  schema: JsonSchema;
  required: boolean;
  /** the schemas of the containers on the way, from the root's property down to the field's parent */
  containers: JsonSchema[];
  /** a multipart part carrying a file (contentMediaType), not a text field */
  filePart: boolean;
}

/** Objects nested deeper than this are left whole: the cases name fields such as messages[0].role, not deeper. */
const MAX_DEPTH = 1;

export const isObjectSchema = (s: JsonSchema) => s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object')) || s.properties !== undefined;

/** The fields of a body schema, parents before their children. */
export function fieldsOf(openapi: JsonSchema, body: JsonSchema): FieldSpec[] {
  const out: FieldSpec[] = [];
  const walk = (schema: JsonSchema, path: PathPart[], containers: JsonSchema[], depth: number) => {
    const required = new Set((schema.required ?? []) as string[]);
    for (const [name, raw] of Object.entries((schema.properties ?? {}) as Record<string, unknown>)) {
      const field = resolveRef(openapi, raw);
      const here = [...path, name];
      out.push({ path: here, schema: field, required: required.has(name), containers, filePart: field.contentMediaType !== undefined });
      if (depth >= MAX_DEPTH) continue;
      if (field.properties) walk(field, here, [...containers, field], depth + 1);
      const items = field.items === undefined ? undefined : resolveRef(openapi, field.items);
      if (items?.properties) walk(items, [...here, 0], [...containers, field, items], depth + 1);
    }
  };
  walk(body, [], [], 0);
  return out;
}

/** `['messages', 0, 'role']` → `messages[0].role` */
export function pathText(path: readonly PathPart[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

/** The alternatives of a schema: its oneOf/anyOf branches, or itself. */
export function alternatives(openapi: JsonSchema, schema: JsonSchema): JsonSchema[] {
  const branches = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  return branches ? branches.map((b) => resolveRef(openapi, b)) : [schema];
}

/** The JSON types a schema allows, or undefined when it allows any. */
export function typesOf(openapi: JsonSchema, schema: JsonSchema): Set<JsonType> | undefined {
  if (schema.const !== undefined) return new Set([jsonTypeOf(schema.const)]);
  if (Array.isArray(schema.enum)) return new Set(schema.enum.map(jsonTypeOf));
  if (typeof schema.type === 'string') return new Set([schema.type as JsonType]);
  if (Array.isArray(schema.type)) return new Set(schema.type as JsonType[]);
  if (schema.oneOf || schema.anyOf) {
    const union = new Set<JsonType>();
    for (const branch of alternatives(openapi, schema)) {
      const types = typesOf(openapi, branch);
      if (!types) return undefined;
      types.forEach((t) => union.add(t));
    }
    return union;
  }
  if (schema.properties) return new Set(['object']);
  return undefined;
}

/** Whether a value of type `type` satisfies a schema that allows `allowed` (an integer is a number). */
export function typeAllowed(allowed: Set<JsonType>, type: JsonType): boolean {
  return allowed.has(type) || (type === 'integer' && allowed.has('number'));
}

/** A small value valid against the schema: what a nested case puts in a container the background lacks. */
export function exampleOf(openapi: JsonSchema, raw: JsonSchema): unknown {
  const schema = resolveRef(openapi, raw);
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.oneOf || schema.anyOf) {
    const branch = alternatives(openapi, schema).find((b) => b.type !== 'null') ?? {};
    return exampleOf(openapi, branch);
  }
  const types = typesOf(openapi, schema);
  const type = [...(types ?? new Set<JsonType>(['object']))].find((t) => t !== 'null') ?? 'null';
  switch (type) {
    case 'string':
      return 'g'.repeat(Math.max(2, Number(schema.minLength ?? 0)));
    case 'integer':
    case 'number':
      return Number(schema.minimum ?? 1);
    case 'boolean':
      return false;
    case 'array': {
      const items = schema.items === undefined ? {} : resolveRef(openapi, schema.items);
      return Array.from({ length: Math.max(1, Number(schema.minItems ?? 0)) }, () => exampleOf(openapi, items));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of (schema.required ?? []) as string[]) {
        out[name] = exampleOf(openapi, ((schema.properties ?? {}) as Record<string, JsonSchema>)[name] ?? {});
      }
      return out;
    }
    default:
      return null;
  }
}
