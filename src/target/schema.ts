// Compiles a JSON Schema file of the project (e.g. fixtures/target.schema.json) once, with every error listed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { projectRoot } from '../paths.ts';

const compiled = new Map<string, ValidateFunction>();

export function compileSchemaFile(relativePath: string): ValidateFunction {
  let validate = compiled.get(relativePath);
  if (!validate) {
    const schema = JSON.parse(readFileSync(path.join(projectRoot, relativePath), 'utf8')) as object;
    validate = new Ajv2020({ allErrors: true, verbose: true, strict: true }).compile(schema);
    compiled.set(relativePath, validate);
  }
  return validate;
}
