// The one redaction used for everything the harness records or prints: every gtak_ token and every
// known secret becomes gtak_**** plus at most its last 4 characters; credential headers always are.
//
// A hostile tenant can send a secret back in another form, so a known secret is found:
// - in any case (`GTAK_…`, hex in upper case), and without its gtak_ prefix;
// - URL-encoded or JSON-escaped, fully or in part (`%67`, `\u0067`, `\/`, escaped again: `\\u0067`, `%2567`);
// - as hex, and as base64 (standard or URL-safe, padded or not) of any text that holds it, whatever its
//   byte alignment there (`Bearer <key>` included);
// - in pieces, as when it is split across stream chunks or events: any piece of MIN_FRAGMENT characters
//   or more is masked.
// The search runs on a lower-cased, unescaped view of the text, whose offsets map back to the original.

import { literalFinder, type LiteralFinder } from './literal-finder.ts';

/** gtak_ tokens, but not one already masked (gtak_****…, so redaction is idempotent) nor a hint such as "gtak_...". */
const TOKEN = /gtak_(?!\*{4})[A-Za-z0-9_-][A-Za-z0-9._~+/=-]*/g;
const PREFIX = 'gtak_';
/** Secrets shorter than this are not searched for: they would mangle ordinary text. */
export const MIN_SECRET_LENGTH = 6;
/** A piece of a secret this long is masked wherever it appears. */
export const MIN_FRAGMENT = 8;
/** Encoded forms shorter than this are not searched for (the base64 of a short secret is mostly padding). */
const MIN_ENCODED_LENGTH = 12;

const SCHEME_HEADERS = new Set(['authorization', 'proxy-authorization']);
const CREDENTIAL_HEADERS = new Set(['x-api-key', 'api-key', 'cookie', 'set-cookie']);

/** gtak_**** and the last characters of the secret: 4 at most, fewer for short secrets. */
export function maskSecret(secret: string): string {
  const tailLength = Math.min(4, Math.floor(secret.length / 4));
  const tail = tailLength > 0 ? secret.slice(-tailLength) : '';
  return `${secret.startsWith(PREFIX) ? PREFIX : ''}****${tail}`;
}

const remembered = new Set<string>();

/** Secrets every later redact() in this process masks, whether or not its caller passes them (the run's keys). */
export function rememberSecrets(secrets: Iterable<string>): void {
  for (const s of secrets) if (s.length >= MIN_SECRET_LENGTH) remembered.add(s);
}

const NO_SECRETS: readonly string[] = [];

export function redact(text: string, secrets: readonly string[] = NO_SECRETS): string {
  if (text.length < MIN_SECRET_LENGTH) return text; // too short for a secret or a gtak_ token
  const tokensMasked = text.replace(TOKEN, (token) => maskSecret(token));
  const known = knownFor(secrets);
  return known.count ? maskKnown(tokensMasked, known) : tokensMasked;
}

/**
 * What redact(text, secrets) masks, as one object: the same object for as long as it masks the same secrets (a new
 * remembered secret makes a new one). A caller may keep what it redacted under one and skip redacting it again.
 */
export function redactionOf(secrets: readonly string[] = NO_SECRETS): object {
  return knownFor(secrets);
}

/** `Bearer gtak_abc…wxyz` → `Bearer gtak_****wxyz`, whatever the credential looks like. */
export function redactCredential(value: string): string {
  const space = value.indexOf(' ');
  if (space === -1) return maskSecret(value);
  return `${value.slice(0, space)} ${maskSecret(value.slice(space + 1).trim())}`;
}

/** A copy of the headers with credentials masked and every other value, and every name, redacted. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
  secrets: readonly string[] = NO_SECRETS,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : String(raw);
    const lower = name.toLowerCase();
    out[redact(name, secrets)] = SCHEME_HEADERS.has(lower) ? redactCredential(value) : CREDENTIAL_HEADERS.has(lower) ? maskSecret(value) : redact(value, secrets);
  }
  return out;
}

// ----- the search -----

interface SecretForms {
  mask: string;
  /** the secret, lower-cased */
  lower: string;
}

/** Where a matched string comes from: a piece of the secret at `offset` (grown to its longest match), or an encoded form. */
type Origin = { forms: SecretForms; offset: number } | { forms: SecretForms; encoding: 'hex' | 'base64' };

interface Compiled {
  count: number;
  /** finds every encoded form, and every MIN_FRAGMENT-long piece of every secret (a short secret whole), lower-cased */
  finder: LiteralFinder;
  origins: Map<string, Origin[]>;
}

