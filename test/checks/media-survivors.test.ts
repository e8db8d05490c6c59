// The media sniffers at the edges the mutation run of src/checks/media.ts left open (docs/testing.md,
// "Mutation scores"), on bytes written out by hand from the format specifications: RIFF forms other than
// WAVE and WEBP, WAV float and extensible fields that do not add up, the 11-bit MPEG sync, layers I and II
// and the reserved version with frames of the length layer III would have, an ADTS length of 0, a third frame
// that is not checked, and PNG, JPEG and WEBP signatures with one byte off.
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkSpeech, sniffAudio, sniffImage } from '../../src/checks/media.ts';
import { ascii, u16, u32, u32be, bytes, zeros } from './byte-fixtures.ts';

/** A 16-byte fmt chunk: format, channels, rate, byte rate, block align, bits. */
const fmt = (format: number, channels: number, rate: number, byteRate: number, blockAlign: number, bits: number) => [
  ...ascii('fmt '), ...u32(16), ...u16(format), ...u16(channels), ...u32(rate), ...u32(byteRate), ...u16(blockAlign), ...u16(bits),
];
/** `riff` (RIFF, or RIFX), a size, the form type, the chunks, and a 4-byte data chunk. */
const riff = (id: string, form: string, ...chunks: number[][]) => {
  const body = [...ascii(form), ...chunks.flat(), ...ascii('data'), ...u32(4), 1, 2, 3, 4];
  return bytes(ascii(id), u32(body.length), body);
};
const MONO_16 = fmt(1, 1, 16_000, 32_000, 2, 16); // block align 1 × 16 / 8 = 2, byte rate 16000 × 2

describe('sniffAudio: RIFF forms', () => {
  it('takes a WAV only in a RIFF file of form WAVE', () => {
    expect(sniffAudio(riff('RIFF', 'WAVE', MONO_16))).toBe('wav');
    expect(sniffAudio(riff('RIFX', 'WAVE', MONO_16))).not.toBe('wav'); // RIFX: the big-endian variant, not read
    expect(sniffAudio(riff('RIFF', 'AVI ', MONO_16))).not.toBe('wav');
  });

  it('holds float (3) and extensible (0xFFFE) fields to the PCM arithmetic', () => {
    expect(sniffAudio(riff('RIFF', 'WAVE', fmt(3, 1, 16_000, 64_000, 4, 32)))).toBe('wav');
    expect(sniffAudio(riff('RIFF', 'WAVE', fmt(3, 1, 16_000, 64_000, 2, 32)))).toBeUndefined(); // block align should be 4
    expect(sniffAudio(riff('RIFF', 'WAVE', fmt(0xfffe, 2, 16_000, 64_000, 4, 16)))).toBe('wav');
    expect(sniffAudio(riff('RIFF', 'WAVE', fmt(0xfffe, 2, 16_000, 64_001, 4, 16)))).toBeUndefined(); // byte rate should be 64000
  });

  it('refuses a fmt chunk shorter than 16 bytes even when the bytes after it would fill the fields', () => {
    // 14 bytes of fmt (no bits field), then a chunk whose id starts with 16, 0: read as bits it would be 16.
    const short = [...ascii('fmt '), ...u32(14), ...u16(1), ...u16(1), ...u32(16_000), ...u32(32_000), ...u16(2)];
    expect(sniffAudio(riff('RIFF', 'WAVE', short, [16, 0, 0x78, 0x78, ...u32(0)]))).toBeUndefined();
  });
});

const frame = (header: number[], length: number) => [...header, ...zeros(length - header.length)];
const MPEG1 = [0xff, 0xfb, 0x90, 0x64]; // MPEG-1 layer III, 128 kbit/s, 44.1 kHz: 417 bytes

