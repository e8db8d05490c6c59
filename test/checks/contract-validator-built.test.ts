// The contract's validators as the build wrote them (src/checks/contract-ajv.ts) judge and describe every body as
// the ones compiled at run time do. Bodies are made from the schemas themselves: each property of each component
// schema given a value of every wrong kind, so the $ref alternatives of the combinators (whose errors are matched
// to their alternative by the shape of the parent schema) are reached too.
import { describe, expect, it } from 'vitest';
import { createContractValidator } from '../../src/checks/contract-validator.ts';
import { builtValidators } from '../../src/checks/contract-ajv.ts';
import { loadContract } from '../../src/contract/load.ts';

const contract = loadContract();
const schemas = (contract.openapi.components as { schemas: Record<string, { properties?: Record<string, unknown> }> }).schemas;
const WRONG: unknown[] = [12345, 'x', null, true, [], [{}], {}, { unknown: 1 }];

function bodiesOf(name: string): unknown[] {
  const bodies: unknown[] = [...WRONG];
  for (const property of Object.keys(schemas[name].properties ?? {})) {
    for (const value of WRONG) bodies.push({ [property]: value });
  }
  return bodies;
}

describe('the build\'s contract validators', () => {
  it('were written for the contract as it is now, one per component schema', () => {
    const built = builtValidators(contract.digest);
    expect(built, 'npm run build wrote no validators for this contract').toBeDefined();
    expect(Object.keys(built!).sort()).toEqual(Object.keys(schemas).sort());
    expect(builtValidators('not-the-contract-digest')).toBeUndefined();
  });

  it('give every body the messages the validators compiled now give', () => {
    const built = createContractValidator();
    const compiled = createContractValidator(contract.openapi, { useBuild: false });
    let described = 0;
    let combinators = 0;
    for (const name of Object.keys(schemas)) {
      for (const body of bodiesOf(name)) {
        const messages = compiled.validateBody(name, body);
        expect(built.validateBody(name, body), `${name} ${JSON.stringify(body)}`).toEqual(messages);
        described += messages.length;
        combinators += messages.filter((m) => /allowed shapes| or /.test(m)).length;
      }
    }
    // the comparison covered failures, and summaries of combinators among them
    expect(described).toBeGreaterThan(500);
    expect(combinators).toBeGreaterThan(10);
  });
});
