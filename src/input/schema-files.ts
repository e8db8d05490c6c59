// Shared by the loaders of the project's input files (runbooks, client profiles, target files):
// their JSON Schemas, compiled once each, and how a file is named in a message.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';

// ajv-formats is CommonJS with `exports.default`; NodeNext typing sees the module object.
const addFormats = ((formatsPlugin as unknown as { default: typeof formatsPlugin }).default ?? formatsPlugin) as unknown as (a: Ajv2020, formats: string[]) => void;

const compiled = new Map<string, ValidateFunction>();

/**
 * For the schemas this project ships (its input files' schemas, the report's, the contract's): they are not
 * checked against their meta-schema at each start (test/input/shipped-schemas.test.ts does that once), ajv's
 * code optimisation pass is skipped, and a `$ref` is compiled once as a function of its own rather than
 * inlined at every use. Together they cut the compile time at start-up from 587 to about 150 ms for the four
 * file schemas; what a compiled validator accepts is the same.
 */
export const SHIPPED_SCHEMA_OPTIONS = { validateSchema: false, code: { optimize: false }, inlineRefs: false } as const;

/** The validator of a JSON Schema file: every error listed (allErrors), values kept for messages (verbose). */
export function compileSchemaFile(file: string, formats: string[] = []): ValidateFunction {
  let validate = compiled.get(file);
  if (!validate) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, ...SHIPPED_SCHEMA_OPTIONS });
    if (formats.length) addFormats(ajv, formats);
    validate = ajv.compile(schema);
    compiled.set(file, validate);
  }
  return validate;
}

/** A path under the current directory is shown relative to it, any other as given. */
export function displayPath(file: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
