// The contract validator at the edges its mutation run left open (docs/testing.md, "Mutation scores"), on
// small OpenAPI documents written for each case. Every validator is built inside its test: one built in a
// describe body fails the whole file's collection when a mutant breaks the build, and Stryker's vitest runner
// counts no test of that file as failed.
import { describe, expect, it } from 'vitest';
import { createContractValidator, jsonPathOf } from '../../src/checks/contract-validator.ts';

const withSchemas = (schemas: Record<string, unknown>) => createContractValidator({ components: { schemas } });

describe('messages', () => {
  it('reads an index of two digits as an index', () => {
    expect(jsonPathOf('/data/12/object')).toBe('data[12].object');
  });

  it('says a message twice reached once', () => {
    const v = withSchemas({ Twice: { type: 'object', allOf: [{ required: ['a'] }, { required: ['a'] }] } });
    expect(v.validateBody('Twice', {})).toEqual(["(body): must have required property 'a'"]);
  });

  it('summarises a failed anyOf, and still names the errors beside it', () => {
    const v = withSchemas({ Pair: { type: 'object', properties: { a: { anyOf: [{ type: 'string' }, { type: 'number' }] }, b: { type: 'integer' } } } });
    expect(v.validateBody('Pair', { a: true, b: 'x' })).toEqual(['a: must be string or number', 'b: must be integer']);
  });

  it('lists the reasons of alternatives that fail at different places, even when each is a type or a required property', () => {
    const types = withSchemas({ T: { anyOf: [{ type: 'object', properties: { n: { type: 'string' } } }, { type: 'string' }] } });
    expect(types.validateBody('T', { n: 1 })).toEqual(['(body): matches none of the allowed shapes (n must be string; (body) must be string)']);
    const required = withSchemas({ R: { type: 'object', anyOf: [{ properties: { o: { type: 'object', required: ['a'] } } }, { required: ['b'] }] } });
    expect(required.validateBody('R', { o: {} })).toEqual(["(body): matches none of the allowed shapes (o must have required property 'a'; (body) must have required property 'b')"]);
  });

  it('follows component $refs when it builds the schemas, inside arrays too', () => {
    const v = withSchemas({ List: { type: 'array', items: { $ref: '#/components/schemas/Item' } }, Item: { type: 'string' }, Both: { allOf: [{ $ref: '#/components/schemas/Item' }, { type: 'string', minLength: 2 }] } });
    expect(v.validateBody('List', ['a', 2])).toEqual(['[1]: must be string']);
    expect(v.validateBody('Both', 'ab')).toEqual([]);
    expect(v.validateBody('Both', 3)).toEqual(['(body): must be string']);
  });
});

describe('schemas that look like references', () => {
  it('rewrites only $ref values, not a constant that reads like one', () => {
    const v = withSchemas({ Pointer: { const: '#/components/schemas/Item' }, Listed: { enum: ['#/components/schemas/Item'] }, Item: { type: 'string' } });
    expect(v.validateBody('Pointer', '#/components/schemas/Item')).toEqual([]);
    expect(v.validateBody('Listed', '#/components/schemas/Item')).toEqual([]);
  });

  it('takes a property named $ref (a schema of JSON References)', () => {
    const v = withSchemas({ Reference: { type: 'object', required: ['$ref'], properties: { $ref: { type: 'string' } } } });
    expect(v.validateBody('Reference', { $ref: '#/x' })).toEqual([]);
    expect(v.validateBody('Reference', { $ref: 1 })).toEqual(['$ref: must be string']);
  });

  it('names both the error inside propertyNames and the propertyNames error itself', () => {
    const v = withSchemas({ Map: { type: 'object', propertyNames: { pattern: '^[a-z]+$' } } });
    expect(v.validateBody('Map', { A1: 1 })).toEqual(['(body): must match pattern "^[a-z]+$"', '(body): property name must be valid']);
  });
});

describe('operations and $refs', () => {
  it('finds an operation past a path item whose method is empty (YAML `get:` with nothing is null)', () => {
    const v = createContractValidator({ paths: { '/a': { get: null, post: { operationId: 'makeA', responses: { '201': { description: 'made' } } } } } });
    expect(v.responseFor('makeA', 201)?.documentedAs).toBe('201');
  });

  it('reads a ~0 in a $ref as a tilde', () => {
    const v = createContractValidator({ paths: { '/a': { get: { operationId: 'a', responses: { '200': { $ref: '#/x/a~0b' } } } } }, x: { 'a~b': { description: 'd', content: { 'text/csv': {} } } } });
    expect(v.responseFor('a', 200)?.mediaTypes).toEqual(['text/csv']);
  });

  it('stops following a cycle of $refs, which describes no content', () => {
    const v = createContractValidator({
      paths: { '/a': { get: { operationId: 'a', responses: { '200': { $ref: '#/components/responses/A' } } } } },
      components: { responses: { A: { $ref: '#/components/responses/B' }, B: { $ref: '#/components/responses/A' } } },
    });
    expect(v.responseFor('a', 200)).toEqual({ documentedAs: '200', schema: undefined, mediaTypes: [], requiredHeaders: [] });
  });
});
