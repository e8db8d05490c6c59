// Validates a conformance report against reporters/conformance-report.schema.json before anything is written.
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { projectRoot } from '../paths.ts';
import { compileSchemaFile } from '../input/schema-files.ts';
import type { ConformanceReport } from './report-model.ts';

export const reportSchemaFile = path.join(projectRoot, 'reporters', 'conformance-report.schema.json');

/** The report's validator (compiled once, or the build's standalone code for it). */
export function reportValidator(): ValidateFunction {
  return compileSchemaFile(reportSchemaFile, { dialect: 'draft-07', formats: ['date', 'date-time'] });
}

/** The schema problems of `report`, one line each (`/products/0/outcome: must be equal to one of the allowed values`); empty when valid. */
export function reportSchemaErrors(report: unknown): string[] {
  const validate = reportValidator();
  if (validate(report)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}`);
}

export function assertValidReport(report: ConformanceReport): void {
  const errors = reportSchemaErrors(report);
  if (errors.length) throw new Error(`the conformance report does not match its schema: ${errors.slice(0, 3).join('; ')}`);
}
