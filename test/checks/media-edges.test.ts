// The edges of the media sniffers and checks (docs/testing.md, "Mutation scores"), on bytes written out by
// hand from the format specifications: RIFF/WAVE fmt fields, MPEG audio and ADTS frame headers, ID3v2 tags,
// FLAC and Ogg signatures, PNG IHDR, JPEG, WEBP and GIF headers.
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkImageB64, checkImageList, checkSpeech, sniffAudio, sniffImage } from '../../src/checks/media.ts';
import { ascii, u16, u32, u32be, bytes, zeros } from './byte-fixtures.ts';

interface Fmt {
  format?: number;
  channels: number;
  rate: number;
  byteRate: number;
  blockAlign: number;
  bits: number;
  size?: number;
}

/** RIFF/WAVE with the chunks given, then a short data chunk. */
function riffWave(chunks: number[][], data = true): Uint8Array {
  const body = [...ascii('WAVE'), ...chunks.flat(), ...(data ? [...ascii('data'), ...u32(4), 1, 2, 3, 4] : [])];
  return bytes(ascii('RIFF'), u32(body.length), body);
}

function fmt({ format = 1, channels, rate, byteRate, blockAlign, bits, size = 16 }: Fmt): number[] {
  return [...ascii('fmt '), ...u32(size), ...u16(format), ...u16(channels), ...u32(rate), ...u32(byteRate), ...u16(blockAlign), ...u16(bits), ...zeros(size - 16)];
}

/** PCM fmt fields that add up: block align = channels × bits / 8, byte rate = rate × block align. */
const pcm = (channels: number, rate: number, bits: number, format = 1): Fmt => ({ format, channels, rate, bits, blockAlign: (channels * bits) / 8, byteRate: (rate * channels * bits) / 8 });

describe('sniffAudio: WAV fmt fields', () => {
  it('takes every linear PCM width and the float and extensible formats', () => {
    for (const bits of [8, 16, 24, 32, 64]) expect(sniffAudio(riffWave([fmt(pcm(2, 48_000, bits))])), `${bits} bits`).toBe('wav');
    expect(sniffAudio(riffWave([fmt(pcm(1, 24_000, 32, 3))]))).toBe('wav');
    expect(sniffAudio(riffWave([fmt(pcm(2, 44_100, 16, 0xfffe))]))).toBe('wav');
  });

  it('refuses a width PCM does not have, and fields that do not add up', () => {
    expect(sniffAudio(riffWave([fmt(pcm(2, 48_000, 12))]))).toBeUndefined();
    expect(sniffAudio(riffWave([fmt({ ...pcm(2, 48_000, 16), byteRate: 192_001 })]))).toBeUndefined();
    expect(sniffAudio(riffWave([fmt({ ...pcm(2, 48_000, 16), blockAlign: 2 })]))).toBeUndefined();
  });

  it('takes 1 to 32 channels and 1000 to 768000 Hz, no more and no less', () => {
    expect(sniffAudio(riffWave([fmt(pcm(1, 1_000, 8))]))).toBe('wav');
    expect(sniffAudio(riffWave([fmt(pcm(32, 768_000, 8))]))).toBe('wav');
    expect(sniffAudio(riffWave([fmt(pcm(0, 24_000, 16))]))).toBeUndefined();
    expect(sniffAudio(riffWave([fmt(pcm(33, 24_000, 8))]))).toBeUndefined();
    expect(sniffAudio(riffWave([fmt(pcm(1, 999, 8))]))).toBeUndefined();
    expect(sniffAudio(riffWave([fmt(pcm(1, 768_001, 8))]))).toBeUndefined();
  });

  it('takes a compressed format with any block align but 0', () => {
    expect(sniffAudio(riffWave([fmt({ format: 0x55, channels: 1, rate: 22_050, byteRate: 4_000, blockAlign: 1, bits: 0 })]))).toBe('wav');
    expect(sniffAudio(riffWave([fmt({ format: 0x55, channels: 1, rate: 22_050, byteRate: 4_000, blockAlign: 0, bits: 0 })]))).toBeUndefined();
  });

  it('reads a longer fmt chunk, refuses a shorter one, and one cut before its last field', () => {
    expect(sniffAudio(riffWave([fmt({ ...pcm(1, 16_000, 16), size: 18 })]))).toBe('wav');
    expect(sniffAudio(riffWave([fmt(pcm(1, 16_000, 16)).slice(0, 8 + 14)].map((c) => [...c.slice(0, 4), ...u32(14), ...c.slice(8)])))).toBeUndefined();
    const whole = riffWave([fmt(pcm(1, 16_000, 16))], false); // 12 + 24 bytes: the fmt chunk ends the file
    expect(whole.length).toBe(36);
    expect(sniffAudio(whole)).toBe('wav');
    expect(sniffAudio(whole.subarray(0, 35))).toBeUndefined();
  });

  it('skips other chunks, an odd one with its pad byte, and finds no fmt without it', () => {
    const odd = [...ascii('junk'), ...u32(3), 7, 7, 7];
    expect(sniffAudio(riffWave([[...odd, 0], fmt(pcm(1, 16_000, 16))]))).toBe('wav');
    expect(sniffAudio(riffWave([odd, fmt(pcm(1, 16_000, 16))]))).toBeUndefined(); // no pad byte: the next chunk is misread
    expect(sniffAudio(riffWave([]))).toBeUndefined(); // a data chunk only
  });
});

