// The edges of the contract validator (docs/testing.md, "Mutation scores"), on small OpenAPI documents written
// for each case: the one-line messages of each JSON Schema keyword and combinator, readable paths, which
// response key an answer matches, required headers and $ref resolution.
import { describe, expect, it } from 'vitest';
import { contractValidator, createContractValidator, jsonPathOf } from '../../src/checks/contract-validator.ts';

const withSchemas = (schemas: Record<string, unknown>) => createContractValidator({ components: { schemas } });

describe('messages, one per keyword', () => {
  const v = withSchemas({
    Thing: {
      type: 'object',
      properties: {
        kind: { const: 'thing' },
        name: { type: ['string', 'null'] },
        colour: { enum: ['red', 'green', 2] },
        count: { type: 'integer', minimum: 0 },
        list: { type: 'array', items: { type: 'string' } },
      },
    },
  });

  it('names the constant, the types, the allowed values and the rest in ajv\'s words', () => {
    expect(v.validateBody('Thing', { kind: 'other', name: 3, colour: 'blue', count: -1 })).toEqual([
      'kind: must be equal to constant "thing"',
      'name: must be string or null',
      'colour: must be one of "red", "green", 2',
      'count: must be >= 0',
    ]);
  });

  it('says each message once, and gives array items their index', () => {
    expect(v.validateBody('Thing', { list: ['a', 1, 'b', 2] })).toEqual(['list[1]: must be string', 'list[3]: must be string']);
    expect(v.validateBody('Thing', { kind: 'thing' })).toEqual([]);
  });
});

describe('messages of anyOf and oneOf', () => {
  const v = withSchemas({
    Types: { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: ['boolean', 'null'] }] },
    Either: { type: 'object', anyOf: [{ required: ['url'] }, { required: ['b64_json'] }] },
    Mixed: { anyOf: [{ type: 'string' }, { type: 'object', required: ['a'] }] },
    Deep: { type: 'object', properties: { x: { anyOf: [{ type: 'object', required: ['a'] }, { type: 'object', required: ['b'] }] } } },
    One: { oneOf: [{ type: 'integer' }, { type: 'number' }] },
    OneOfNone: { oneOf: [{ type: 'string' }, { type: 'boolean' }] },
  });

  it('folds alternatives that differ only in type into one list of types', () => {
    expect(v.validateBody('Types', 1.5)).toEqual(['(body): must be string or integer or boolean or null']);
  });

  it('folds alternatives that each ask for a property into one list of properties', () => {
    expect(v.validateBody('Either', {})).toEqual(["(body): must have one of the properties 'url', 'b64_json'"]);
    expect(v.validateBody('Deep', { x: {} })).toEqual(["x: must have one of the properties 'a', 'b'"]);
  });

  it('lists the reasons of mixed alternatives, each once', () => {
    expect(v.validateBody('Mixed', {})).toEqual(["(body): matches none of the allowed shapes ((body) must be string; (body) must have required property 'a')"]);
  });

  it('names a value that matches several oneOf shapes, and one that matches none', () => {
    expect(v.validateBody('One', 3)).toEqual(['(body): must match exactly one of the allowed shapes, matches several']);
    expect(v.validateBody('OneOfNone', 3)).toEqual(['(body): must be string or boolean']);
  });
});

describe('jsonPathOf', () => {
  it('writes identifiers with dots, indexes and other names in brackets, and undoes ~1 and ~0', () => {
    expect(jsonPathOf('/0')).toBe('[0]');
    expect(jsonPathOf('/0/a/1/$b_2')).toBe('[0].a[1].$b_2');
    expect(jsonPathOf('/a b/c')).toBe('["a b"].c');
    expect(jsonPathOf('/x~0y/9z')).toBe('["x~y"]["9z"]');
    expect(jsonPathOf('/~01')).toBe('["~1"]'); // ~01 is "~1", not "/"
    expect(jsonPathOf('/_a')).toBe('_a');
  });
});

