// Embeddings: base64 little-endian float32 decoding, and the checks that a base64 answer holds
// exactly the vectors of the float answer for the same input, in input order.

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes standard base64 (padded) into bytes; throws a one-line error on anything else. */
export function decodeStrictBase64(s: string): Uint8Array {
  if (!STRICT_BASE64.test(s)) {
    const bad = s.search(/[^A-Za-z0-9+/=]/);
    const why = bad >= 0 ? `character ${JSON.stringify(s[bad])} at offset ${bad}` : `length ${s.length} or padding`;
    throw new Error(`not valid base64 (${why})`);
  }
  const buf = Buffer.from(s, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Decodes a base64 string of little-endian float32 values. */
export function decodeBase64Float32(s: string): Float32Array {
  const bytes = decodeStrictBase64(s);
  if (bytes.byteLength % 4 !== 0) throw new Error(`base64 decodes to ${bytes.byteLength} bytes, not a multiple of 4 (float32)`);
  return readFloats(bytes, 4, true) as Float32Array;
}

function readFloats(bytes: Uint8Array, width: 4 | 8, littleEndian: boolean): Float32Array | Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Math.floor(bytes.byteLength / width);
  const out = width === 4 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = width === 4 ? view.getFloat32(i * 4, littleEndian) : view.getFloat64(i * 8, littleEndian);
  return out;
}

export interface CompareOptions {
  /**
   * Largest relative difference accepted between a float and its base64 value. The default
   * (2^-20) accepts float32 values printed with 7 significant digits; a live model that is not
   * deterministic across calls may need a larger one.
   */
  tolerance?: number;
}

export const FLOAT32_TOLERANCE = 2 ** -20;

interface EmbeddingItem {
  index?: unknown;
  embedding?: unknown;
}

function itemsOf(answer: unknown): EmbeddingItem[] | undefined {
  const data = (answer as { data?: unknown } | null)?.data;
  return Array.isArray(data) ? (data as EmbeddingItem[]) : undefined;
}

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

function close(a: number, b: number, tolerance: number): boolean {
  return Math.fround(a) === b || Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b)) + 1e-12;
}

function agrees(expected: number[], actual: ArrayLike<number>, tolerance: number): boolean {
  if (expected.length !== actual.length) return false;
  for (let i = 0; i < expected.length; i++) if (!close(expected[i], actual[i], tolerance)) return false;
  return true;
}

/**
 * Problems of a base64 answer compared with the float answer to the same request; empty when
 * every base64 vector decodes to the float vector within float32 precision.
 */
export function compareEmbeddings(floatAnswer: unknown, base64Answer: unknown, opts: CompareOptions = {}): string[] {
  const tolerance = opts.tolerance ?? FLOAT32_TOLERANCE;
  const floats = itemsOf(floatAnswer);
  const b64s = itemsOf(base64Answer);
  if (!floats) return ['the float answer has no data array'];
  if (!b64s) return ['the base64 answer has no data array'];
  const problems: string[] = [];
  if (floats.length !== b64s.length) {
    problems.push(`the float answer has ${floats.length} embeddings, the base64 answer ${b64s.length}`);
  }
  for (const [name, items] of [['float', floats], ['base64', b64s]] as const) {
    items.forEach((item, i) => {
      if (item?.index !== i) problems.push(`${name} answer data[${i}].index is ${JSON.stringify(item?.index)}, expected ${i}`);
    });
  }
  const numbersForBase64 = b64s.filter((item) => isNumberArray(item?.embedding)).length;
  if (numbersForBase64 > 0) {
    problems.push(
      `base64 ignored: ${numbersForBase64} of ${b64s.length} embeddings are arrays of numbers although encoding_format "base64" was asked ` +
        '(the OpenAI SDK, which asks for base64 by default, then decodes them into wrong vectors without an error)',
    );
  }
  const count = Math.min(floats.length, b64s.length);
  for (let i = 0; i < count; i++) {
    const expected = floats[i]?.embedding;
    const encoded = b64s[i]?.embedding;
    if (!isNumberArray(expected)) {
      problems.push(`float answer data[${i}].embedding is ${describe(expected)}, expected an array of numbers`);
      continue;
    }
    if (isNumberArray(encoded)) continue; // reported above as "base64 ignored"
    if (typeof encoded !== 'string') {
      problems.push(`base64 answer data[${i}].embedding is ${describe(encoded)}, expected a base64 string`);
      continue;
    }
    problems.push(...compareVector(i, expected, encoded, tolerance));
  }
  return problems;
}