describe('sniffAudio: MPEG and ADTS headers', () => {
  it('needs all 11 sync bits: a first byte 0xFF and a second byte without its top three bits is not a frame', () => {
    const noSync = [0xff, 0x1b, 0x90, 0x64]; // the low bits of MPEG-1 layer III, the top three cleared
    expect(sniffAudio(bytes(frame(noSync, 417), frame(noSync, 417)))).toBe('pcm?');
  });

  it('refuses layers I and II and the reserved version even when their frames have the length layer III would give', () => {
    expect(sniffAudio(bytes(frame([0xff, 0xfd, 0x90, 0x64], 417), frame([0xff, 0xfd, 0x90, 0x64], 417)))).toBe('pcm?'); // layer II
    expect(sniffAudio(bytes(frame([0xff, 0xff, 0x90, 0x64], 417), frame([0xff, 0xff, 0x90, 0x64], 417)))).toBe('pcm?'); // layer I
    // version bits 01 (reserved), read as MPEG-2.5 would be: 72 × 80000 / 11025 = 522 bytes
    expect(sniffAudio(bytes(frame([0xff, 0xeb, 0x90, 0x64], 522), frame([0xff, 0xeb, 0x90, 0x64], 522)))).toBe('pcm?');
  });

  it('refuses an ADTS frame length of 0, which would confirm the frame by itself', () => {
    expect(sniffAudio(bytes([0xff, 0xf1, 0x50, 0x80, 0x00, 0x1f, 0xfc], zeros(7)))).toBe('pcm?');
  });

  it('confirms a frame by the next one only, not by the one after', () => {
    expect(sniffAudio(bytes(frame(MPEG1, 417), frame(MPEG1, 417), [0, 0, 0, 0]))).toBe('mp3');
  });
});

describe('sniffAudio and checkSpeech: text and content types', () => {
  it('takes 0x80 as a byte of UTF-8 text, not binary', () => {
    expect(sniffAudio(bytes(ascii('a'), [0x80]))).toBeUndefined();
  });

  it('reads a content type with spaces before its parameters', () => {
    const wav = riff('RIFF', 'WAVE', MONO_16);
    expect(checkSpeech('wav', 'audio/mpeg ; rate=16000', wav)).toEqual(['asked for wav, the content type says audio/mpeg']);
  });
});

/** A PNG signature and a 13-byte chunk of this type (IHDR fields), with its CRC over type and data. */
function pngHeader(width: number, height: number, type = 'IHDR'): Uint8Array {
  const typed = [...ascii(type), ...u32be(width), ...u32be(height), 8, 2, 0, 0, 0];
  return bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], u32be(13), typed, u32be(crc32(Uint8Array.from(typed))));
}

describe('sniffImage: signatures one byte off', () => {
  it('takes a height of 2^31 - 1, the most PNG allows, and needs IHDR as the first chunk even with a right CRC', () => {
    expect(sniffImage(pngHeader(1, 0x7fffffff))).toBe('png');
    expect(sniffImage(pngHeader(1, 1, 'IDAT'))).toBeUndefined();
  });

  it('takes a JPEG of 33 bytes or more whose later bytes are those of the PNG signature', () => {
    expect(sniffImage(bytes([0xff, 0xd8, 0xff, 0xdb, 0x0d, 0x0a, 0x1a, 0x0a], zeros(32)))).toBe('jpeg');
  });

  it('needs all three JPEG signature bytes', () => {
    expect(sniffImage(bytes([0xfe, 0xd8, 0xff, 0xdb]))).toBeUndefined();
    expect(sniffImage(bytes([0xff, 0xd9, 0xff, 0xdb]))).toBeUndefined();
  });

  it('takes a WEBP only in a RIFF file of form WEBP', () => {
    expect(sniffImage(bytes(ascii('RIFF'), u32(8), ascii('WEBPVP8 ')))).toBe('webp'); // 16 bytes: the chunk type ends the buffer
    expect(sniffImage(bytes(ascii('RIFX'), u32(20), ascii('WEBPVP8 '), zeros(8)))).toBeUndefined();
    expect(sniffImage(bytes(ascii('RIFF'), u32(20), ascii('AVI VP8 '), zeros(8)))).toBeUndefined();
  });
});
