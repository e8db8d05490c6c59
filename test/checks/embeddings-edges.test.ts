// The edges of the embeddings checks (docs/testing.md, "Mutation scores"): strict base64 at its bounds, every
// problem compareEmbeddings and checkEmbeddingOrder name, and the float32 tolerance. Base64 strings are written
// out by hand (IEEE 754 single precision, little-endian; see test/checks/embeddings.test.ts for the method).
import { describe, expect, it } from 'vitest';
import { checkEmbeddingOrder, compareEmbeddings, decodeStrictBase64, FLOAT32_TOLERANCE, vectorOf } from '../../src/checks/embeddings.ts';

const ONE = 'AACAPw=='; // 00 00 80 3F = 1.0
const ONE_MINUS_TWO = 'AACAPwAAAMA='; // [1, -2]
const ONE_THREE = 'AACAPwAAQEA='; // [1, 3]
const THREE_FOUR = 'AABAQAAAgEA='; // [3, 4]: 3.0 = 0x40400000, 4.0 = 0x40800000
const ONE_PLUS_2_19 = 'EACAPw=='; // 0x3F800010 = 1 + 2^-19
const ONE_PLUS_2_21 = 'BACAPw=='; // 0x3F800004 = 1 + 2^-21
const ONE_PLUS_2_23 = 'AQCAPw=='; // 0x3F800001 = 1 + 2^-23: the next float32 after 1
const TINY = 'zLzkKw=='; // 0x2BE4BCCC ≈ 1.6e-12

const list = (embeddings: unknown[]) => ({ object: 'list', data: embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding })) });

describe('decodeStrictBase64', () => {
  it('takes padded base64 of any length, the empty string included', () => {
    expect([...decodeStrictBase64('')]).toEqual([]);
    expect([...decodeStrictBase64('AQ==')]).toEqual([1]);
    expect([...decodeStrictBase64('AQI=')]).toEqual([1, 2]);
    expect([...decodeStrictBase64('AQID')]).toEqual([1, 2, 3]);
    expect([...decodeStrictBase64('+/+/')]).toEqual([0xfb, 0xff, 0xbf]);
  });

  it('refuses padding in the wrong place and a length that is not whole groups', () => {
    for (const bad of ['A===', 'AQ=', 'AQ', 'AQ==AQ==', '=AQI', 'AQIDA']) expect(() => decodeStrictBase64(bad), bad).toThrow(`not valid base64 (length ${bad.length} or padding)`);
    expect(() => decodeStrictBase64('AQ-_')).toThrow('not valid base64 (character "-" at offset 2)');
    expect(() => decodeStrictBase64('AQI\n')).toThrow('not valid base64 (character "\\n" at offset 3)');
  });
});

describe('compareEmbeddings, every problem', () => {
  it('names a missing data array on either side', () => {
    expect(compareEmbeddings(null, list([ONE]))).toEqual(['the float answer has no data array']);
    expect(compareEmbeddings({ data: 'x' }, list([ONE]))).toEqual(['the float answer has no data array']);
    expect(compareEmbeddings(list([[1]]), {})).toEqual(['the base64 answer has no data array']);
  });

  it('names the wrong indexes of the float answer too, a missing one included', () => {
    const floats = list([[1], [3, 4]]);
    floats.data[0].index = 1;
    delete (floats.data[1] as { index?: number }).index;
    expect(compareEmbeddings(floats, list([ONE, THREE_FOUR]))).toEqual(['float answer data[0].index is 1, expected 0', 'float answer data[1].index is undefined, expected 1']);
  });

  it('counts the number arrays of a base64 answer among all its embeddings', () => {
    const problems = compareEmbeddings(list([[1], [3, 4]]), list([[1], THREE_FOUR]));
    expect(problems).toEqual([
      'base64 ignored: 1 of 2 embeddings are arrays of numbers although encoding_format "base64" was asked (the OpenAI SDK, which asks for base64 by default, then decodes them into wrong vectors without an error)',
    ]);
  });

  it('names a float embedding that is not numbers, and a base64 one that is not a string', () => {
    expect(compareEmbeddings({ data: [{ index: 0 }, { index: 1, embedding: null }, { index: 2, embedding: ['a'] }, { index: 3, embedding: 'AACAPw==' }] }, list([ONE, ONE, ONE, ONE]))).toEqual([
      'float answer data[0].embedding is missing, expected an array of numbers',
      'float answer data[1].embedding is null, expected an array of numbers',
      'float answer data[2].embedding is an array that is not all numbers, expected an array of numbers',
      'float answer data[3].embedding is a string, expected an array of numbers',
    ]);
    expect(compareEmbeddings(list([[1], [1], [1]]), { data: [{ index: 0 }, { index: 1, embedding: {} }, { index: 2, embedding: true }] })).toEqual([
      'base64 answer data[0].embedding is missing, expected a base64 string',
      'base64 answer data[1].embedding is a object, expected a base64 string',
      'base64 answer data[2].embedding is a boolean, expected a base64 string',
    ]);
  });

  it('names base64 that is not valid, and bytes that are not whole float32 values', () => {
    expect(compareEmbeddings(list([[1]]), list(['!AAA']))).toEqual(['data[0].embedding: not valid base64 (character "!" at offset 0)']);
    expect(compareEmbeddings(list([[1]]), list(['AQI=']))).toEqual(['data[0].embedding: base64 decodes to 2 bytes, not a multiple of 4 (float32)']);
  });

  it('takes 8 bytes a dimension as float64 only when they decode to the float answer', () => {
    // [1, 3] as float32 is 8 bytes: for a one-dimensional float answer that is two float32 values, not one float64
    expect(compareEmbeddings(list([[1]]), list([ONE_THREE]))).toEqual(['data[0].embedding: base64 decodes to 2 float32 values, the float answer has 1']);
  });

  it('counts every value that differs, and names the first', () => {
    expect(compareEmbeddings(list([[1, 2, 3, 4]]), list(['AACAPwAAQEAAAEBAAACAQA==']))).toEqual(['data[0].embedding[1]: base64 gives 3, the float answer 2 (1 of 4 values differ)']); // [1, 3, 3, 4]
    expect(compareEmbeddings(list([[3, 5]]), list([ONE_THREE]))).toEqual(['data[0].embedding[0]: base64 gives 1, the float answer 3 (2 of 2 values differ)']);
  });
});

