// Deterministic embeddings: the vector of a text is seeded by its sha256, so tests can recompute it.
// Every component is a float32 value (Math.fround), so the base64 (little-endian float32) encoding
// decodes back to exactly the float answer.
import { createHash } from 'node:crypto';

export const DEFAULT_DIMENSIONS = 8;

export function embeddingOf(text: string, dimensions = DEFAULT_DIMENSIONS): number[] {
  const vector: number[] = [];
  for (let block = 0; vector.length < dimensions; block++) {
    const digest = createHash('sha256').update(block === 0 ? text : `${block}\0${text}`).digest();
    for (let i = 0; i + 4 <= digest.length && vector.length < dimensions; i += 4) {
      vector.push(Math.fround((digest.readUInt32LE(i) / 0x1_0000_0000) * 2 - 1));
    }
  }
  return vector;
}

export function float32Base64(vector: number[]): string {
  const buf = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString('base64');
}

export function base64Float32(text: string): number[] {
  const buf = Buffer.from(text, 'base64');
  const out: number[] = [];
  for (let i = 0; i + 4 <= buf.length; i += 4) out.push(buf.readFloatLE(i));
  return out;
}
