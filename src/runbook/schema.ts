// The runbook JSON Schema (runbooks/runbook.schema.json), compiled once with ajv.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { runbooksDir } from '../paths.ts';

export const runbookSchemaFile = path.join(runbooksDir, 'runbook.schema.json');

// ajv-formats is CommonJS; under NodeNext its default export sits on `.default`.
const addFormats = addFormatsModule.default;

let compiled: ValidateFunction | undefined;

/** The compiled validator: allErrors so one run lists every problem, verbose for the values in messages. */
export function runbookValidator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(runbookSchemaFile, 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });
    addFormats(ajv, ['uri']);
    compiled = ajv.compile(schema);
  }
  return compiled;
}
