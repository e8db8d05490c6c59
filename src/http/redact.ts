// The one redaction used for everything the harness records or prints: every gtak_ token and every
// known secret becomes gtak_**** plus at most its last 4 characters; credential headers always are.

/** gtak_ tokens, but not one already masked (gtak_****…, so redaction is idempotent) nor a hint such as "gtak_...". */
const TOKEN = /gtak_(?!\*{4})[A-Za-z0-9_-][A-Za-z0-9._~+/=-]*/g;
/** Secrets shorter than this are not searched for: they would mangle ordinary text. */
const MIN_SECRET_LENGTH = 6;
const SCHEME_HEADERS = new Set(['authorization', 'proxy-authorization']);
const CREDENTIAL_HEADERS = new Set(['x-api-key', 'api-key', 'cookie', 'set-cookie']);

/** gtak_**** and the last characters of the secret: 4 at most, fewer for short secrets. */
export function maskSecret(secret: string): string {
  const tailLength = Math.min(4, Math.floor(secret.length / 4));
  const tail = tailLength > 0 ? secret.slice(-tailLength) : '';
  return `${secret.startsWith('gtak_') ? 'gtak_' : ''}****${tail}`;
}

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  const known = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  for (const secret of known) {
    out = out.split(secret).join(maskSecret(secret));
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(maskSecret(secret));
  }
  return out.replace(TOKEN, (token) => maskSecret(token));
}

/** `Bearer gtak_abc…wxyz` → `Bearer gtak_****wxyz`, whatever the credential looks like. */
export function redactCredential(value: string): string {
  const space = value.indexOf(' ');
  if (space === -1) return maskSecret(value);
  return `${value.slice(0, space)} ${maskSecret(value.slice(space + 1).trim())}`;
}

/** A copy of the headers with credentials masked and every other value redacted. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
  secrets: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : String(raw);
    const lower = name.toLowerCase();
    out[name] = SCHEME_HEADERS.has(lower) ? redactCredential(value) : CREDENTIAL_HEADERS.has(lower) ? maskSecret(value) : redact(value, secrets);
  }
  return out;
}
