// The last line of defence for secrets: every string a report writes passes through here. It is the
// harness's one redaction (src/http/redact.ts): known secrets masked wherever they appear, and any gtak_
// token that is not masked yet masked too, so a key the report writer was never told about cannot leak.
import { redact } from '../http/redact.ts';

/** gtak_ tokens that are not masked (same shape as redact.ts), and masked ones that show more than 4 characters. */
const UNMASKED_TOKEN = /gtak_(?!\*{4})[A-Za-z0-9_-][A-Za-z0-9._~+/=-]*/g;
const OVERLONG_MASK = /gtak_\*{4}[A-Za-z0-9._~+/=-]{5,}/g;

export function scrubText(text: string, secrets: readonly string[] = []): string {
  return redact(text, secrets);
}

/** A deep copy of a JSON-like value with every string scrubbed. */
export function scrubDeep<T>(value: T, secrets: readonly string[] = []): T {
  if (typeof value === 'string') return scrubText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, secrets)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, secrets)])) as T;
  }
  return value;
}

/** What in `text` looks like a leaked secret: a known secret, a gtak_ token that is not masked, a mask showing more than 4 characters. */
export function findSecretLeaks(text: string, secrets: readonly string[] = []): string[] {
  const leaks = secrets.filter((s) => s.length >= 6 && text.includes(s)).map((s) => `known secret ending ${s.slice(-4)}`);
  for (const m of text.matchAll(UNMASKED_TOKEN)) leaks.push(`unmasked token of ${m[0].length} characters`);
  for (const m of text.matchAll(OVERLONG_MASK)) leaks.push(`a mask showing ${m[0].length - 9} characters`);
  return leaks;
}
