// The one secret scanner of the harness's tests: it looks for a secret in every form a tenant can send it
// back in, and in every form a report can carry it in (Allure embeds attachments as base64). It is written
// apart from src/http/redact.ts on purpose: it is the oracle the redaction is tested against.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A piece of a secret this long is a leak (the redaction masks pieces of 8 characters and more). */
export const SCAN_PIECE = 8;
const PREFIX = 'gtak_';
const UNMASKED_TOKEN = /gtak_(?!\*{4})[A-Za-z0-9_-][A-Za-z0-9._~+/=-]*/g;

/** The base64 text any encoding of `secret` contains, whatever its offset in the encoded data (standard alphabet). */
export function base64Needles(secret: string): string[] {
  return [0, 1, 2].map((k) => {
    const encoded = Buffer.from('x'.repeat(k) + secret, 'utf8').toString('base64');
    return encoded.slice(k ? 4 : 0, -4);
  });
}

const urlSafe = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_');

/** Undoes JSON escapes (\u0067, \/, escaped again) and URL encoding (%67, %2567). */
function unescaped(text: string): string {
  return text
    .replace(/\\+u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\+\//g, '/')
    .replace(/%(?:25)*([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** What in `text` gives a secret away: one line per secret and form found, [] when nothing does. */
export function leaksIn(text: string, secrets: readonly string[]): string[] {
  const leaks: string[] = [];
  const plainLower = text.toLowerCase();
  const decodedLower = unescaped(text).toLowerCase();
  for (const secret of new Set(secrets.filter((s) => s.length >= 6))) {
    const ending = secret.slice(-4);
    const lower = secret.toLowerCase();
    const core = secret.startsWith(PREFIX) && secret.length - PREFIX.length >= 6 ? secret.slice(PREFIX.length) : secret;
    if (text.includes(secret)) leaks.push(`known secret ending ${ending}`);
    else if (plainLower.includes(lower)) leaks.push(`the secret ending ${ending} in another case`);
    else if (decodedLower.includes(lower)) leaks.push(`the secret ending ${ending} URL-encoded or JSON-escaped`);
    else if (plainLower.includes(core.toLowerCase()) || decodedLower.includes(core.toLowerCase())) leaks.push(`the secret ending ${ending} without its prefix`);
    else {
      const piece = longestPiece(decodedLower, lower);
      if (piece >= SCAN_PIECE) leaks.push(`a piece of ${piece} characters of the secret ending ${ending}`);
    }
    const needles = [...base64Needles(secret), ...base64Needles(core)].filter((n) => n.length >= 12);
    if (needles.some((n) => text.includes(n) || text.includes(urlSafe(n)) || unescaped(text).includes(n))) leaks.push(`base64 of the secret ending ${ending}`);
    const hex = Buffer.from(core, 'utf8').toString('hex');
    if (plainLower.includes(hex)) leaks.push(`hex of the secret ending ${ending}`);
  }
  for (const m of text.matchAll(UNMASKED_TOKEN)) leaks.push(`unmasked token of ${m[0].length} characters`);
  return leaks;
}

/** The length of the longest piece of `secret` (SCAN_PIECE or more) that `text` contains; 0 when none. */
function longestPiece(text: string, secret: string): number {
  let longest = 0;
  for (let start = 0; start + SCAN_PIECE <= secret.length; start++) {
    let length = SCAN_PIECE;
    if (length <= longest || !text.includes(secret.slice(start, start + length))) continue;
    while (start + length < secret.length && text.includes(secret.slice(start, start + length + 1))) length++;
    longest = Math.max(longest, length);
  }
  return longest;
}

/** Every file under `dir`, with the leaks in it as `relative/path: leak`. */
export function leaksInFolder(dir: string, secrets: readonly string[]): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .flatMap((e) => {
      const file = path.join(e.parentPath, e.name);
      return leaksIn(readFileSync(file, 'utf8'), secrets).map((leak) => `${path.relative(dir, file)}: ${leak}`);
    });
}

/** Every form a hostile tenant can send a secret back in, as text that holds it (for the hostile tenant and the tests). */
export function encodingsOf(secret: string): Array<{ form: string; text: string }> {
  const core = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
  const everyChar = (s: string, f: (code: number) => string) => [...s].map((c) => f(c.charCodeAt(0))).join('');
  const half = Math.floor(secret.length / 2);
  const third = Math.floor(secret.length / 3);
  return [
    { form: 'raw', text: `key ${secret} seen` },
    { form: 'upper case', text: `KEY ${secret.toUpperCase()} SEEN` },
    { form: 'mixed case', text: [...secret].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('') },
    { form: 'without prefix', text: `key=${core};` },
    { form: 'without prefix, upper case', text: `key=${core.toUpperCase()};` },
    { form: 'base64', text: b64(secret) },
    { form: 'base64 of Bearer <key>', text: `Basic ${b64(`Bearer ${secret}`)}` },
    { form: 'base64 URL-safe unpadded of Bearer <key>', text: b64(`Bearer ${secret}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') },
    { form: 'base64 at offset 1', text: b64(`:${secret}`) },
    { form: 'base64 at offset 2', text: b64(`k:${secret}`) },
    { form: 'base64 inside a longer text', text: b64(`{"note":"the key is ${secret}, do not share"}`) },
    { form: 'base64 without prefix', text: b64(core) },
    { form: 'hex', text: hex(secret) },
    { form: 'hex upper case', text: hex(`Bearer ${secret}`).toUpperCase() },
    { form: 'URL-encoded, every character', text: `?k=${everyChar(secret, (c) => `%${c.toString(16).toUpperCase().padStart(2, '0')}`)}` },
    { form: 'URL-encoded', text: `?k=${encodeURIComponent(secret)}&x=1` },
    { form: 'URL-encoded twice', text: `?k=${everyChar(secret, (c) => `%25${c.toString(16).padStart(2, '0')}`)}` },
    { form: 'JSON-escaped, every character', text: `{"k":"${everyChar(secret, (c) => `\\u${c.toString(16).padStart(4, '0')}`)}"}` },
    { form: 'JSON-escaped, some characters', text: `{"k":"${secret.slice(0, 3)}\\u00${secret.charCodeAt(3).toString(16)}${secret.slice(4).replace(/\//g, '\\/')}"}` },
    { form: 'JSON-escaped twice', text: JSON.stringify(JSON.stringify({ k: everyChar(secret, (c) => `\\u${c.toString(16).padStart(4, '0')}`) })) },
    { form: 'split across two SSE events', text: `data: {"delta":"${secret.slice(0, half)}"}\n\ndata: {"delta":"${secret.slice(half)}"}\n\n` },
    { form: 'split in three', text: `"${secret.slice(0, third)}" "${secret.slice(third, 2 * third)}" "${secret.slice(2 * third)}"` },
  ];
}