/** MPEG audio frame: the 4 header bytes, then zeros to `length`. */
const frame = (header: number[], length: number) => [...header, ...zeros(length - header.length)];
const MPEG1 = [0xff, 0xfb, 0x90, 0x64]; // MPEG-1 layer III, 128 kbit/s, 44.1 kHz, no padding: 144 × 128000 / 44100 = 417 bytes
const MPEG1_PADDED = [0xff, 0xfb, 0x92, 0x64]; // the same with the padding bit: 418 bytes
const MPEG2 = [0xff, 0xf3, 0x90, 0x64]; // MPEG-2 layer III, 80 kbit/s, 22.05 kHz: 72 × 80000 / 22050 = 261 bytes
const MPEG25 = [0xff, 0xe3, 0x90, 0x64]; // MPEG-2.5 layer III, 80 kbit/s, 11.025 kHz: 72 × 80000 / 11025 = 522 bytes

describe('sniffAudio: MPEG and ADTS frames', () => {
  it('confirms each MPEG version by a second frame exactly one frame length on', () => {
    expect(sniffAudio(bytes(frame(MPEG1, 417), frame(MPEG1, 417)))).toBe('mp3');
    expect(sniffAudio(bytes(frame(MPEG1_PADDED, 418), frame(MPEG1_PADDED, 418)))).toBe('mp3');
    expect(sniffAudio(bytes(frame(MPEG2, 261), frame(MPEG2, 261)))).toBe('mp3');
    expect(sniffAudio(bytes(frame(MPEG25, 522), frame(MPEG25, 522)))).toBe('mp3');
  });

  it('refuses a second header one byte off, whatever the version', () => {
    expect(sniffAudio(bytes(frame(MPEG1_PADDED, 417), frame(MPEG1, 417), [0]))).toBeUndefined(); // odd length: not PCM either
    expect(sniffAudio(bytes(frame(MPEG2, 262), frame(MPEG2, 261)))).toBeUndefined();
    expect(sniffAudio(bytes(frame(MPEG25, 521), frame(MPEG25, 522)))).toBeUndefined();
  });

  it('takes one frame when the next header is not in the buffer, and checks it when it just is', () => {
    expect(sniffAudio(bytes(frame(MPEG1, 417), [0xff, 0xfb, 0x90]))).toBe('mp3'); // 3 bytes: no header to check
    expect(sniffAudio(bytes(frame(MPEG1, 417), MPEG1))).toBe('mp3');
    expect(sniffAudio(bytes(frame(MPEG1, 417), [0, 0, 0, 0]))).toBeUndefined(); // 421 bytes: odd, not PCM
  });

  it('refuses layer I and II, the reserved version, bitrates 0 and 15 and the reserved sample rate', () => {
    const refused = (header: number[]) => sniffAudio(bytes(frame(header, 418), frame(header, 418)));
    expect(refused([0xff, 0xfd, 0x90, 0x64])).toBe('pcm?'); // layer II
    expect(refused([0xff, 0xff, 0x90, 0x64])).toBe('pcm?'); // layer I
    expect(refused([0xff, 0xeb, 0x90, 0x64])).toBe('pcm?'); // version bits 01: reserved
    expect(refused([0xff, 0xfb, 0x00, 0x64])).toBe('pcm?'); // free bitrate
    expect(refused([0xff, 0xfb, 0xf0, 0x64])).toBe('pcm?'); // bitrate index 15
    expect(refused([0xff, 0xfb, 0x9c, 0x64])).toBe('pcm?'); // sample rate index 3
    expect(sniffAudio(bytes([0xff, 0xfb, 0x90]))).toBeUndefined(); // too short for a header, and odd
  });

  /** ADTS header of a frame of `length` bytes, sample rate index `rate`. */
  const adts = (length: number, rate = 4, b1 = 0xf1) => frame([0xff, b1, rate << 2, 0x80 | ((length >> 11) & 3), (length >> 3) & 0xff, ((length & 7) << 5) | 0x1f, 0xfc], Math.max(length, 7));

  it('reads the 13-bit ADTS frame length across three bytes, and every sample rate index up to 12', () => {
    expect(sniffAudio(bytes(adts(64), adts(64)))).toBe('aac');
    expect(sniffAudio(bytes(adts(2_085), adts(2_085)))).toBe('aac'); // 0b100000100101: a bit in each of the three bytes
    expect(sniffAudio(bytes(adts(64, 12), adts(64, 12)))).toBe('aac');
    expect(sniffAudio(bytes(adts(7), adts(7)))).toBe('aac');
  });

  it('refuses sample rate index 13, a frame shorter than its header, and a 12-bit sync that is not whole', () => {
    expect(sniffAudio(bytes(adts(64, 13), adts(64, 13)))).toBe('pcm?');
    expect(sniffAudio(bytes(adts(6), adts(6)))).toBe('pcm?');
    expect(sniffAudio(bytes(adts(64, 4, 0xe1), adts(64, 4, 0xe1)))).toBe('pcm?');
    expect(sniffAudio(bytes([0xff, 0xf1, 0x10, 0x80, 0x08, 0x1f]))).toBe('pcm?'); // 6 bytes: no room for the header
  });
});

