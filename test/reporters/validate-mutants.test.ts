// The report's schema check as the writers call it: one line per problem (`PATH: what`, `/` for the document
// itself), and assertValidReport's one error naming the first three (reporters/conformance-report.schema.json
// is the oracle: draft-07, `schemaVersion` const 1, the required top-level fields).
import { describe, expect, it } from 'vitest';
import { assertValidReport, reportSchemaErrors } from '../../src/report/validate.ts';
import type { ConformanceReport } from '../../src/report/report-model.ts';

describe('reportSchemaErrors', () => {
  it('names the document itself as /', () => {
    expect(reportSchemaErrors(null)).toEqual(['/: must be object']);
    expect(reportSchemaErrors([])).toEqual(['/: must be object']);
  });

  it('gives each problem its path', () => {
    const errors = reportSchemaErrors({ schemaVersion: 2 });
    expect(errors).toContain('/schemaVersion: must be equal to constant');
    expect(errors).toContain("/: must have required property 'harness'");
  });
});

describe('assertValidReport', () => {
  it('throws one error naming the first three problems', () => {
    expect(() => assertValidReport({} as ConformanceReport)).toThrow(
      new Error("the conformance report does not match its schema: /: must have required property 'schemaVersion'; /: must have required property 'harness'; /: must have required property 'contract'"),
    );
  });
});
