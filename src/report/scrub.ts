// The last line of defence for secrets: every string a report writes passes through here. It is the
// harness's one redaction (src/http/redact.ts): every known secret (the ones passed here and the ones the
// process was told of with rememberSecrets) masked in any form a tenant may send it back in, and any gtak_
// token that is not masked yet masked too, so a key the report writer was never told about cannot leak.
import { redact } from '../http/redact.ts';

export function scrubText(text: string, secrets: readonly string[] = []): string {
  return redact(text, secrets);
}

/** A deep copy of a JSON-like value with every string scrubbed, keys included. */
export function scrubDeep<T>(value: T, secrets: readonly string[] = []): T {
  if (typeof value === 'string') return scrubText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, secrets)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrubText(k, secrets), scrubDeep(v, secrets)])) as T;
  }
  return value;
}
