// Answers with very long arrays (a hostile tenant's 1 MiB of wrong items): judged whole, described by a few
// lines, in time linear in the body (ajv's allErrors is quadratic in the errors: src/checks/contract-validator.ts).
import { describe, expect, it } from 'vitest';
import { createContractValidator, DESCRIBED_ITEMS, MAX_BODY_PROBLEMS } from '../../src/checks/contract-validator.ts';
import { checkModelList } from '../../src/checks/answers.ts';

const validator = createContractValidator();
const model = { id: 'mission-agent', object: 'model', created: 0, owned_by: 'gt' };
const longNote = `(an array of the body has more than ${DESCRIBED_ITEMS} items: the problems above are its first ones)`;

describe('a body with a very long array', () => {
  it('is described by its first problems and a count of the rest (20,000 wrong items)', () => {
    const problems = validator.validateBody('ModelList', { object: 'list', data: new Array(20_000).fill(0) });
    expect(problems.slice(0, 3)).toEqual(['data[0]: must be object', 'data[1]: must be object', 'data[2]: must be object']);
    expect(problems).toHaveLength(MAX_BODY_PROBLEMS + 2);
    expect(problems.at(-2)).toBe(`… and ${DESCRIBED_ITEMS - MAX_BODY_PROBLEMS} more schema errors in the same body`);
    expect(problems.at(-1)).toBe(longNote);
  });

  it('ends for a whole MiB of wrong items (half a million)', () => {
    const problems = validator.validateBody('ModelList', { object: 'list', data: new Array(500_000).fill(0) });
    expect(problems[0]).toBe('data[0]: must be object');
    expect(problems).toHaveLength(MAX_BODY_PROBLEMS + 2);
  });

  it('passes when every item is right, and fails on one wrong item past the described ones', () => {
    expect(validator.validateBody('ModelList', { object: 'list', data: new Array(100_000).fill(model) })).toEqual([]);
    const data = new Array(100_000).fill(model);
    data[90_000] = { id: 'x' };
    expect(validator.validateBody('ModelList', { object: 'list', data })).toEqual([`data[90000]: must have required property 'object'`, longNote]);
  });
});

describe('a short body with many problems', () => {
  it('is described by its first problems and a count of the rest', () => {
    const problems = validator.validateBody('ModelList', { object: 'list', data: new Array(30).fill(0) });
    expect(problems).toHaveLength(MAX_BODY_PROBLEMS + 1);
    expect(problems[MAX_BODY_PROBLEMS - 1]).toBe(`data[${MAX_BODY_PROBLEMS - 1}]: must be object`);
    expect(problems.at(-1)).toBe(`… and ${30 - MAX_BODY_PROBLEMS} more schema errors in the same body`);
  });
});

describe('a model list of many names', () => {
  it('names the first ten of each kind of problem and counts the rest', () => {
    const list = { object: 'list', data: Array.from({ length: 20_000 }, (_, i) => ({ id: `extra-${i % 15_000}`, object: 'model', created: 0, owned_by: 'x' })) };
    const problems = checkModelList(list, ['mission-agent']);
    expect(problems).toEqual([
      `the key sees ${Array.from({ length: 10 }, (_, i) => `"extra-${i}"`).join(', ')}, … and 19990 more, not on its allowlist (its models as the target file gives them: a leak, or a name to add there)`,
      'the key does not see "mission-agent", on its allowlist',
      `listed more than once: ${Array.from({ length: 10 }, (_, i) => `extra-${i}`).join(', ')}, … and 4990 more`,
    ]);
  });
});