describe('responseFor', () => {
  const doc = {
    paths: {
      '/things': {
        parameters: [{ name: 'x', in: 'query' }],
        get: {
          operationId: 'listThings',
          responses: {
            '200': { $ref: '#/components/responses/Listed' },
            '2XX': { description: 'other success', content: { 'text/plain': {} } },
            '404': { description: 'gone', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
            default: { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          },
        },
        post: { operationId: 'makeThing', responses: { '201': { description: 'made', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
    },
    components: {
      responses: { Listed: { $ref: '#/components/responses/ListedBody' }, ListedBody: { description: 'the list', headers: { 'X-Count': { $ref: '#/components/headers/Count' }, 'X-Note': { required: false }, 'X-Id': { required: true } }, content: { 'application/json': { schema: { $ref: '#/components/schemas/Things' } }, 'application/xml': {} } } },
      headers: { Count: { required: true, schema: { type: 'integer' } } },
      schemas: { Things: { type: 'array' }, Error: { type: 'object' } },
    },
  };
  const v = createContractValidator(doc);

  it('takes the exact status first, through $refs, with its required headers and media types', () => {
    expect(v.responseFor('listThings', 200)).toEqual({ documentedAs: '200', schema: 'Things', mediaTypes: ['application/json', 'application/xml'], requiredHeaders: ['X-Count', 'X-Id'] });
  });

  it('then the status range, then default for errors only', () => {
    expect(v.responseFor('listThings', 204)).toEqual({ documentedAs: '2XX', schema: undefined, mediaTypes: ['text/plain'], requiredHeaders: [] });
    expect(v.responseFor('listThings', 404)?.documentedAs).toBe('404');
    expect(v.responseFor('listThings', 400)).toEqual({ documentedAs: 'default', schema: 'Error', mediaTypes: ['application/json'], requiredHeaders: [] });
    expect(v.responseFor('listThings', 399)).toBeUndefined();
    expect(v.responseFor('listThings', 301)).toBeUndefined();
  });

  it('names no component schema for an inline one, and finds operations past a path\'s parameters', () => {
    expect(v.responseFor('makeThing', 201)).toEqual({ documentedAs: '201', schema: undefined, mediaTypes: ['application/json'], requiredHeaders: [] });
    expect(v.schemaForOperation('makeThing', 201)).toBeUndefined();
    expect(v.schemaForOperation('listThings', 200)).toBe('Things');
    expect(v.schemaNames()).toEqual(['Things', 'Error']);
  });

  it('refuses a $ref outside the document and one that points nowhere', () => {
    const external = createContractValidator({ paths: { '/a': { get: { operationId: 'a', responses: { '200': { $ref: 'other.yaml#/x' } } } } } });
    expect(() => external.responseFor('a', 200)).toThrow('contract: unsupported $ref "other.yaml#/x"');
    const dangling = createContractValidator({ paths: { '/a': { get: { operationId: 'a', responses: { '200': { $ref: '#/components/responses/Nope' } } } } } });
    expect(() => dangling.responseFor('a', 200)).toThrow('contract: $ref "#/components/responses/Nope" points nowhere');
  });

  it('reads a ~1 in a $ref as a slash', () => {
    const slashed = createContractValidator({ paths: { '/a': { get: { operationId: 'a', responses: { '200': { $ref: '#/x/a~1b' } } } } }, x: { 'a/b': { description: 'd', content: { 'text/csv': {} } } } });
    expect(slashed.responseFor('a', 200)?.mediaTypes).toEqual(['text/csv']);
  });

  it('an operation without responses documents nothing', () => {
    expect(createContractValidator({ paths: { '/a': { get: { operationId: 'a' } } } }).responseFor('a', 200)).toBeUndefined();
    expect(() => createContractValidator({}).responseFor('a', 200)).toThrow('contract has no operation "a"');
  });
});

describe('references between schemas', () => {
  it('follows component $refs inside arrays and nested schemas, and leaves other $refs alone', () => {
    const v = withSchemas({
      List: { type: 'array', items: { $ref: '#/components/schemas/Item' } },
      Item: { type: 'object', required: ['id'], properties: { tags: { allOf: [{ $ref: '#/components/schemas/Tags' }] } } },
      Tags: { type: 'array', items: { type: 'string' } },
      Local: { $defs: { n: { type: 'number' } }, $ref: '#/$defs/Tags' },
    });
    expect(v.validateBody('List', [{ id: 1, tags: ['a'] }])).toEqual([]);
    expect(v.validateBody('List', [{ id: 1 }, {}])).toEqual(["[1]: must have required property 'id'"]);
    expect(v.validateBody('List', [{ id: 1, tags: [3] }])).toEqual(['[0].tags[0]: must be string']);
    expect(v.validateBody('Local', ['x'])).toEqual([]); // #/$defs/Tags: the rewritten name of the Tags component
  });

  it('builds the project\'s validator once per process', () => {
    expect(contractValidator()).toBe(contractValidator());
  });
});
