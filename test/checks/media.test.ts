import { describe, expect, it } from 'vitest';
import { crc32, deflateSync } from 'node:zlib';
import { checkImageB64, checkImageList, checkSpeech, sniffAudio, sniffImage } from '../../src/checks/media.ts';

// ---------- builders of real media bytes ----------

interface WavShape {
  channels?: number;
  rate?: number;
  bits?: number;
  samples?: number;
  blockAlign?: number;
  extraChunk?: boolean;
}

function wav({ channels = 1, rate = 24000, bits = 16, samples = 64, blockAlign = (channels * bits) / 8, extraChunk = false }: WavShape = {}): Uint8Array {
  const data = Buffer.alloc(samples * blockAlign);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin(i / 3) * 8000), i * blockAlign);
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE(rate * blockAlign, 16);
  fmt.writeUInt16LE(blockAlign, 20);
  fmt.writeUInt16LE(bits, 22);
  const list = extraChunk ? Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc\0')]) : Buffer.alloc(0);
  const dataHeader = Buffer.alloc(8);
  dataHeader.write('data', 0, 'ascii');
  dataHeader.writeUInt32LE(data.length, 4);
  const body = Buffer.concat([Buffer.from('WAVE'), list, fmt, dataHeader, data]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(body.length, 4);
  return new Uint8Array(Buffer.concat([riff, body]));
}

/** MPEG-1 layer III, 128 kbit/s, 44.1 kHz: 417-byte frames. */
function mp3(frames = 3, id3 = false): Uint8Array {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  const parts = Array.from({ length: frames }, () => frame);
  if (id3) parts.unshift(Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 10, ...Buffer.alloc(10)]));
  return new Uint8Array(Buffer.concat(parts));
}

function adts(frames = 2): Uint8Array {
  const length = 64;
  const frame = Buffer.alloc(length);
  frame.set([0xff, 0xf1, 0x50, 0x80 | ((length >> 11) & 3), (length >> 3) & 0xff, ((length & 7) << 5) | 0x1f, 0xfc]);
  return new Uint8Array(Buffer.concat(Array.from({ length: frames }, () => frame)));
}

const flac = () => new Uint8Array(Buffer.concat([Buffer.from('fLaC'), Buffer.from([0x80, 0, 0, 34]), Buffer.alloc(34)]));
const ogg = () => new Uint8Array(Buffer.concat([Buffer.from('OggS'), Buffer.from([0, 2]), Buffer.alloc(40)]));

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}

function png(width = 2, height = 2): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const raw = Buffer.alloc((width * 3 + 1) * height, 0x7f);
  for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0; // filter type none
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', deflateSync(raw)),
      pngChunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

const jpeg = () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
const gif = () => new Uint8Array(Buffer.concat([Buffer.from('GIF89a'), Buffer.from([1, 0, 1, 0, 0, 0, 0])]));
const webp = () => new Uint8Array(Buffer.concat([Buffer.from('RIFF'), Buffer.from([20, 0, 0, 0]), Buffer.from('WEBPVP8L'), Buffer.alloc(8)]));
const text = (s: string) => new TextEncoder().encode(s);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

// ---------- tests ----------

describe('sniffAudio', () => {
  it('recognises each container from real headers', () => {
    expect(sniffAudio(wav())).toBe('wav');
    expect(sniffAudio(wav({ channels: 2, rate: 44100, extraChunk: true }))).toBe('wav');
    expect(sniffAudio(mp3())).toBe('mp3');
    expect(sniffAudio(mp3(1, true))).toBe('mp3');
    expect(sniffAudio(adts())).toBe('aac');
    expect(sniffAudio(flac())).toBe('flac');
    expect(sniffAudio(ogg())).toBe('ogg');
  });

  it('rejects a WAV whose fmt chunk does not add up', () => {
    expect(sniffAudio(wav({ blockAlign: 3 }))).toBeUndefined();
    expect(sniffAudio(wav({ rate: 12 }))).toBeUndefined();
    expect(sniffAudio(wav().subarray(0, 20))).toBeUndefined(); // cut before fmt
  });

  it('rejects an MPEG frame sync that is not followed by a second frame', () => {
    const broken = mp3(2);
    broken[417] = 0x00;
    expect(sniffAudio(broken)).not.toBe('mp3');
    expect(sniffAudio(new Uint8Array([0xff, 0xff, 0xff, 0xff, 1]))).toBeUndefined(); // reserved fields
  });

  it('calls headerless binary "pcm?" and text undefined', () => {
    expect(sniffAudio(wav().subarray(44))).toBe('pcm?');
    expect(sniffAudio(text('{"error":{"message":"no"}}'))).toBeUndefined();
    expect(sniffAudio(new Uint8Array())).toBeUndefined();
  });
});