describe('sniffAudio: ID3, FLAC, Ogg, PCM', () => {
  const id3 = (version: number, flags: number, size: number[]) => [...ascii('ID3'), version, 0, flags, ...size];

  it('skips an ID3v2.2 to 2.4 tag by its syncsafe size, its footer and its padding', () => {
    expect(sniffAudio(bytes(id3(2, 0, [0, 0, 0, 0]), frame(MPEG1, 417)))).toBe('mp3');
    expect(sniffAudio(bytes(id3(4, 0, [0, 0, 1, 0]), zeros(128), frame(MPEG1, 417)))).toBe('mp3'); // size 1 << 7 = 128
    expect(sniffAudio(bytes(id3(3, 0, [0, 0, 0, 3]), [1, 2, 3], zeros(5), frame(MPEG1, 417)))).toBe('mp3'); // 3 bytes of tag, 5 of padding
    const footer = [...ascii('3DI'), 4, 0, 0x10, 0, 0, 0, 2];
    expect(sniffAudio(bytes(id3(4, 0x10, [0, 0, 0, 2]), [1, 2], footer, frame(MPEG1, 417)))).toBe('mp3'); // a 10-byte footer
    expect(sniffAudio(bytes(id3(4, 0, [0, 0, 0, 2]), [1, 2], footer, frame(MPEG1, 417)))).toBeUndefined(); // the same bytes without the footer flag
  });

  it('calls a tag alone, or a tag and padding, MP3; a tag and something else not audio', () => {
    expect(sniffAudio(bytes(id3(3, 0, [0, 0, 0, 0])))).toBe('mp3');
    expect(sniffAudio(bytes(id3(3, 0, [0, 0, 0, 4]), [1, 2, 3, 4]))).toBe('mp3');
    expect(sniffAudio(bytes(id3(3, 0, [0, 0, 0, 0]), zeros(6)))).toBe('mp3');
    expect(sniffAudio(bytes(id3(3, 0, [0, 0, 0, 0]), [1, 2, 3, 4]))).toBeUndefined();
  });

  it('refuses ID3 versions other than 2 to 4, a size byte with its top bit, and a cut header', () => {
    expect(sniffAudio(bytes(id3(1, 0, [0, 0, 0, 0]), frame(MPEG1, 417)))).toBeUndefined();
    expect(sniffAudio(bytes(id3(5, 0, [0, 0, 0, 0]), frame(MPEG1, 417)))).toBeUndefined();
    for (const at of [0, 1, 2, 3]) {
      const size = [0, 0, 0, 0];
      size[at] = 0x80;
      expect(sniffAudio(bytes(id3(3, 0, size), frame(MPEG1, 417))), `size byte ${at}`).toBeUndefined();
    }
    expect(sniffAudio(bytes(ascii('ID3'), [3, 0, 0, 0, 0, 0]))).toBeUndefined(); // 9 bytes
  });

  it('takes FLAC only with a 34-byte STREAMINFO first, Ogg only at version 0', () => {
    const flac = (b: number[]) => sniffAudio(bytes(ascii('fLaC'), b, zeros(34)));
    expect(flac([0x00, 0, 0, 34])).toBe('flac');
    expect(flac([0x80, 0, 0, 34])).toBe('flac'); // last-block flag set
    expect(flac([0x01, 0, 0, 34])).toBeUndefined();
    expect(flac([0x00, 1, 0, 34])).toBeUndefined();
    expect(flac([0x00, 0, 1, 34])).toBeUndefined();
    expect(flac([0x00, 0, 0, 33])).toBeUndefined();
    expect(sniffAudio(bytes(ascii('OggS'), [1, 2], zeros(20)))).toBeUndefined();
    expect(sniffAudio(bytes(ascii('OggS'), [0, 2], zeros(20)))).toBe('ogg');
  });

  it('calls even-length binary PCM, and neither odd-length binary nor text', () => {
    expect(sniffAudio(bytes([1, 2]))).toBe('pcm?');
    expect(sniffAudio(bytes([1]))).toBeUndefined();
    expect(sniffAudio(bytes([1, 2, 3]))).toBeUndefined();
    expect(sniffAudio(bytes(ascii('ab\t\r\n~')))).toBeUndefined(); // printable, tab and line ends: text
    expect(sniffAudio(bytes(ascii('ab'), [0x7f, 0x20]))).toBe('pcm?'); // DEL is not text
    expect(sniffAudio(bytes(ascii('ab'), [0x1f, 0x20]))).toBe('pcm?');
    expect(sniffAudio(bytes(ascii('a'), [0xc3, 0xa9, 0x20]))).toBeUndefined(); // UTF-8 text
    expect(sniffAudio(bytes(ascii('x'.repeat(256)), [0, 0]))).toBeUndefined(); // judged on its first 256 bytes
  });
});

