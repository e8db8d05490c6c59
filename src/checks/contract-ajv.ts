// The ajv that validates against the contract's component schemas, and the build's copy of its validators.
//
// `npm run build` (writeBuiltValidators) writes every component schema's validator as code (ajv's standalone
// output) to dist/schemas/contract-<digest>.cjs, named by the digest of the contract and of how it is compiled;
// builtValidators loads that file when it is there for the contract as it is now. Compiling the schemas a
// default run needs costs about 0.1 s of CPU in the CLI (the embedded tenant validates requests) and again in
// the check worker; loading the file about 5 ms.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { Contract } from '../model.ts';
import { buildCacheDir } from '../input/build-cache.ts';
import { SHIPPED_SCHEMA_OPTIONS } from '../input/schema-files.ts';
import { ajv as ajvLibrary } from '../input/lazy-libraries.ts';

export type Ajv = Ajv2020;

const CONTRACT_ID = 'https://gt-conformance.invalid/contract.json';
export const COMPONENT_REF = '#/components/schemas/';
/** A component $ref as rewritten for ajv: the components are the $defs of one schema. */
export const DEFS_REF = '#/$defs/';

const optionsOf = (allErrors: boolean) => ({ allErrors, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true, ...SHIPPED_SCHEMA_OPTIONS });

/** The component schemas with their $refs rewritten to the $defs of one schema. */
export function componentDefs(schemas: Record<string, unknown>): Record<string, unknown> {
  return rewriteRefs(schemas) as Record<string, unknown>;
}

/**
 * An ajv holding the contract's component schemas as the $defs of one schema. verbose: each error names its parent
 * schema, which tells the errors of a $ref alternative (describeErrors). `asCode`: keep the source, for the build.
 */
export function contractAjv(defs: Record<string, unknown>, allErrors: boolean, asCode = false): Ajv {
  const options = optionsOf(allErrors);
  const { Ajv2020, addFormats } = ajvLibrary();
  const ajv = new Ajv2020({ ...options, code: { ...options.code, source: asCode } });
  addFormats(ajv);
  // OpenAPI annotations that are not JSON Schema keywords.
  ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs', 'x-event-schema']);
  ajv.addSchema({ $id: CONTRACT_ID, $defs: defs });
  return ajv;
}

const refOf = (name: string) => `${CONTRACT_ID}${DEFS_REF}${name}`;

/** The validator of one component schema, compiled now. */
export function validatorIn(ajv: Ajv, name: string): ValidateFunction {
  return ajv.compile({ $ref: refOf(name) });
}

const builtDir = path.join(buildCacheDir, 'schemas');
const builtFileOf = (contractDigest: string) =>
  path.join(builtDir, `contract-${createHash('sha256').update(contractDigest).update('\0').update(JSON.stringify(optionsOf(true))).digest('hex').slice(0, 32)}.cjs`);
const require = createRequire(import.meta.url);

/** The build's validators (every error listed) of the contract with this digest, by component name; undefined when not built for it. */
export function builtValidators(contractDigest: string): Record<string, ValidateFunction> | undefined {
  try {
    return require(builtFileOf(contractDigest)) as Record<string, ValidateFunction>;
  } catch {
    return undefined; // not built, or built for another version of the contract
  }
}

/** Called by `npm run build`: every component schema's validator of the contract, as code. */
export function writeBuiltValidators(contract: Contract): string {
  const schemas = ((contract.openapi.components ?? {}) as { schemas?: Record<string, unknown> }).schemas ?? {};
  const ajv = contractAjv(componentDefs(schemas), true, true);
  const refs = Object.fromEntries(Object.keys(schemas).map((name) => [name, refOf(name)]));
  const file = builtFileOf(contract.digest);
  mkdirSync(builtDir, { recursive: true });
  writeFileSync(file, ajvLibrary().standaloneCode(ajv, refs));
  return file;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENT_REF) ? `${DEFS_REF}${v.slice(COMPONENT_REF.length)}` : rewriteRefs(v);
    }
    return out;
  }
  return value;
}