describe('checkSpeech', () => {
  it('accepts audio of the format asked under a matching content type', () => {
    expect(checkSpeech('wav', 'audio/wav', wav())).toEqual([]);
    expect(checkSpeech('mp3', 'audio/mpeg', mp3())).toEqual([]);
    expect(checkSpeech('opus', 'audio/ogg; codecs=opus', ogg())).toEqual([]);
    expect(checkSpeech('pcm', 'audio/pcm', wav().subarray(44))).toEqual([]);
    expect(checkSpeech(undefined, 'audio/flac', flac())).toEqual([]);
  });

  it('flags bytes of another format than asked, naming both', () => {
    expect(checkSpeech('wav', 'audio/wav', mp3())).toEqual(['asked for wav, the bytes are mp3 audio']);
    expect(checkSpeech('pcm', 'audio/pcm', wav())).toEqual(['asked for pcm, the bytes are wav audio']);
  });

  it('flags a content type that contradicts the format or is not audio', () => {
    expect(checkSpeech('wav', 'audio/mpeg', wav())).toEqual(['asked for wav, the content type says audio/mpeg']);
    expect(checkSpeech(undefined, 'audio/mpeg', wav())).toEqual(['the content type says audio/mpeg, the bytes are wav audio']);
    expect(checkSpeech('mp3', 'application/octet-stream', mp3())).toEqual([
      'content type is "application/octet-stream", expected audio/*',
    ]);
  });

  it('flags a JSON error served as audio, and an empty body', () => {
    const problems = checkSpeech('mp3', 'audio/mpeg', text('{"error":"tts failed"}'));
    expect(problems).toEqual(['asked for mp3, the bytes are text ("{"error":"tts failed"}")']);
    expect(checkSpeech(undefined, 'audio/wav', new Uint8Array())).toEqual(['the answer has no bytes']);
  });

  it('does not accept headerless bytes when no format was asked, unless the content type says PCM', () => {
    expect(checkSpeech(undefined, 'audio/mpeg', wav().subarray(44))[0]).toMatch(/^the bytes are \d+ bytes of unknown binary .*not a recognised audio format$/);
    expect(checkSpeech(undefined, 'audio/pcm', wav().subarray(44))).toEqual([]);
  });
});

describe('images', () => {
  it('recognises PNG (with a valid IHDR), JPEG, WEBP and GIF', () => {
    expect(sniffImage(png())).toBe('png');
    expect(sniffImage(jpeg())).toBe('jpeg');
    expect(sniffImage(webp())).toBe('webp');
    expect(sniffImage(gif())).toBe('gif');
  });

  it('rejects a PNG signature with a corrupt header, and non-images', () => {
    const corrupt = png();
    corrupt[17] ^= 0xff; // width changes, CRC no longer matches
    expect(sniffImage(corrupt)).toBeUndefined();
    expect(sniffImage(png(0, 2))).toBeUndefined();
    expect(sniffImage(wav())).toBeUndefined();
    expect(sniffImage(text('<html>'))).toBeUndefined();
  });

  it('checks b64_json values', () => {
    expect(checkImageB64(b64(png()))).toEqual([]);
    expect(checkImageB64(`data:image/png;base64,${b64(png())}`)).toEqual(['b64_json is a data: URL, expected bare base64']);
    expect(checkImageB64('iVBOR w0K')).toEqual(['b64_json is not valid base64 (character " " at offset 5)']);
    expect(checkImageB64(b64(text('an image')))).toEqual(['b64_json decodes to text ("an image"), not a PNG, JPEG, WEBP or GIF image']);
    expect(checkImageB64('')).toEqual(['b64_json is empty, expected base64 of an image']);
  });

  it('checks every image of an answer', () => {
    expect(checkImageList({ created: 1, data: [{ b64_json: b64(png()) }, { url: 'https://cdn.example/x.png' }] })).toEqual([]);
    expect(checkImageList({ created: 1, data: [{ b64_json: b64(wav()) }, { url: 'ftp://x' }, {}] })).toEqual([
      expect.stringMatching(/^data\[0\]\.b64_json decodes to /),
      'data[1].url is not an http(s) URL',
      'data[2] has neither b64_json nor url',
    ]);
    expect(checkImageList({ data: [] })).toEqual(['the answer has no images in data']);
  });
});