const cache = new Map<string, Compiled>();
/**
 * What each list was compiled to, by the list itself: scrubbing a report redacts thousands of strings with the
 * same list, and the check worker's concurrent probes each redact with a list of their own, in turns.
 */
const byList = new WeakMap<readonly string[], { remembered: number; compiled: Compiled }>();

function knownFor(secrets: readonly string[]): Compiled {
  const known = byList.get(secrets);
  if (known?.remembered === remembered.size) return known.compiled;
  const compiled = compile([...remembered, ...secrets]);
  byList.set(secrets, { remembered: remembered.size, compiled });
  return compiled;
}

function compile(secrets: readonly string[]): Compiled {
  const unique = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))].sort();
  const cacheKey = unique.join('\0');
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const origins = new Map<string, Origin[]>();
  const add = (text: string, origin: Origin) => origins.set(text, [...(origins.get(text) ?? []), origin]);
  for (const secret of unique) {
    const forms: SecretForms = { mask: maskSecret(secret), lower: lowerCase(secret) };
    for (const { text, encoding } of encodedForms(secret)) add(text, { forms, encoding });
    const pieceLength = Math.min(MIN_FRAGMENT, forms.lower.length);
    for (let offset = 0; offset + pieceLength <= forms.lower.length; offset++) add(forms.lower.slice(offset, offset + pieceLength), { forms, offset });
  }
  const compiled: Compiled = { count: unique.length, finder: literalFinder(origins.keys()), origins };
  if (cache.size > 16) cache.clear();
  cache.set(cacheKey, compiled);
  return compiled;
}