describe('checkSpeech, the edges', () => {
  const wav = riffWave([fmt(pcm(1, 24_000, 16))]);

  it('names a format the harness does not know, with the ones it does', () => {
    expect(checkSpeech('ogg', 'audio/ogg', bytes(ascii('OggS'), zeros(22)))).toEqual(['response_format "ogg" is not one the harness knows (mp3, opus, aac, flac, wav, pcm)']);
  });

  it('reads the content type in any case, with parameters, and names a missing one', () => {
    expect(checkSpeech('wav', 'AUDIO/X-WAV; rate=24000', wav)).toEqual([]);
    expect(checkSpeech('wav', undefined, wav)).toEqual(['content type is missing, expected audio/*']);
    expect(checkSpeech('wav', 'audio/basic', wav)).toEqual([]); // an audio type the harness cannot place contradicts nothing
    expect(checkSpeech(undefined, 'audio/basic', wav)).toEqual([]);
    expect(checkSpeech('flac', 'audio/wav', wav)).toEqual(['asked for flac, the bytes are wav audio', 'asked for flac, the content type says audio/wav']);
  });

  it('quotes at most 80 characters of text on one line, and the first 8 bytes of unknown binary', () => {
    const long = `err\n\n${'x'.repeat(100)}`;
    expect(checkSpeech(undefined, 'audio/mpeg', bytes(ascii(long)))).toEqual([`the bytes are text ("err ${'x'.repeat(75)}…"), not a recognised audio format`]);
    expect(checkSpeech(undefined, 'audio/mpeg', bytes(ascii('x'.repeat(80))))).toEqual([`the bytes are text ("${'x'.repeat(80)}"), not a recognised audio format`]);
    expect(checkSpeech(undefined, 'audio/mpeg', bytes([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))).toEqual(['the bytes are 10 bytes of unknown binary (starting 0001020304050607), not a recognised audio format']);
    expect(checkSpeech(undefined, 'audio/mpeg', bytes([1, 2, 3]))).toEqual(['the bytes are 3 bytes of unknown binary (starting 010203), not a recognised audio format']);
  });

  it('accepts headerless PCM under every PCM content type, and takes a missing content type and no bytes together', () => {
    for (const type of ['audio/pcm', 'audio/l16', 'audio/x-pcm', 'audio/raw']) expect(checkSpeech(undefined, type, bytes([1, 2])), type).toEqual([]);
    expect(checkSpeech(undefined, undefined, new Uint8Array())).toEqual(['content type is missing, expected audio/*', 'the answer has no bytes']);
  });
});

/** A PNG signature and IHDR chunk (33 bytes), with the CRC computed over type and data as the spec says. */
function pngHeader(width: number, height: number, depth: number, colour: number, crcDelta = 0): Uint8Array {
  const typed = [...ascii('IHDR'), ...u32be(width), ...u32be(height), depth, colour, 0, 0, 0];
  return bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], u32be(13), typed, u32be((crc32(Uint8Array.from(typed)) + crcDelta) >>> 0));
}

