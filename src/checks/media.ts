// Media checks: is the speech answer audio of the format asked, is the image answer an image.
// Sniffers look at real structure (headers, chunk fields, a second frame), not at a magic number only.
import { crc32 } from 'node:zlib';
import { decodeStrictBase64 } from './embeddings.ts';

export type AudioFormat = 'wav' | 'mp3' | 'flac' | 'ogg' | 'aac' | 'pcm?';
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif';

/** The OpenAI `response_format` of speech → what the bytes sniff as (opus comes in an Ogg container). */
export const SPEECH_FORMATS: Record<string, AudioFormat> = {
  mp3: 'mp3',
  opus: 'ogg',
  aac: 'aac',
  flac: 'flac',
  wav: 'wav',
  pcm: 'pcm?',
};

/** Content types that fit each sniffed audio format. */
export const AUDIO_CONTENT_TYPES: Record<AudioFormat, string[]> = {
  wav: ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'],
  mp3: ['audio/mpeg', 'audio/mp3', 'audio/mpeg3', 'audio/x-mpeg-3'],
  ogg: ['audio/ogg', 'audio/opus'],
  flac: ['audio/flac', 'audio/x-flac'],
  aac: ['audio/aac', 'audio/x-aac', 'audio/aacp'],
  'pcm?': ['audio/pcm', 'audio/l16', 'audio/x-pcm', 'audio/raw'],
};

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  bytes.length >= at + text.length && [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));
const u16le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u32le = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

/** The audio container/codec the bytes hold, 'pcm?' for headerless binary, undefined when not audio. */
export function sniffAudio(bytes: Uint8Array): AudioFormat | undefined {
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WAVE')) return wavIsSane(bytes) ? 'wav' : undefined;
  if (ascii(bytes, 0, 'fLaC')) return (bytes[4] & 0x7f) === 0 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 34 ? 'flac' : undefined;
  if (ascii(bytes, 0, 'OggS')) return bytes[4] === 0 ? 'ogg' : undefined;
  if (ascii(bytes, 0, 'ID3')) return afterId3(bytes);
  const frame = frameAt(bytes, 0);
  if (frame) return frame;
  return looksLikeRawPcm(bytes) ? 'pcm?' : undefined;
}

function wavIsSane(bytes: Uint8Array): boolean {
  let at = 12;
  while (at + 8 <= bytes.length) {
    const size = u32le(bytes, at + 4);
    if (ascii(bytes, at, 'fmt ')) {
      if (size < 16 || at + 24 > bytes.length) return false;
      const format = u16le(bytes, at + 8);
      const channels = u16le(bytes, at + 10);
      const rate = u32le(bytes, at + 12);
      const byteRate = u32le(bytes, at + 16);
      const blockAlign = u16le(bytes, at + 20);
      const bits = u16le(bytes, at + 22);
      if (channels < 1 || channels > 32 || rate < 1000 || rate > 768_000) return false;
      const linear = format === 1 || format === 3 || format === 0xfffe;
      if (!linear) return blockAlign > 0;
      return [8, 16, 24, 32, 64].includes(bits) && blockAlign === (channels * bits) / 8 && byteRate === rate * blockAlign;
    }
    at += 8 + size + (size % 2);
  }
  return false; // no fmt chunk before the data or the end
}

function afterId3(bytes: Uint8Array): AudioFormat | undefined {
  if (bytes.length < 10 || bytes[3] < 2 || bytes[3] > 4 || [6, 7, 8, 9].some((i) => bytes[i] >= 0x80)) return undefined;
  const size = (bytes[6] << 21) | (bytes[7] << 14) | (bytes[8] << 7) | bytes[9];
  let at = 10 + size + (bytes[5] & 0x10 ? 10 : 0);
  if (at >= bytes.length) return 'mp3'; // only the tag arrived: ID3 is an MP3 convention
  while (at < bytes.length && bytes[at] === 0) at++; // padding
  return frameAt(bytes, at) ?? (at >= bytes.length ? 'mp3' : undefined);
}

const MPEG1_L3_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG2_L3_KBPS = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MPEG_RATES = [44100, 48000, 32000];
const ADTS_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** An MPEG layer III frame or an ADTS (AAC) frame at `at`, confirmed by the next frame when it is in the buffer. */
function frameAt(bytes: Uint8Array, at: number, confirm = true): 'mp3' | 'aac' | undefined {
  if (at + 4 > bytes.length || bytes[at] !== 0xff || (bytes[at + 1] & 0xe0) !== 0xe0) return undefined;
  const b1 = bytes[at + 1];
  const b2 = bytes[at + 2];
  const layer = (b1 >> 1) & 3;
  let length: number;
  let kind: 'mp3' | 'aac';
  if (layer === 0) {
    // ADTS: 12-bit sync, MPEG version bit, layer 00
    if ((b1 & 0xf0) !== 0xf0 || at + 7 > bytes.length) return undefined;
    if (((b2 >> 2) & 0xf) >= ADTS_RATES.length) return undefined;
    length = ((bytes[at + 3] & 3) << 11) | (bytes[at + 4] << 3) | (bytes[at + 5] >> 5);
    if (length < 7) return undefined;
    kind = 'aac';
  } else {
    const version = (b1 >> 3) & 3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5, 1 reserved
    const bitrateIndex = b2 >> 4;
    const rateIndex = (b2 >> 2) & 3;
    if (layer !== 1 || version === 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
    const kbps = (version === 3 ? MPEG1_L3_KBPS : MPEG2_L3_KBPS)[bitrateIndex];
    const rate = MPEG_RATES[rateIndex] / (version === 3 ? 1 : version === 2 ? 2 : 4);
    length = Math.floor(((version === 3 ? 144 : 72) * kbps * 1000) / rate) + ((b2 >> 1) & 1);
    kind = 'mp3';
  }
  if (!confirm || at + length + 4 > bytes.length) return kind;
  return frameAt(bytes, at + length, false) === kind ? kind : undefined;
}

function looksLikeRawPcm(bytes: Uint8Array): boolean {
  if (bytes.length < 2 || bytes.length % 2 !== 0) return false;
  return !looksLikeText(bytes);
}

function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 256);
  return head.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d || b >= 0x80);
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

