// yaml, ajv, fast-check and faker, loaded on first use. A default run parses no YAML and compiles no schema: the
// shipped inputs come parsed from dist/'s caches and their validators as code (src/input/build-cache.ts,
// schema-files.ts, src/checks/contract-ajv.ts). Importing them up front cost about 40 ms (yaml) and 60 ms (ajv and
// ajv-formats) of CPU in the CLI and again in the check worker. fast-check (about 45 ms) and faker's English
// locale (about 60 ms) only the check worker needs: it draws the cases and the content; the command line only
// counts the cases (src/negative/kinds.ts). Each package gives Node a CommonJS build, and nothing in src/
// imports the ES one: one instance per process.
import { createRequire } from 'node:module';
import { countEvent } from '../instrument.ts';
import type * as YamlLibrary from 'yaml';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';
import type { Ajv2020 as Ajv2020Class } from 'ajv/dist/2020.js';
import type * as FastCheckLibrary from 'fast-check';
import type { Faker } from '@faker-js/faker';

const require = createRequire(import.meta.url);

export type Yaml = typeof YamlLibrary;

let yamlLibrary: Yaml | undefined;
/** the yaml package */
export function yaml(): Yaml {
  if (!yamlLibrary) countEvent('yaml-load');
  return (yamlLibrary ??= require('yaml') as Yaml);
}

export interface AjvLibrary {
  Ajv: typeof AjvClass;
  Ajv2020: typeof Ajv2020Class;
  /** ajv-formats */
  addFormats: (ajv: AjvClass, formats?: string[]) => void;
  /** ajv's standalone code of one validator, or of several by export name */
  standaloneCode: (ajv: AjvClass, refs?: ValidateFunction | Record<string, string>) => string;
}

// ajv-formats and ajv's standalone are CommonJS with `exports.default`.
const interop = <T>(m: T): T => ((m as { default?: T }).default ?? m) as T;

let ajvLibrary: AjvLibrary | undefined;
/** ajv (draft-07 and 2020-12), ajv-formats and ajv's standalone code generator */
export function ajv(): AjvLibrary {
  if (!ajvLibrary) countEvent('ajv-load');
  return (ajvLibrary ??= {
    Ajv: (require('ajv') as { Ajv: typeof AjvClass }).Ajv,
    Ajv2020: (require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020Class }).Ajv2020,
    addFormats: interop(require('ajv-formats')) as AjvLibrary['addFormats'],
    standaloneCode: interop(require('ajv/dist/standalone/index.js')) as AjvLibrary['standaloneCode'],
  });
}

export type FastCheck = typeof FastCheckLibrary;

let fastCheckLibrary: FastCheck | undefined;
/** the fast-check package */
export function fastCheck(): FastCheck {
  if (!fastCheckLibrary) countEvent('fast-check-load');
  return (fastCheckLibrary ??= require('fast-check') as FastCheck);
}

let englishFakerInstance: Faker | undefined;
/** faker with its English definitions only (`@faker-js/faker/locale/en`; the package's index loads all 70 locales) */
export function englishFaker(): Faker {
  if (!englishFakerInstance) countEvent('faker-load');
  return (englishFakerInstance ??= (require('@faker-js/faker/locale/en') as { faker: Faker }).faker);
}