function compareVector(i: number, expected: number[], encoded: string, tolerance: number): string[] {
  const where = `data[${i}].embedding`;
  let bytes: Uint8Array;
  try {
    bytes = decodeStrictBase64(encoded);
  } catch (err) {
    return [`${where}: ${(err as Error).message}`];
  }
  if (bytes.byteLength === expected.length * 8 && agrees(expected, readFloats(bytes, 8, true), tolerance)) {
    return [`${where}: base64 holds float64 values (${bytes.byteLength} bytes for ${expected.length} dimensions), expected float32`];
  }
  if (bytes.byteLength % 4 !== 0) return [`${where}: base64 decodes to ${bytes.byteLength} bytes, not a multiple of 4 (float32)`];
  const actual = readFloats(bytes, 4, true);
  if (actual.length !== expected.length) {
    return [`${where}: base64 decodes to ${actual.length} float32 values, the float answer has ${expected.length}`];
  }
  if (agrees(expected, actual, tolerance)) return [];
  if (agrees(expected, readFloats(bytes, 4, false), tolerance)) return [`${where}: base64 holds big-endian float32, expected little-endian`];
  let differing = 0;
  let first = -1;
  for (let j = 0; j < expected.length; j++) {
    if (!close(expected[j], actual[j], tolerance)) {
      differing++;
      if (first < 0) first = j;
    }
  }
  return [`${where}[${first}]: base64 gives ${actual[first]}, the float answer ${expected[first]} (${differing} of ${expected.length} values differ)`];
}

/** Problems of one embeddings answer against its request: one embedding per input, in order, one dimension. */
export function checkEmbeddingOrder(list: unknown, inputsCount: number): string[] {
  const items = itemsOf(list);
  if (!items) return ['the answer has no data array'];
  const problems: string[] = [];
  if (items.length !== inputsCount) problems.push(`${inputsCount} input(s) sent, ${items.length} embedding(s) returned`);
  // the first embedding with a size sets the dimensions the others must have
  let first: { index: number; dimensions: number } | undefined;
  items.forEach((item, i) => {
    if (item?.index !== i) problems.push(`data[${i}].index is ${JSON.stringify(item?.index)}, expected ${i}`);
    const size = dimensionOf(item?.embedding);
    if (size === undefined) problems.push(`data[${i}].embedding is ${describe(item?.embedding)}, expected numbers or base64 float32`);
    else if (size === 0) problems.push(`data[${i}].embedding is empty`);
    else if (first === undefined) first = { index: i, dimensions: size };
    else if (size !== first.dimensions) problems.push(`data[${i}].embedding has ${size} dimensions, data[${first.index}] has ${first.dimensions}`);
  });
  return problems;
}

function dimensionOf(embedding: unknown): number | undefined {
  if (isNumberArray(embedding)) return embedding.length;
  if (typeof embedding === 'string') {
    try {
      return decodeBase64Float32(embedding).length;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The vector of an embedding in either encoding, or undefined. */
export function vectorOf(embedding: unknown): ArrayLike<number> | undefined {
  if (isNumberArray(embedding)) return embedding;
  if (typeof embedding === 'string') return decodeBase64Float32(embedding);
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array that is not all numbers';
  return `a ${typeof value}`;
}