function formatOfContentType(type: string): AudioFormat | undefined {
  return (Object.keys(AUDIO_CONTENT_TYPES) as AudioFormat[]).find((f) => AUDIO_CONTENT_TYPES[f].includes(type));
}

/** Problems of a speech answer: audio bytes, of the format asked, under a matching audio content type. */
export function checkSpeech(asked: string | undefined, contentType: string | undefined, bytes: Uint8Array): string[] {
  const problems: string[] = [];
  const type = mediaType(contentType);
  if (!type.startsWith('audio/')) problems.push(`content type is ${contentType ? `"${contentType}"` : 'missing'}, expected audio/*`);
  if (bytes.length === 0) return [...problems, 'the answer has no bytes'];
  const sniffed = sniffAudio(bytes);
  const typed = formatOfContentType(type);
  const bytesSay = sniffed === 'pcm?' || sniffed === undefined ? describeBytes(bytes) : `${sniffed} audio`;
  if (asked !== undefined) {
    const expected = SPEECH_FORMATS[asked];
    if (!expected) problems.push(`response_format "${asked}" is not one the harness knows (${Object.keys(SPEECH_FORMATS).join(', ')})`);
    else {
      if (sniffed !== expected) problems.push(`asked for ${asked}, the bytes are ${bytesSay}`);
      if (type.startsWith('audio/') && typed !== undefined && typed !== expected) {
        problems.push(`asked for ${asked}, the content type says ${type}`);
      }
    }
    return problems;
  }
  // No format asked: the agent's default applies, but bytes and content type must agree.
  if (sniffed === undefined || (sniffed === 'pcm?' && typed !== 'pcm?')) problems.push(`the bytes are ${bytesSay}, not a recognised audio format`);
  else if (typed !== undefined && typed !== sniffed) problems.push(`the content type says ${type}, the bytes are ${bytesSay}`);
  return problems;
}

function describeBytes(bytes: Uint8Array): string {
  if (looksLikeText(bytes)) {
    const text = new TextDecoder().decode(bytes.subarray(0, 80)).replace(/\s+/g, ' ');
    return `text ("${text}${bytes.length > 80 ? '…' : ''}")`;
  }
  return `${bytes.length} bytes of unknown binary (starting ${Buffer.from(bytes.subarray(0, 8)).toString('hex')})`;
}

/** The image format of the bytes, undefined when they are not a PNG, JPEG, WEBP or GIF image. */
export function sniffImage(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 33 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) {
    return pngHeaderIsSane(bytes) ? 'png' : undefined;
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) {
    return ['VP8 ', 'VP8L', 'VP8X'].some((c) => ascii(bytes, 12, c)) ? 'webp' : undefined;
  }
  if ((ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) && bytes.length >= 10) {
    return u16le(bytes, 6) > 0 && u16le(bytes, 8) > 0 ? 'gif' : undefined;
  }
  return undefined;
}

function pngHeaderIsSane(bytes: Uint8Array): boolean {
  if (u32be(bytes, 8) !== 13 || !ascii(bytes, 12, 'IHDR')) return false;
  const width = u32be(bytes, 16);
  const height = u32be(bytes, 20);
  const depth = bytes[24];
  const colour = bytes[25];
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return false;
  const depths: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
  if (!depths[colour]?.includes(depth)) return false;
  return crc32(bytes.subarray(12, 29)) === u32be(bytes, 29);
}

/** Problems of one `b64_json` value: plain base64 of a PNG, JPEG, WEBP or GIF image. */
export function checkImageB64(b64: unknown): string[] {
  if (typeof b64 !== 'string' || b64 === '') return [`b64_json is ${typeof b64 === 'string' ? 'empty' : typeof b64}, expected base64 of an image`];
  if (b64.startsWith('data:')) return ['b64_json is a data: URL, expected bare base64'];
  let bytes: Uint8Array;
  try {
    bytes = decodeStrictBase64(b64);
  } catch (err) {
    return [`b64_json is ${(err as Error).message}`];
  }
  if (!sniffImage(bytes)) return [`b64_json decodes to ${describeBytes(bytes)}, not a PNG, JPEG, WEBP or GIF image`];
  return [];
}

/** Problems of the images in an image generation answer (its shape is the contract validator's job). */
export function checkImageList(answer: unknown): string[] {
  const data = (answer as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0) return ['the answer has no images in data'];
  return data.flatMap((item: { b64_json?: unknown; url?: unknown }, i) => {
    if (item?.b64_json !== undefined) return checkImageB64(item.b64_json).map((p) => `data[${i}].${p}`);
    if (typeof item?.url === 'string') return /^https?:\/\/[^\s]+$/.test(item.url) ? [] : [`data[${i}].url is not an http(s) URL`];
    return [`data[${i}] has neither b64_json nor url`];
  });
}
