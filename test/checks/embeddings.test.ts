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

// Oracles written out by hand, not computed by any encoder: IEEE 754 single precision, little-endian.
//   1.0 = 0x3F800000 -> 00 00 80 3F      -2.0 = 0xC0000000 -> 00 00 00 C0      3.0 = 0x40400000 -> 00 00 40 40
//   0.5 = 0x3F000000 -> 00 00 00 3F      0.25 = 0x3E800000 -> 00 00 80 3E      -0.75 = 0xBF400000 -> 00 00 40 BF
//   0.1 rounds to 0x3DCCCCCD = 0.100000001490116119384765625 -> CD CC CC 3D
// Base64, 3 bytes to 4 characters: 00 00 80 | 3F 00 00 | 00 C0 -> AACA Pw AA AMA= ; and so on.
const ONE_MINUS_TWO = 'AACAPwAAAMA='; // [1, -2]
const QUARTERS = 'AAAAPwAAgD4AAEC/'; // [0.5, 0.25, -0.75]
const ONE_MINUS_TWO_BIG_ENDIAN = 'P4AAAMAAAAA='; // 3F 80 00 00 C0 00 00 00
const ONE_MINUS_TWO_FLOAT64 = 'AAAAAAAA8D8AAAAAAAAAwA=='; // 1.0 = 0x3FF0000000000000, -2.0 = 0xC000000000000000, little-endian
const ONE_THREE = 'AACAPwAAQEA='; // [1, 3]
const TENTH = 'zczMPQ=='; // [float32(0.1)]

describe('base64 float32, against hand-computed bytes', () => {
  it('decodes little-endian float32 exactly', () => {
    expect(Array.from(decodeBase64Float32(ONE_MINUS_TWO))).toEqual([1, -2]);
    expect(Array.from(decodeBase64Float32(QUARTERS))).toEqual([0.5, 0.25, -0.75]);
    expect(Array.from(decodeBase64Float32(TENTH))).toEqual([0.100000001490116119384765625]);
    expect(Array.from(decodeBase64Float32(''))).toEqual([]);
  });

  it('accepts a base64 answer equal to the float answer, the float32 rounding of a printed 0.1 included', () => {
    expect(compareEmbeddings(list([[1, -2], [0.5, 0.25, -0.75]]), list([ONE_MINUS_TWO, QUARTERS]))).toEqual([]);
    expect(compareEmbeddings(list([[0.1]]), list([TENTH]))).toEqual([]);
  });

  it('names the first value that differs, big-endian bytes and float64 bytes', () => {
    expect(compareEmbeddings(list([[1, -2]]), list([ONE_THREE]))).toEqual(['data[0].embedding[1]: base64 gives 3, the float answer -2 (1 of 2 values differ)']);
    expect(compareEmbeddings(list([[1, -2]]), list([ONE_MINUS_TWO_BIG_ENDIAN]))).toEqual(['data[0].embedding: base64 holds big-endian float32, expected little-endian']);
    expect(compareEmbeddings(list([[1, -2]]), list([ONE_MINUS_TWO_FLOAT64]))).toEqual(['data[0].embedding: base64 holds float64 values (16 bytes for 2 dimensions), expected float32']);
    expect(compareEmbeddings(list([[1, -2, 0.5]]), list([ONE_MINUS_TWO]))).toEqual(['data[0].embedding: base64 decodes to 2 float32 values, the float answer has 3']);
  });

  it('takes the dimension of a base64 embedding from its bytes', () => {
    expect(checkEmbeddingOrder(list([ONE_MINUS_TWO, QUARTERS]), 2)).toEqual(['data[1].embedding has 3 dimensions, data[0] has 2']);
    // AAAA is three zero bytes, not a float32; AAAAAA== is four, one float32 0; the empty string is no value
    expect(checkEmbeddingOrder(list(['AAAA', 'AAAAAA==', '']), 3)).toEqual(['data[0].embedding is a string, expected numbers or base64 float32', 'data[2].embedding is empty']);
  });
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
