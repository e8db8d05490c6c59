// The last line of defence for secrets: every string a report writes passes through here. It is the
// harness's one redaction (src/http/redact.ts): every known secret (the ones passed here and the ones the
// process was told of with rememberSecrets) masked in any form a tenant may send it back in, and any gtak_
// token that is not masked yet masked too, so a key the report writer was never told about cannot leak.
import { redact, redactionOf } from '../http/redact.ts';

export function scrubText(text: string, secrets?: readonly string[]): string {
  return redact(text, secrets);
}

/**
 * The copies scrubDeep made, frozen, and the redaction they were made with: a report is scrubbed when it is
 * built and again when it is written, and the second scrub of an unchanged copy under the same secrets is the first.
 */
const scrubbedWith = new WeakMap<object, object>();

/**
 * A deep copy of a JSON-like value with every string scrubbed, keys included (a tenant's header names are keys).
 * The copy is frozen; a copy scrubDeep made under the same secrets is returned as it is.
 */
export function scrubDeep<T>(value: T, secrets: readonly string[] = []): T {
  const redaction = redactionOf(secrets);
  if (value && typeof value === 'object' && scrubbedWith.get(value) === redaction) return value;
  const strings = new Map<string, string>(); // a report repeats the same strings (keys, headers, URLs) thousands of times
  const scrubbed = (s: string) => {
    let out = strings.get(s);
    if (out === undefined) strings.set(s, (out = scrubText(s, secrets)));
    return out;
  };
  const deep = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubbed(v);
    if (Array.isArray(v)) return Object.freeze(v.map(deep));
    if (v && typeof v === 'object') return Object.freeze(Object.fromEntries(Object.entries(v).map(([k, x]) => [scrubbed(k), deep(x)])));
    return v;
  };
  const copy = deep(value);
  if (copy && typeof copy === 'object') scrubbedWith.set(copy, redaction);
  return copy as T;
}
