import { describe, expect, it } from 'vitest';
import { checkEmbeddingOrder, compareEmbeddings, decodeBase64Float32, vectorOf } from '../../src/checks/embeddings.ts';

function encodeFloat32(values: number[], littleEndian = true): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => view.setFloat32(i * 4, v, littleEndian));
  return Buffer.from(view.buffer).toString('base64');
}

function encodeFloat64(values: number[]): string {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return Buffer.from(view.buffer).toString('base64');
}

// Vectors as a float32 model produces them, printed the way JSON serialisers print float32 values.
const vectors = [
  [0.1, -0.25, 3.4028234663852886e38, 1e-7, 0],
  [-0.5, 0.123456789, 42, -1e-3, 7.5],
].map((v) => v.map((x) => Number(Math.fround(x).toPrecision(9))));

const list = (embeddings: unknown[]) => ({
  object: 'list',
  model: 'agent-alias',
  data: embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding })),
});

describe('decodeBase64Float32', () => {
  it('round-trips little-endian float32 values exactly', () => {
    const values = [1.5, -2.25, Math.fround(0.1), Math.fround(1e30), -0];
    expect(Array.from(decodeBase64Float32(encodeFloat32(values)))).toEqual(values);
  });

  it('rejects lengths that are not a multiple of 4 bytes', () => {
    expect(() => decodeBase64Float32(Buffer.from([1, 2, 3, 4, 5, 6]).toString('base64'))).toThrow(
      'base64 decodes to 6 bytes, not a multiple of 4 (float32)',
    );
  });

  it('rejects invalid base64 instead of decoding it leniently', () => {
    expect(() => decodeBase64Float32('AAAA-AAA')).toThrow('not valid base64 (character "-" at offset 4)');
    expect(() => decodeBase64Float32('AAAAAA')).toThrow('not valid base64 (length 6 or padding)');
  });
});

describe('compareEmbeddings', () => {
  const floatAnswer = list(vectors);

  it('accepts base64 vectors equal to the float vectors', () => {
    expect(compareEmbeddings(floatAnswer, list(vectors.map((v) => encodeFloat32(v))))).toEqual([]);
  });

  it('detects a tenant that ignores base64 and sends numbers', () => {
    const problems = compareEmbeddings(floatAnswer, floatAnswer);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^base64 ignored: 2 of 2 embeddings are arrays of numbers although encoding_format "base64" was asked/);
  });

  it('detects a vector that differs, naming the first differing value', () => {
    const changed = vectors.map((v) => [...v]);
    changed[1][3] = 0.5;
    expect(compareEmbeddings(floatAnswer, list(changed.map((v) => encodeFloat32(v))))).toEqual([
      `data[1].embedding[3]: base64 gives 0.5, the float answer ${vectors[1][3]} (1 of 5 values differ)`,
    ]);
  });

  it('names big-endian and float64 encodings', () => {
    expect(compareEmbeddings(floatAnswer, list([encodeFloat32(vectors[0], false), encodeFloat32(vectors[1])]))).toEqual([
      'data[0].embedding: base64 holds big-endian float32, expected little-endian',
    ]);
    expect(compareEmbeddings(floatAnswer, list(vectors.map(encodeFloat64)))[0]).toBe(
      'data[0].embedding: base64 holds float64 values (40 bytes for 5 dimensions), expected float32',
    );
  });

  it('detects different counts, swapped order and a wrong dimension', () => {
    expect(compareEmbeddings(floatAnswer, list([encodeFloat32(vectors[0])]))).toEqual([
      'the float answer has 2 embeddings, the base64 answer 1',
    ]);
    const swapped = list(vectors.map((v) => encodeFloat32(v)));
    swapped.data[0].index = 1;
    swapped.data[1].index = 0;
    expect(compareEmbeddings(floatAnswer, swapped)).toEqual([
      'base64 answer data[0].index is 1, expected 0',
      'base64 answer data[1].index is 0, expected 1',
    ]);
    expect(compareEmbeddings(floatAnswer, list([encodeFloat32(vectors[0].slice(1)), encodeFloat32(vectors[1])]))).toEqual([
      'data[0].embedding: base64 decodes to 4 float32 values, the float answer has 5',
    ]);
  });

  it('accepts small differences only within the tolerance given', () => {
    const noisy = vectors.map((v) => v.map((x) => x * (1 + 1e-4)));
    const b64 = list(noisy.map((v) => encodeFloat32(v)));
    expect(compareEmbeddings(floatAnswer, b64)).toHaveLength(2);
    expect(compareEmbeddings(floatAnswer, b64, { tolerance: 1e-3 })).toEqual([]);
  });
});

describe('checkEmbeddingOrder', () => {
  it('accepts one embedding per input, in order, in either encoding', () => {
    expect(checkEmbeddingOrder(list(vectors), 2)).toEqual([]);
    expect(checkEmbeddingOrder(list(vectors.map((v) => encodeFloat32(v))), 2)).toEqual([]);
    expect(Array.from(vectorOf(encodeFloat32([1, 2])) ?? [])).toEqual([1, 2]);
  });

  it('flags a missing embedding, a wrong index and a different dimension', () => {
    expect(checkEmbeddingOrder(list(vectors), 3)).toEqual(['3 input(s) sent, 2 embedding(s) returned']);
    const bad = list([vectors[0], vectors[1].slice(2), []]);
    bad.data[2].index = 5;
    expect(checkEmbeddingOrder(bad, 3)).toEqual([
      'data[1].embedding has 3 dimensions, data[0] has 5',
      'data[2].index is 5, expected 2',
      'data[2].embedding is empty',
    ]);
    expect(checkEmbeddingOrder({ object: 'list' }, 1)).toEqual(['the answer has no data array']);
  });
});
