// Validates a conformance report against reporters/conformance-report.schema.json before anything is written.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { projectRoot } from '../paths.ts';
import { SHIPPED_SCHEMA_OPTIONS } from '../input/schema-files.ts';
import type { ConformanceReport } from './report-model.ts';

export const reportSchemaFile = path.join(projectRoot, 'reporters', 'conformance-report.schema.json');

// ajv-formats is CommonJS with `exports.default`; NodeNext typing sees the module object.
const addFormats = ((formatsPlugin as unknown as { default: typeof formatsPlugin }).default ?? formatsPlugin) as unknown as (
  ajv: Ajv,
  formats: string[],
) => void;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, ...SHIPPED_SCHEMA_OPTIONS });
    addFormats(ajv, ['date', 'date-time']);
    compiled = ajv.compile(JSON.parse(readFileSync(reportSchemaFile, 'utf8')) as object);
  }
  return compiled;
}

/** The schema problems of `report`, one line each (`/products/0/outcome: must be equal to one of the allowed values`); empty when valid. */
export function reportSchemaErrors(report: unknown): string[] {
  const validate = validator();
  if (validate(report)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}`);
}

export function assertValidReport(report: ConformanceReport): void {
  const errors = reportSchemaErrors(report);
  if (errors.length) throw new Error(`the conformance report does not match its schema: ${errors.slice(0, 3).join('; ')}`);
}
