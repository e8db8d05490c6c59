// Shared by the loaders of the project's input files (runbooks, client profiles, target files) and the
// report: their JSON Schemas, compiled once each, and how a file is named in a message.
//
// Compiling a schema costs 70 to 170 ms at each start. `npm run build` (writeStandaloneValidators) writes
// each shipped schema's validator as code (ajv's standalone output, dist/schemas/<digest>.cjs), named by
// the digest of the schema's text and of how it is compiled; compileSchemaFile loads that file when it is
// there for the schema as it is now, and compiles the schema otherwise. Same code either way.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ajv, Options, ValidateFunction } from 'ajv';
import { buildCacheDir } from './build-cache.ts';
import { ajv as ajvLibrary } from './lazy-libraries.ts';

/**
 * For the schemas this project ships (its input files' schemas, the report's, the contract's): they are not
 * checked against their meta-schema at each start (test/input/shipped-schemas.test.ts does that once), ajv's
 * code optimisation pass is skipped, and a `$ref` is compiled once as a function of its own rather than
 * inlined at every use. Together they cut the compile time at start-up from 587 to about 150 ms for the four
 * file schemas; what a compiled validator accepts is the same.
 */
export const SHIPPED_SCHEMA_OPTIONS = { validateSchema: false, code: { optimize: false }, inlineRefs: false } as const;

export interface SchemaCompile {
  /** the JSON Schema dialect: 2020-12 (the input files) or draft-07 (the report) */
  dialect?: '2020-12' | 'draft-07';
  /** ajv-formats formats the schema uses */
  formats?: string[];
}

const standaloneDir = path.join(buildCacheDir, 'schemas');
const require = createRequire(import.meta.url);
interface Compiled {
  validate: ValidateFunction;
  digest: string;
  text: string;
  how: Required<SchemaCompile>;
}

const compiled = new Map<string, Compiled>();

function digestOf(text: string, how: Required<SchemaCompile>): string {
  return createHash('sha256').update(text).update('\0').update(JSON.stringify(how)).digest('hex').slice(0, 32);
}

/** A fresh compile, never the build's code; `asCode`: keep the generated source, for the build's writer. */
export function compileNow(schema: object, how: Required<SchemaCompile>, asCode = false): { validate: ValidateFunction; ajv: Ajv } {
  const options: Options = { allErrors: true, verbose: true, strict: true, ...SHIPPED_SCHEMA_OPTIONS, code: { ...SHIPPED_SCHEMA_OPTIONS.code, source: asCode } };
  const { Ajv, Ajv2020, addFormats } = ajvLibrary();
  const ajv = how.dialect === 'draft-07' ? new Ajv(options) : (new Ajv2020(options) as unknown as Ajv);
  if (how.formats.length) addFormats(ajv, how.formats);
  return { validate: ajv.compile(schema), ajv };
}

function loadStandalone(digest: string): ValidateFunction | undefined {
  try {
    return require(path.join(standaloneDir, `${digest}.cjs`)) as ValidateFunction;
  } catch {
    return undefined; // not built, or built for another version of the schema
  }
}

function howOf(formatsOrHow: string[] | SchemaCompile): Required<SchemaCompile> {
  const given = Array.isArray(formatsOrHow) ? { formats: formatsOrHow } : formatsOrHow;
  return { dialect: given.dialect ?? '2020-12', formats: given.formats ?? [] };
}

/** Where the build writes the validator of this schema file as it is now. */
export function standaloneFileOf(file: string, formatsOrHow: string[] | SchemaCompile = {}): string {
  return path.join(standaloneDir, `${digestOf(readFileSync(file, 'utf8'), howOf(formatsOrHow))}.cjs`);
}

/** The validator of a JSON Schema file: every error listed (allErrors), values kept for messages (verbose). */
export function compileSchemaFile(file: string, formatsOrHow: string[] | SchemaCompile = {}): ValidateFunction {
  let entry = compiled.get(file);
  if (!entry) {
    const how = howOf(formatsOrHow);
    const text = readFileSync(file, 'utf8');
    const digest = digestOf(text, how);
    const standalone = loadStandalone(digest);
    entry = { validate: standalone ?? compileNow(JSON.parse(text) as object, how).validate, digest, text, how };
    compiled.set(file, entry);
  }
  return entry.validate;
}

/** Called by `npm run build` after it has compiled the shipped schemas: their validators as code. */
export function writeStandaloneValidators(): string[] {
  rmSync(standaloneDir, { recursive: true, force: true }); // the build's own folder: validators of older schemas go
  mkdirSync(standaloneDir, { recursive: true });
  const written: string[] = [];
  for (const [file, { text, how, digest }] of compiled) {
    const { ajv, validate } = compileNow(JSON.parse(text) as object, how, true); // afresh: the one in use may be an older build's
    writeFileSync(path.join(standaloneDir, `${digest}.cjs`), ajvLibrary().standaloneCode(ajv, validate));
    written.push(file);
  }
  return written;
}

/** A path under the current directory is shown relative to it, any other as given. */
export function displayPath(file: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
