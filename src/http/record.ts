// How bodies appear in recorded exchanges: redacted, at most 4 KiB, binary summarised.
import { redact } from './redact.ts';

export const RECORD_LIMIT = 4096;

const BINARY_TYPES = /^(audio|image|video)\/|^application\/(octet-stream|pdf|zip|gzip|x-tar)|^multipart\//;

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The recorded form of a body: `<N bytes type>` for binary, else redacted text cut to 4 KiB. */
export function recordBody(bytes: Uint8Array, contentType: string, secrets: readonly string[], totalBytes = bytes.byteLength, cut = false): string {
  const type = contentType.split(';')[0].trim().toLowerCase();
  // A chunk boundary may split a character at the limit: check UTF-8 on a prefix that ends cleanly.
  const sample = bytes.subarray(0, Math.min(bytes.byteLength, RECORD_LIMIT * 4));
  if (BINARY_TYPES.test(type) || !isUtf8(trimPartialChar(sample))) {
    return `<${totalBytes} bytes ${type || 'of unknown type'}${cut ? ', cut at the size limit' : ''}>`;
  }
  return recordText(new TextDecoder().decode(sample), secrets, totalBytes, cut);
}

/**
 * How far past the limit a long text is redacted before it is cut: a secret that starts before the cut is then
 * whole in what is redacted, in any form redact() finds (an escaped form is a few times the secret's length).
 * The rest is never recorded; redacting it cost more than the rest of recording a 100 KB body.
 */
const REDACTED_PAST_LIMIT = RECORD_LIMIT;

/** `text` redacted, and cut after 4 KiB with ` … (N bytes in all)`: N is `totalBytes`, or the UTF-8 bytes of the text given. */
export function recordText(text: string, secrets: readonly string[], totalBytes?: number, cut = false): string {
  const long = text.length > RECORD_LIMIT + REDACTED_PAST_LIMIT;
  const clean = redact(long ? text.slice(0, RECORD_LIMIT + REDACTED_PAST_LIMIT) : text, secrets);
  const suffix = cut ? ' … (cut at the size limit)' : '';
  if (!long && clean.length <= RECORD_LIMIT) return clean + suffix;
  return `${clean.slice(0, RECORD_LIMIT)} … (${totalBytes ?? Buffer.byteLength(text)} bytes in all${cut ? ', cut at the size limit' : ''})`;
}

function trimPartialChar(bytes: Uint8Array): Uint8Array {
  let end = bytes.byteLength;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = bytes[end - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    if ((b & 0xc0) === 0xc0 && b < 0xf8) {
      // a lead byte (0xF8 to 0xFF never is one: such a byte is not UTF-8, and the body is not text)
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (need > back) end -= back; // the last character is incomplete
    }
    break;
  }
  return bytes.subarray(0, end);
}
