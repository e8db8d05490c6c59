// The last line of defence for secrets: every string a report writes passes through here. It is the
// harness's one redaction (src/http/redact.ts): every known secret (the ones passed here and the ones the
// process was told of with rememberSecrets) masked in any form a tenant may send it back in, and any gtak_
// token that is not masked yet masked too, so a key the report writer was never told about cannot leak.
import { redact } from '../http/redact.ts';

export function scrubText(text: string, secrets: readonly string[] = []): string {
  return redact(text, secrets);
}

/** A deep copy of a JSON-like value with every string scrubbed, keys included (a tenant's header names are keys). */
export function scrubDeep<T>(value: T, secrets: readonly string[] = []): T {
  const keys = new Map<string, string>(); // a report repeats the same few keys thousands of times
  const key = (k: string) => keys.get(k) ?? keys.set(k, scrubText(k, secrets)).get(k)!;
  const deep = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubText(v, secrets);
    if (Array.isArray(v)) return v.map(deep);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [key(k), deep(x)]));
    return v;
  };
  return deep(value) as T;
}
