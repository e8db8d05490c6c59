// compileFor: what a run compiles before its first request (src/run/vitest.ts, suites/warm-entry.ts) is what
// those routes' requests and answers are validated with, and nothing of the routes the run leaves out.
import { describe, expect, it } from 'vitest';
import { createContractValidator } from '../../src/checks/contract-validator.ts';

describe('compileFor', () => {
  it('compiles the request schema, every documented answer\'s schema and Error of the operations given, and no other', () => {
    const validator = createContractValidator();
    expect(validator.compiledSchemas()).toEqual([]);
    validator.compileFor(['createEmbedding', 'createEmbedding']);
    // fixtures/contract/openapi.yaml: createEmbedding takes an EmbeddingRequest, answers 200 with an EmbeddingList, errors with Error
    expect(validator.compiledSchemas().sort()).toEqual(['EmbeddingList', 'EmbeddingRequest', 'Error']);
  });

  it('compiles the answer schema of an operation that takes no JSON body (getFileStatus: a FileObject)', () => {
    const validator = createContractValidator();
    validator.compileFor(['getFileStatus']);
    expect(validator.compiledSchemas().sort()).toEqual(['Error', 'FileObject']);
  });

  it('leaves the answers it validates as they were: a valid list passes, a broken one fails the same way', () => {
    const fresh = createContractValidator();
    const warmed = createContractValidator();
    warmed.compileFor(['createEmbedding']);
    const broken = { object: 'list', data: [{ object: 'embedding', index: 'zero', embedding: [0.1] }], model: 'm' };
    expect(warmed.validateBody('EmbeddingList', broken)).toEqual(fresh.validateBody('EmbeddingList', broken));
    expect(warmed.validateBody('EmbeddingList', broken).length).toBeGreaterThan(0);
  });
});
