// The summary of a failed anyOf/oneOf one of whose alternatives is a $ref (docs/testing.md, "Found and not
// fixed" of the third session). ajv gives the errors inside a referenced schema that schema's own schema
// path, not one under the combinator, so the summary left that alternative out and its error stood alone:
// `usage: 5` in a ChatCompletionChunk read "usage: must be object" and "usage: must be null". Expected
// messages are written out from the schemas (fixtures/contract/openapi.yaml for the chunk). Every validator
// is built inside its test.
import { describe, expect, it } from 'vitest';
import { createContractValidator } from '../../src/checks/contract-validator.ts';

const withSchemas = (schemas: Record<string, unknown>) => createContractValidator({ components: { schemas } });
const chunk = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [] };

describe('anyOf and oneOf with a $ref alternative', () => {
  it('names both alternatives of the chunk\'s usage in one message', () => {
    // usage: oneOf [$ref Usage (an object), type null]; the chunk: anyOf [choices of at least 1 item, usage
    // present and a Usage]. Both fail for choices [] and usage 5.
    expect(createContractValidator().validateBody('ChatCompletionChunk', { ...chunk, usage: 5 })).toEqual([
      '(body): matches none of the allowed shapes (choices must NOT have fewer than 1 items; usage must be object)',
      'usage: must be object or null',
    ]);
  });

  it('keeps the verdicts: a Usage object and null pass, what is neither fails', () => {
    const v = createContractValidator();
    expect(v.validateBody('ChatCompletionChunk', { ...chunk, usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } })).toEqual([]);
    expect(v.validateBody('ChatCompletionChunk', { ...chunk, choices: [{ index: 0, delta: {} }], usage: null })).toEqual([]);
    expect(v.validateBody('ChatCompletionChunk', { ...chunk, choices: [{ index: 0, delta: {} }], usage: 'x' })).toEqual(['usage: must be object or null']);
  });

  it('folds a $ref alternative wherever it stands among the alternatives', () => {
    const v = withSchemas({
      Name: { type: 'string' },
      First: { oneOf: [{ $ref: '#/components/schemas/Name' }, { type: 'integer' }] },
      Last: { anyOf: [{ type: 'integer' }, { $ref: '#/components/schemas/Name' }] },
    });
    expect(v.validateBody('First', true)).toEqual(['(body): must be string or integer']);
    expect(v.validateBody('Last', true)).toEqual(['(body): must be integer or string']);
  });

  it('lists the reasons inside a referenced schema, nested ones included', () => {
    const v = withSchemas({
      Inner: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
      Outer: { type: 'object', properties: { x: { anyOf: [{ $ref: '#/components/schemas/Inner' }, { type: 'string' }] } } },
    });
    expect(v.validateBody('Outer', { x: { n: 'a' } })).toEqual(['x: matches none of the allowed shapes (x.n must be integer; x must be string)']);
  });

  it('still names an error of the same referenced schema outside the combinator on its own', () => {
    // a: a Name on its own (fails), b: oneOf [Name, null] (fails too): two messages, one per property.
    const v = withSchemas({
      Name: { type: 'string' },
      Pair: { type: 'object', properties: { a: { $ref: '#/components/schemas/Name' }, b: { oneOf: [{ $ref: '#/components/schemas/Name' }, { type: 'null' }] } } },
    });
    expect(v.validateBody('Pair', { a: 1, b: 2 })).toEqual(['a: must be string', 'b: must be string or null']);
  });
});

describe('what is not an alternative\'s error', () => {
  it('names an error of the same value beside the combinator on its own', () => {
    // Two combinators on one value: the errors of the first (and its own) come before the second's, about the
    // same value, and are not the second's alternatives. (The order of the messages is ajv's.)
    const v = withSchemas({ Two: { type: 'object', required: ['a'], anyOf: [{ required: ['b'] }, { required: ['c'] }], oneOf: [{ required: ['d'] }, { required: ['e'] }] } });
    expect(v.validateBody('Two', {}).sort()).toEqual([
      "(body): must have one of the properties 'b', 'c'",
      "(body): must have one of the properties 'd', 'e'",
      "(body): must have required property 'a'",
    ]);
  });

  it('reads alternatives that hold null and other values that are not schemas', () => {
    const v = withSchemas({
      Name: { type: 'string' },
      Nullable: { anyOf: [{ enum: ['x', null], default: null }, { $ref: '#/components/schemas/Name', examples: [1, 'a', true] }] },
    });
    expect(v.validateBody('Nullable', 5)).toEqual(['(body): matches none of the allowed shapes ((body) must be equal to one of the allowed values; (body) must be string)']);
  });
});
