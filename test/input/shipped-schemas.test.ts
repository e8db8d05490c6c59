// The shipped JSON Schemas are compiled without checking them against their meta-schema (SHIPPED_SCHEMA_OPTIONS,
// for start-up time), so this test does that check, once per npm test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ajv } from 'ajv';
import { runbookSchemaFile } from '../../src/runbook/schema.ts';
import { profileSchemaFile } from '../../src/clients/load.ts';
import { reportSchemaFile } from '../../src/report/validate.ts';
import { targetSchemaFile } from '../../src/targets/live.ts';
import { loadContract } from '../../src/contract/load.ts';

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('the shipped JSON Schemas', () => {
  it.each([runbookSchemaFile, profileSchemaFile, targetSchemaFile])('%s is a valid draft 2020-12 schema', (file) => {
    const ajv = new Ajv2020({ strict: true });
    expect(json(file).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(ajv.validateSchema(json(file)), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('the report schema is a valid draft-07 schema', () => {
    const ajv = new Ajv({ strict: true });
    expect(ajv.validateSchema(json(reportSchemaFile)), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('every component schema of the contract is a valid draft 2020-12 schema', () => {
    const schemas = ((loadContract().openapi.components as Record<string, unknown>).schemas ?? {}) as Record<string, object>;
    expect(Object.keys(schemas).length).toBeGreaterThan(10);
    const ajv = new Ajv2020({ strict: false });
    for (const [name, schema] of Object.entries(schemas)) expect(ajv.validateSchema(schema), `${name}: ${JSON.stringify(ajv.errors)}`).toBe(true);
  });

  it('a schema that breaks its meta-schema is refused by this check', () => {
    expect(new Ajv2020({ strict: true }).validateSchema({ type: 'strnig' })).toBe(false);
    expect(new Ajv2020({ strict: true }).validateSchema({ required: 'id' })).toBe(false);
  });
});
