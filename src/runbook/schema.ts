// The runbook JSON Schema (runbooks/runbook.schema.json), compiled once with ajv.
import path from 'node:path';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { compileSchemaFile } from '../input/schema-files.ts';
import { runbooksDir } from '../paths.ts';

export const runbookSchemaFile = path.join(runbooksDir, 'runbook.schema.json');

/** The compiled runbook validator. */
export function runbookValidator(): ValidateFunction {
  return compileSchemaFile(runbookSchemaFile, ['uri']);
}
