// The build writes each shipped schema's validator as code (dist/schemas, src/input/schema-files.ts). That
// code must judge a document exactly as compiling the schema does, and a schema edited after the build must
// be compiled, not judged by the old code.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ErrorObject } from 'ajv';
import { compileNow, compileSchemaFile, standaloneFileOf } from '../../src/input/schema-files.ts';
import { runbookSchemaFile } from '../../src/runbook/schema.ts';
import { reportSchemaFile } from '../../src/report/validate.ts';
import { targetSchemaFile } from '../../src/targets/live.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'gt-standalone-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const brief = (errors: ErrorObject[] | null | undefined) => (errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${e.message}`).sort();

const shipped = [
  { name: 'runbook', file: runbookSchemaFile, how: { formats: ['uri'] }, bad: { id: 'Not An Id', product: 3, routes: [{ route: 'chat' }], extra: true } },
  { name: 'target', file: targetSchemaFile, how: {}, bad: { base_url: 'ftp://x', keys: [{ name: 1 }] } },
  { name: 'report', file: reportSchemaFile, how: { dialect: 'draft-07' as const, formats: ['date', 'date-time'] }, bad: { version: 1, products: [{ outcome: 'great' }], generatedAt: 'yesterday' } },
];

describe.each(shipped)('the $name schema', ({ file, how, bad }) => {
  it('has its validator as code in the build, which finds the same errors as a fresh compile', () => {
    const standalone = standaloneFileOf(file, how);
    expect(existsSync(standalone), `${standalone}: npm run build writes it (the tests build dist/ first)`).toBe(true);
    const fromBuild = compileSchemaFile(file, how);
    const fresh = compileNow(JSON.parse(readFileSync(file, 'utf8')) as object, { dialect: how.dialect ?? '2020-12', formats: how.formats ?? [] }).validate;
    expect(fromBuild(bad)).toBe(false);
    expect(fresh(bad)).toBe(false);
    expect(brief(fromBuild.errors)).toEqual(brief(fresh.errors));
    expect(brief(fromBuild.errors).length).toBeGreaterThan(1);
  });
});

it('compiles a schema edited after the build instead of using the old code', () => {
  const copy = path.join(tmp, 'target.schema.json');
  cpSync(targetSchemaFile, copy);
  const schema = JSON.parse(readFileSync(copy, 'utf8')) as { required?: string[]; properties: Record<string, unknown> };
  schema.properties.must_have = { type: 'string' };
  schema.required = [...(schema.required ?? []), 'must_have'];
  writeFileSync(copy, JSON.stringify(schema));
  expect(standaloneFileOf(copy)).not.toBe(standaloneFileOf(targetSchemaFile));
  expect(existsSync(standaloneFileOf(copy))).toBe(false);
  const validate = compileSchemaFile(copy);
  expect(validate({ base_url: 'https://x.invalid/api/tenant', keys: [] })).toBe(false);
  expect(brief(validate.errors).some((e) => e.includes('must_have'))).toBe(true);
});