describe('the float32 tolerance', () => {
  it('is 2^-20, relative, with a floor of 1e-12 for values near zero', () => {
    expect(FLOAT32_TOLERANCE).toBe(9.5367431640625e-7);
    expect(compareEmbeddings(list([[1]]), list([ONE_PLUS_2_21]))).toEqual([]); // 2^-21 apart: within
    expect(compareEmbeddings(list([[1]]), list([ONE_PLUS_2_19]))).toHaveLength(1); // 2^-19 apart: outside
    expect(compareEmbeddings(list([[0]]), list([TINY]))).toHaveLength(1); // 1.6e-12 from zero: past the floor
    expect(compareEmbeddings(list([[1.5e-12]]), list([TINY]))).toEqual([]); // 1e-13 apart
    expect(compareEmbeddings(list([[-1]]), list(['AACAvw==']))).toEqual([]); // -1.0 = 0xBF800000
  });

  it('takes a printed float32 value as the value it rounds to, whatever the tolerance', () => {
    expect(compareEmbeddings(list([[0.1]]), list(['zczMPQ==']), { tolerance: 0 })).toEqual([]);
    expect(compareEmbeddings(list([[1]]), list([ONE_PLUS_2_23]), { tolerance: 0 })).toHaveLength(1);
  });
});

describe('checkEmbeddingOrder and vectorOf, the edges', () => {
  it('names a missing or wrong index and an embedding of no known shape', () => {
    expect(checkEmbeddingOrder({ data: [{ embedding: [1] }, { index: 1, embedding: null }, { index: 2, embedding: 7 }] }, 3)).toEqual([
      'data[0].index is undefined, expected 0',
      'data[1].embedding is null, expected numbers or base64 float32',
      'data[2].embedding is a number, expected numbers or base64 float32',
    ]);
    expect(checkEmbeddingOrder(null, 1)).toEqual(['the answer has no data array']);
    expect(checkEmbeddingOrder(list([]), 0)).toEqual([]);
    expect(checkEmbeddingOrder(list([[1, 2]]), 2)).toEqual(['2 input(s) sent, 1 embedding(s) returned']);
  });

  it('compares every dimension with the first embedding\'s, in either encoding', () => {
    expect(checkEmbeddingOrder(list([ONE_MINUS_TWO, [1, 2], [1], ONE]), 4)).toEqual(['data[2].embedding has 1 dimensions, data[0] has 2', 'data[3].embedding has 1 dimensions, data[0] has 2']);
    expect(checkEmbeddingOrder(list([[], [1]]), 2)).toEqual(['data[0].embedding is empty']);
    // the dimensions compared against are those of the first embedding that has a size, named as such
    expect(checkEmbeddingOrder(list([[], [1, 2], [1]]), 3)).toEqual(['data[0].embedding is empty', 'data[2].embedding has 1 dimensions, data[1] has 2']);
  });

  it('gives the vector of either encoding, nothing for anything else, and throws on bad base64', () => {
    const numbers = [1, 2];
    expect(vectorOf(numbers)).toBe(numbers);
    expect(Array.from(vectorOf(ONE_MINUS_TWO)!)).toEqual([1, -2]);
    expect(vectorOf({})).toBeUndefined();
    expect(vectorOf(['a'])).toBeUndefined();
    expect(() => vectorOf('AQI=')).toThrow('base64 decodes to 2 bytes, not a multiple of 4 (float32)');
  });
});
