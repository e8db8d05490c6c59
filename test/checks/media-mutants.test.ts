// The media checks' tables and messages that the mutation run found untested (docs/testing.md, "Mutation
// scores"): every audio content type the module's header names for each format, every response_format of
// OpenAI's speech API (mp3, opus in Ogg, aac in ADTS, flac, wav, pcm), on bytes written out by hand from
// the format specifications.
import { describe, expect, it } from 'vitest';
import { checkSpeech } from '../../src/checks/media.ts';
import { ascii, u16, u32, zeros } from './byte-fixtures.ts';

/** RIFF/WAVE, 1 channel, 24 kHz, 16 bits: block align 2, byte rate 48000; then 4 bytes of data. */
const WAV = Uint8Array.from([
  ...ascii('RIFF'), ...u32(40), ...ascii('WAVE'),
  ...ascii('fmt '), ...u32(16), ...u16(1), ...u16(1), ...u32(24_000), ...u32(48_000), ...u16(2), ...u16(16),
  ...ascii('data'), ...u32(4), 1, 2, 3, 4,
]);
/** Two MPEG-1 layer III frames, 128 kbit/s, 44.1 kHz: 144 × 128000 / 44100 = 417 bytes each. */
const MP3 = Uint8Array.from([0xff, 0xfb, 0x90, 0x64, ...zeros(413), 0xff, 0xfb, 0x90, 0x64, ...zeros(413)]);
/** Two ADTS frames of 64 bytes (the 13-bit length 64 = 0b0000001000000: byte 4 = 0x08, byte 5's top bits 0). */
const ADTS = Uint8Array.from([0xff, 0xf1, 0x50, 0x80, 0x08, 0x1f, 0xfc, ...zeros(57), 0xff, 0xf1, 0x50, 0x80, 0x08, 0x1f, 0xfc, ...zeros(57)]);
/** fLaC, then a STREAMINFO block header (last block, 34 bytes) and its 34 bytes. */
const FLAC = Uint8Array.from([...ascii('fLaC'), 0x80, 0, 0, 34, ...zeros(34)]);
/** An Ogg page header: OggS, stream structure version 0. */
const OGG = Uint8Array.from([...ascii('OggS'), 0, 2, ...zeros(20)]);
/** Headerless 16-bit samples. */
const PCM = Uint8Array.from([1, 2, 3, 4]);

/** The content types of each format, as the module documents them (audio/x-wav and the like are the common aliases). */
const TYPES = {
  wav: ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'],
  mp3: ['audio/mpeg', 'audio/mp3', 'audio/mpeg3', 'audio/x-mpeg-3'],
  ogg: ['audio/ogg', 'audio/opus'],
  flac: ['audio/flac', 'audio/x-flac'],
  aac: ['audio/aac', 'audio/x-aac', 'audio/aacp'],
  pcm: ['audio/pcm', 'audio/l16', 'audio/x-pcm', 'audio/raw'],
};

describe('checkSpeech: the content types of each format', () => {
  it('takes each type with the bytes of its format', () => {
    const bytesOf = { wav: WAV, mp3: MP3, ogg: OGG, flac: FLAC, aac: ADTS, pcm: PCM };
    for (const [format, types] of Object.entries(TYPES)) {
      for (const type of types) expect(checkSpeech(undefined, type, bytesOf[format as keyof typeof bytesOf]), type).toEqual([]);
    }
  });

  it('names each type as contradicting the bytes of another format', () => {
    for (const [format, types] of Object.entries(TYPES)) {
      const [other, sniffed] = format === 'wav' ? [MP3, 'mp3'] : [WAV, 'wav'];
      for (const type of types) expect(checkSpeech(undefined, type, other), type).toEqual([`the content type says ${type}, the bytes are ${sniffed} audio`]);
    }
  });

  it('names each type as contradicting a response_format of another format', () => {
    for (const [format, types] of Object.entries(TYPES)) {
      const [asked, bytes] = format === 'wav' ? ['mp3', MP3] : ['wav', WAV];
      for (const type of types) expect(checkSpeech(asked, type, bytes), type).toEqual([`asked for ${asked}, the content type says ${type}`]);
    }
  });
});

describe('checkSpeech: every response_format of the speech API', () => {
  it('takes each format with its bytes under its usual content type', () => {
    expect(checkSpeech('mp3', 'audio/mpeg', MP3)).toEqual([]);
    expect(checkSpeech('opus', 'audio/opus', OGG)).toEqual([]);
    expect(checkSpeech('aac', 'audio/aac', ADTS)).toEqual([]);
    expect(checkSpeech('flac', 'audio/flac', FLAC)).toEqual([]);
    expect(checkSpeech('wav', 'audio/wav', WAV)).toEqual([]);
    expect(checkSpeech('pcm', 'audio/pcm', PCM)).toEqual([]);
  });

  it('names the bytes of another format for each', () => {
    expect(checkSpeech('opus', 'audio/ogg', FLAC)).toEqual(['asked for opus, the bytes are flac audio']);
    expect(checkSpeech('aac', 'audio/aac', OGG)).toEqual(['asked for aac, the bytes are ogg audio']);
    expect(checkSpeech('flac', 'audio/flac', ADTS)).toEqual(['asked for flac, the bytes are aac audio']);
    expect(checkSpeech('mp3', 'audio/mpeg', WAV)).toEqual(['asked for mp3, the bytes are wav audio']);
  });
});