describe('sniffImage, the edges', () => {
  it('takes every colour type with its allowed depths, and refuses the others', () => {
    const allowed: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
    for (const [colour, depths] of Object.entries(allowed)) {
      for (const depth of depths) expect(sniffImage(pngHeader(1, 1, depth, Number(colour))), `colour ${colour} depth ${depth}`).toBe('png');
    }
    for (const [colour, depth] of [[2, 4], [3, 16], [4, 4], [6, 1], [0, 3], [1, 8], [5, 8]]) {
      expect(sniffImage(pngHeader(1, 1, depth, colour)), `colour ${colour} depth ${depth}`).toBeUndefined();
    }
  });

  it('refuses a zero or too large size, a wrong CRC, a chunk that is not IHDR, and a header cut short', () => {
    expect(sniffImage(pngHeader(0x7fffffff, 1, 8, 2))).toBe('png');
    expect(sniffImage(pngHeader(0x80000000, 1, 8, 2))).toBeUndefined();
    expect(sniffImage(pngHeader(1, 0x80000000, 8, 2))).toBeUndefined();
    expect(sniffImage(pngHeader(1, 0, 8, 2))).toBeUndefined();
    expect(sniffImage(pngHeader(1, 1, 8, 2, 1))).toBeUndefined();
    const notIhdr = pngHeader(1, 1, 8, 2);
    notIhdr[12] = 0x69; // 'iHDR'
    expect(sniffImage(notIhdr)).toBeUndefined();
    const badLength = pngHeader(1, 1, 8, 2);
    badLength[11] = 14;
    expect(sniffImage(badLength)).toBeUndefined();
    expect(sniffImage(pngHeader(1, 1, 8, 2).subarray(0, 32))).toBeUndefined();
  });

  it('takes JPEG from 4 bytes, WEBP of each chunk kind, GIF87a and GIF89a with a size', () => {
    expect(sniffImage(bytes([0xff, 0xd8, 0xff, 0xdb]))).toBe('jpeg');
    expect(sniffImage(bytes([0xff, 0xd8, 0xff]))).toBeUndefined();
    expect(sniffImage(bytes([0xff, 0xd8, 0xfe, 0xdb]))).toBeUndefined();
    for (const kind of ['VP8 ', 'VP8L', 'VP8X']) expect(sniffImage(bytes(ascii('RIFF'), u32(20), ascii(`WEBP${kind}`), zeros(8))), kind).toBe('webp');
    expect(sniffImage(bytes(ascii('RIFF'), u32(20), ascii('WEBPVP9 '), zeros(8)))).toBeUndefined();
    expect(sniffImage(bytes(ascii('GIF87a'), u16(1), u16(1)))).toBe('gif');
    expect(sniffImage(bytes(ascii('GIF89a'), u16(300), u16(2)))).toBe('gif');
    expect(sniffImage(bytes(ascii('GIF89a'), u16(0), u16(1)))).toBeUndefined();
    expect(sniffImage(bytes(ascii('GIF89a'), u16(1), u16(0)))).toBeUndefined();
    expect(sniffImage(bytes(ascii('GIF89a'), u16(1), [1]))).toBeUndefined(); // 9 bytes
    expect(sniffImage(bytes(ascii('GIF88a'), u16(1), u16(1)))).toBeUndefined();
  });
});

