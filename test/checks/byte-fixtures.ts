// Bytes written out by hand for the media tests: text as Latin-1 bytes, little- and big-endian integers.
export const ascii = (s: string) => [...Buffer.from(s, 'latin1')];
export const u16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
export const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
export const u32be = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
export const bytes = (...parts: number[][]) => Uint8Array.from(parts.flat());
export const zeros = (n: number) => new Array<number>(n).fill(0);
