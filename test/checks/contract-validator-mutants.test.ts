// What the contract validator's set-up promises and no other test held (docs/testing.md, "Mutation scores"):
// the OpenAPI 3.1 Schema Object annotations it accepts (discriminator, xml, externalDocs, example, and the
// project's x-event-schema), strict mode refusing a keyword JSON Schema does not have, and the string formats
// of ajv-formats being checked, on small OpenAPI documents written for each case.
import { describe, expect, it } from 'vitest';
import { createContractValidator } from '../../src/checks/contract-validator.ts';

const withSchemas = (schemas: Record<string, unknown>) => createContractValidator({ components: { schemas } });

describe('createContractValidator: keywords and formats', () => {
  it('takes each OpenAPI annotation on a schema as no constraint', () => {
    const annotations = {
      discriminator: { propertyName: 'kind' },
      xml: { name: 'pet' },
      externalDocs: { url: 'https://example.invalid/docs' },
      example: { kind: 'cat' },
      'x-event-schema': { type: 'object' },
    };
    for (const [keyword, value] of Object.entries(annotations)) {
      const v = withSchemas({ Pet: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' } }, [keyword]: value } });
      expect(v.validateBody('Pet', { kind: 'dog' }), keyword).toEqual([]);
      expect(v.validateBody('Pet', {}), keyword).toEqual(["(body): must have required property 'kind'"]);
    }
  });

  it('refuses a schema with a keyword JSON Schema does not have (a typo in the contract)', () => {
    const v = withSchemas({ Name: { type: 'string', maxLenght: 3 } });
    expect(() => v.validateBody('Name', 'abcd')).toThrow('strict mode: unknown keyword: "maxLenght"');
  });

  it('checks string formats', () => {
    const v = withSchemas({ Stamp: { type: 'string', format: 'date-time' }, Link: { type: 'string', format: 'uri' } });
    expect(v.validateBody('Stamp', '2026-12-02T05:00:00Z')).toEqual([]);
    expect(v.validateBody('Stamp', 'yesterday')).toEqual(['(body): must match format "date-time"']);
    expect(v.validateBody('Link', 'not a uri')).toEqual(['(body): must match format "uri"']);
  });
});
