// The last line of defence for secrets: every string a report writes passes through here.
// Known secrets are masked wherever they appear; any gtak_ token that is not already masked is masked too,
// so a key the report writer was never told about still cannot leak.

const GTAK_TOKEN = /gtak_[A-Za-z0-9_-]+/g;

/** `gtak_****` plus the last 4 characters of the key body at most (none for short bodies). */
export function maskToken(token: string): string {
  const body = token.startsWith('gtak_') ? token.slice(5) : token;
  const tail = body.length > 8 ? body.slice(-4) : '';
  return token.startsWith('gtak_') ? `gtak_****${tail}` : `****${tail}`;
}

export function scrubText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 8) out = out.split(secret).join(maskToken(secret));
  }
  return out.replace(GTAK_TOKEN, maskToken);
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

/** What in `text` looks like a leaked secret: a known secret, or a gtak_ token longer than its masked form. */
export function findSecretLeaks(text: string, secrets: readonly string[] = []): string[] {
  const leaks = secrets.filter((s) => s.length >= 8 && text.includes(s)).map((s) => `known secret ending ${s.slice(-4)}`);
  for (const m of text.matchAll(GTAK_TOKEN)) leaks.push(`unmasked token ${maskToken(m[0])}`);
  return leaks;
}
