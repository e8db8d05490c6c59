// runbooks/runbook.schema.json describes exactly the Runbook type of src/model.ts.
// The typed tables below fail `tsc` when model.ts changes; the test fails when the schema drifts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runbookSchemaFile } from '../../src/runbook/schema.ts';
import type { Category, ChecklistItem, Compatibility, ConfigField, DriverId, MachineCheck, RouteRow, Runbook, Verdict } from '../../src/model.ts';

type FieldKinds<T> = { [K in keyof T]-?: undefined extends T[K] ? 'optional' : 'required' };

const runbookFields: FieldKinds<Runbook> = {
  id: 'required',
  product: 'required',
  compatibility: 'required',
  category: 'required',
  preset: 'required',
  alternative_presets: 'optional',
  evidence: 'required',
  summary: 'required',
  driver: 'required',
  client_profile: 'optional',
  docs: 'required',
  configuration: 'required',
  routes: 'required',
  not_supported: 'required',
  prerequisites: 'required',
  setup: 'required',
  caveats: 'required',
  checklist: 'required',
};
const routeRowFields: FieldKinds<RouteRow> = { route: 'required', verdict: 'required', integration: 'required', requires_scope: 'optional' };
const configFields: FieldKinds<ConfigField> = { name: 'required', value: 'required', role: 'optional' };
const checklistFields: FieldKinds<ChecklistItem> = { text: 'required', check: 'optional' };

// Record<Union, true> lists every member of the union and nothing else (tsc checks both).
const verdicts: Record<Verdict, true> = { native: true, gt_extension: true, not_supported: true };
const compatibilities: Record<Compatibility, true> = {
  'Native OpenAI-compatible': true,
  'Guided OpenAI-compatible setup': true,
  'OpenAI plus GT extensions': true,
};
const categories: Record<Category, true> = {
  'SDK and HTTP': true,
  'Workflow and builders': true,
  'Framework and orchestration': true,
  'Developer tooling': true,
};
const drivers: Record<DriverId, true> = { http: true, openai: true, 'ai-sdk': true, langchain: true };
const roles: Record<NonNullable<ConfigField['role']>, true> = { base_url: true, api_key: true, model: true, other: true };
const machineChecks: Record<MachineCheck, true> = {
  'models-match-allowlist': true,
  'chat-with-alias': true,
  'embeddings-with-alias': true,
  'upload-reaches-ready': true,
  'revoked-key-fails-closed': true,
  'conversation-continuity': true,
  'conversation-upload-ready': true,
  'stream-reaches-client': true,
  'chat-hides-provider-ids': true,
};

interface ObjectSchema {
  type: string;
  additionalProperties: boolean;
  required: string[];
  properties: Record<string, { enum?: string[] }>;
}

const schema = JSON.parse(readFileSync(runbookSchemaFile, 'utf8')) as ObjectSchema & { $schema: string; $defs: Record<string, ObjectSchema> };

function expectObjectMatches(objectSchema: ObjectSchema, fields: Record<string, 'required' | 'optional'>) {
  expect(objectSchema.type).toBe('object');
  expect(objectSchema.additionalProperties).toBe(false);
  expect(Object.keys(objectSchema.properties).sort()).toEqual(Object.keys(fields).sort());
  expect([...objectSchema.required].sort()).toEqual(Object.keys(fields).filter((k) => fields[k] === 'required').sort());
}

describe('runbook.schema.json against src/model.ts', () => {
  it('is a draft 2020-12 schema', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('has the fields of Runbook, RouteRow, ConfigField and ChecklistItem, with the same optionality', () => {
    expectObjectMatches(schema, runbookFields);
    expectObjectMatches(schema.$defs.routeRow, routeRowFields);
    expectObjectMatches(schema.$defs.configField, configFields);
    expectObjectMatches(schema.$defs.checklistItem, checklistFields);
  });

  it('has the enums of the model', () => {
    expect(schema.properties.compatibility.enum).toEqual(Object.keys(compatibilities));
    expect(schema.properties.category.enum).toEqual(Object.keys(categories));
    expect(schema.properties.driver.enum).toEqual(Object.keys(drivers));
    expect(schema.$defs.routeRow.properties.verdict.enum).toEqual(Object.keys(verdicts));
    expect(schema.$defs.configField.properties.role.enum).toEqual(Object.keys(roles));
    expect((schema.$defs.machineCheck as unknown as { enum: string[] }).enum).toEqual(Object.keys(machineChecks));
  });

  it('describes every field', () => {
    const described = (props: Record<string, object>) => Object.entries(props).filter(([, p]) => !('description' in p)).map(([k]) => k);
    expect(described(schema.properties)).toEqual([]);
    for (const def of Object.values(schema.$defs)) if (def.properties) expect(described(def.properties)).toEqual([]);
  });
});
