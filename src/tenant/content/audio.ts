// Real audio bytes for the speech route: a WAV tone, the same samples as raw PCM, and silent MP3 frames.

const SAMPLE_RATE = 24_000; // what OpenAI's pcm format uses: 24 kHz, 16-bit signed little-endian, mono

/** A short sine tone whose pitch and length follow the text, as 16-bit little-endian PCM. */
export function tonePcm(text: string): Buffer {
  const seconds = Math.min(1, 0.2 + text.length * 0.005);
  const count = Math.round(SAMPLE_RATE * seconds);
  const frequency = 330 + (hashText(text) % 440);
  const pcm = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) {
    const fade = Math.min(1, i / 240, (count - i) / 240); // avoid clicks at both ends
    pcm.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * i) / SAMPLE_RATE) * 12_000 * fade), i * 2);
  }
  return pcm;
}

/** A RIFF/WAVE file around PCM samples (format 1, mono, 16 bit). */
export function wavFile(pcm: Buffer): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

/**
 * Silent MPEG-1 Layer III frames: 128 kbit/s, 44.1 kHz, mono, no CRC. A frame is 417 bytes; all-zero
 * side information means no coded samples, which decoders play as silence.
 */
export function silentMp3(text: string): Buffer {
  const frameBytes = 417;
  const frames = Math.max(4, Math.min(40, Math.ceil(text.length / 4)));
  const out = Buffer.alloc(frames * frameBytes);
  for (let f = 0; f < frames; f++) {
    const at = f * frameBytes;
    out[at] = 0xff;
    out[at + 1] = 0xfb; // sync, MPEG-1, Layer III, no CRC
    out[at + 2] = 0x90; // 128 kbit/s, 44.1 kHz, no padding
    out[at + 3] = 0xc0; // mono
  }
  return out;
}

function hashText(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}