describe('checkImageB64 and checkImageList, the edges', () => {
  const png = Buffer.from(pngHeader(2, 2, 8, 6)).toString('base64');

  it('names the type of a b64_json that is not a string', () => {
    expect(checkImageB64(42)).toEqual(['b64_json is number, expected base64 of an image']);
    expect(checkImageB64(null)).toEqual(['b64_json is object, expected base64 of an image']);
    expect(checkImageB64(undefined)).toEqual(['b64_json is undefined, expected base64 of an image']);
  });

  it('names unknown binary by its first bytes', () => {
    expect(checkImageB64(Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8]).toString('base64'))).toEqual(['b64_json decodes to 9 bytes of unknown binary (starting 0001020304050607), not a PNG, JPEG, WEBP or GIF image']);
  });

  it('takes http and https URLs without spaces, and numbers the problems of each image', () => {
    expect(checkImageList({ data: [{ url: 'http://cdn.example/a.png' }, { url: 'https://x' }] })).toEqual([]);
    expect(checkImageList({ data: [{ url: 'https://cdn.example/a b.png' }, { url: 'https://' }, { url: 'xhttps://x' }, { url: 42 }, null, { b64_json: null }, { b64_json: png }] })).toEqual([
      'data[0].url is not an http(s) URL',
      'data[1].url is not an http(s) URL',
      'data[2].url is not an http(s) URL',
      'data[3] has neither b64_json nor url',
      'data[4] has neither b64_json nor url',
      'data[5].b64_json is object, expected base64 of an image',
    ]);
    expect(checkImageList(null)).toEqual(['the answer has no images in data']);
    expect(checkImageList({ data: {} })).toEqual(['the answer has no images in data']);
  });
});