/** Hex and base64 (both alphabets, every byte alignment) of the secret without its gtak_ prefix, lower-cased. */
function encodedForms(secret: string): Array<{ text: string; encoding: 'hex' | 'base64' }> {
  const core = secret.startsWith(PREFIX) && secret.length - PREFIX.length >= MIN_SECRET_LENGTH ? secret.slice(PREFIX.length) : secret;
  const base64 = new Set<string>();
  for (const shift of [0, 1, 2]) {
    // The characters that depend only on the secret: drop the first group when other bytes share it, and the last.
    const b64 = Buffer.from(`${'\0'.repeat(shift)}${core}`, 'utf8').toString('base64').slice(shift ? 4 : 0, -4);
    base64.add(b64.toLowerCase());
    base64.add(b64.replace(/\+/g, '-').replace(/\//g, '_').toLowerCase());
  }
  return [{ text: Buffer.from(core, 'utf8').toString('hex'), encoding: 'hex' as const }, ...[...base64].map((text) => ({ text, encoding: 'base64' as const }))].filter(
    (f) => f.text.length >= MIN_ENCODED_LENGTH,
  );
}

interface Span {
  start: number;
  end: number;
  mask: string;
  /** the length of the secret masked */
  secretLength: number;
}

/**
 * Whether `span` masks the text better than `than`: it reaches further; or as far, for a shorter secret, more
 * of which the text holds (the whole of it, where the longer secret holds it too: its mask would show the
 * longer secret's last characters, which the text does not have).
 */
function better(span: Span, than: Span): boolean {
  const length = span.end - span.start;
  const thanLength = than.end - than.start;
  return length > thanLength || (length === thanLength && span.secretLength < than.secretLength);
}

function maskKnown(text: string, known: Compiled): string {
  const view = viewOf(text);
  const spans: Span[] = [];
  // At every position, not only after the last match: a piece found inside another form must not hide that form.
  known.finder.forEach(view.text, (at, match) => {
    let best: Span | undefined;
    for (const origin of known.origins.get(match) ?? []) {
      const span = 'offset' in origin ? grown(view.text, at, match.length, origin.forms, origin.offset) : encodedSpan(view.text, at, match.length, origin);
      if (!best || better(span, best)) best = span;
    }
    if (best) spans.push({ ...best, start: view.origin(best.start), end: view.origin(best.end) });
  });
  return spans.length ? applySpans(text, spans) : text;
}

const BASE64_CHAR = /[a-z0-9+/_=-]/;

/** An encoded form; base64 with the partial groups at its ends, which hold bytes of the secret too. */
function encodedSpan(view: string, at: number, length: number, origin: { forms: SecretForms; encoding: 'hex' | 'base64' }): Span {
  let start = at;
  let end = at + length;
  if (origin.encoding === 'base64') {
    while (start > 0 && at - start < 3 && BASE64_CHAR.test(view[start - 1]) && view[start - 1] !== '=') start--;
    while (end < view.length && end - (at + length) < 6 && BASE64_CHAR.test(view[end])) end++;
  }
  return { start, end, mask: origin.forms.mask, secretLength: origin.forms.lower.length };
}

/** The match of a piece of the secret, grown both ways as long as the view goes on matching the secret. */
function grown(view: string, at: number, length: number, forms: SecretForms, offset: number): Span {
  const before = shrink(view, at, forms.lower, offset);
  const after = grow(view, at + length, forms.lower, offset + length);
  return { start: at - before, end: at + length + after, mask: forms.mask, secretLength: forms.lower.length };
}

/** How many characters of view from `at` go on matching secret from `offset`. */
function grow(view: string, at: number, secret: string, offset: number): number {
  let n = 0;
  while (at + n < view.length && offset + n < secret.length && view.charCodeAt(at + n) === secret.charCodeAt(offset + n)) n++;
  return n;
}

/** How many characters of view before `at` match secret before `offset`. */
function shrink(view: string, at: number, secret: string, offset: number): number {
  let n = 0;
  while (at - n > 0 && offset - n > 0 && view.charCodeAt(at - n - 1) === secret.charCodeAt(offset - n - 1)) n++;
  return n;
}

/** Replaces every span (merged with those it overlaps or touches) by the mask of the first secret in it. */
function applySpans(text: string, spans: Span[]): string {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  const out: string[] = [];
  let at = 0;
  for (const span of merged) {
    out.push(text.slice(at, span.start), span.mask);
    at = span.end;
  }
  out.push(text.slice(at));
  return out.join('');
}

// ----- the view: lower case, escapes undone -----

interface View {
  text: string;
  /** the offset in the original text of view offset i (i may be text.length) */
  origin(i: number): number;
}

/**
 * Lower case as the view has it: one code unit for one, and final sigma ς read as σ (toLowerCase writes ς for Σ
 * at the end of a word only, so the same secret would lower-case two ways with what follows it; a tenant may
 * write either).
 */
function lowerCase(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower.replace(/ς/g, 'σ');
  // One code unit for one, in pieces: spreading a report's million characters into one call overflows the stack.
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += 4096) {
    const codes = Array.from({ length: Math.min(4096, text.length - at) }, (_, i) => lowerCode(text.charCodeAt(at + i)));
    pieces.push(String.fromCharCode(...codes));
  }
  return pieces.join('');
}

/** An escape the view undoes: \u0067 or \/ (escaped again any number of times), %67 (or %2567, encoded again). */
const DECODABLE = /\\+(?:u[0-9a-fA-F]{4}|\/)|%(?:25)*[0-9a-fA-F]{2}/g;

function viewOf(text: string): View {
  if (!text.includes('\\') && !text.includes('%')) return { text: lowerCase(text), origin: (i) => i };
  // The view in segments: plain text (lower-cased, same length) and one character per escape.
  const parts: string[] = [];
  const viewStarts: number[] = [];
  const textStarts: number[] = [];
  let length = 0;
  let at = 0;
  const push = (part: string, textStart: number) => {
    parts.push(part);
    viewStarts.push(length);
    textStarts.push(textStart);
    length += part.length;
  };
  for (const m of text.matchAll(DECODABLE)) {
    if (m.index > at) push(lowerCase(text.slice(at, m.index)), at);
    const escape = m[0];
    const code = escape.startsWith('%') ? parseInt(escape.slice(-2), 16) : escape.endsWith('/') ? 0x2f : parseInt(escape.slice(-4), 16);
    push(String.fromCharCode(lowerCode(code)), m.index);
    at = m.index + escape.length;
  }
  if (at < text.length) push(lowerCase(text.slice(at)), at);
  if (parts.length <= 1 && at === 0) return { text: parts[0] ?? '', origin: (i) => i };
  return {
    text: parts.join(''),
    origin: (i) => {
      if (i >= length) return text.length;
      let lo = 0;
      let hi = viewStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (viewStarts[mid] <= i) lo = mid;
        else hi = mid - 1;
      }
      return textStarts[lo] + (i - viewStarts[lo]);
    },
  };
}

const FINAL_SIGMA = 0x3c2;
const SIGMA = 0x3c3;

function lowerCode(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c + 0x20;
  if (c < 0x80) return c;
  const lower = String.fromCharCode(c).toLowerCase();
  const code = lower.length === 1 ? lower.charCodeAt(0) : c;
  return code === FINAL_SIGMA ? SIGMA : code;
}

