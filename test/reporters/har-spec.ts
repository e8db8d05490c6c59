// The HAR 1.2 spec (http://www.softwareishard.com/blog/har-12-spec/) as a field-by-field checker: every
// required field present with its type, optional fields typed when present, -1 only where the spec allows
// "unknown". It also holds the readers' own demands: Chromium DevTools' importer (HARFormat.ts) casts every
// required number with Number() and throws on NaN, and mitmproxy's (io/har.py) reads postData.text and
// response.content unconditionally.

type Json = Record<string, unknown>;
type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object';
type Field = readonly [name: string, kind: Kind, required: boolean, check?: (value: unknown, at: string, out: string[]) => void];

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const kindOf = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

function fields(value: unknown, at: string, spec: readonly Field[], out: string[]): void {
  if (!isObject(value)) {
    out.push(`${at}: must be an object, is ${kindOf(value)}`);
    return;
  }
  for (const [name, kind, required, check] of spec) {
    const v = value[name];
    if (v === undefined) {
      if (required) out.push(`${at}.${name}: required`);
      continue;
    }
    if (kindOf(v) !== kind) out.push(`${at}.${name}: must be ${kind}, is ${kindOf(v)}`);
    else check?.(v, `${at}.${name}`, out);
  }
  // The spec allows custom fields only with a leading underscore.
  for (const name of Object.keys(value)) if (!spec.some(([n]) => n === name) && !name.startsWith('_')) out.push(`${at}.${name}: not a HAR 1.2 field (custom fields start with _)`);
}

const each = (spec: readonly Field[]) => (value: unknown, at: string, out: string[]) => (value as unknown[]).forEach((v, i) => fields(v, `${at}[${i}]`, spec, out));
const object = (spec: readonly Field[]) => (value: unknown, at: string, out: string[]) => fields(value, at, spec, out);
const nonNegative = (value: unknown, at: string, out: string[]) => void ((value as number) < 0 && out.push(`${at}: must be >= 0`));
const orUnknown = (value: unknown, at: string, out: string[]) => void ((value as number) < -1 && out.push(`${at}: must be >= 0, or -1 when unknown`));
const isoDate = (value: unknown, at: string, out: string[]) =>
  void (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value as string) && out.push(`${at}: must be ISO 8601 with a time zone`));
const absoluteUrl = (value: unknown, at: string, out: string[]) => {
  try {
    new URL(value as string);
  } catch {
    out.push(`${at}: must be an absolute URL`);
  }
};

const nameValue: readonly Field[] = [['name', 'string', true], ['value', 'string', true], ['comment', 'string', false]];
const cookie: readonly Field[] = [
  ['name', 'string', true],
  ['value', 'string', true],
  ['path', 'string', false],
  ['domain', 'string', false],
  ['expires', 'string', false, isoDate],
  ['httpOnly', 'boolean', false],
  ['secure', 'boolean', false],
  ['comment', 'string', false],
];
const param: readonly Field[] = [['name', 'string', true], ['value', 'string', false], ['fileName', 'string', false], ['contentType', 'string', false], ['comment', 'string', false]];
const postData: readonly Field[] = [['mimeType', 'string', true], ['params', 'array', true, each(param)], ['text', 'string', true], ['comment', 'string', false]];
const content: readonly Field[] = [
  ['size', 'number', true, nonNegative],
  ['compression', 'number', false],
  ['mimeType', 'string', true],
  ['text', 'string', false],
  ['encoding', 'string', false],
  ['comment', 'string', false],
];
const request: readonly Field[] = [
  ['method', 'string', true],
  ['url', 'string', true, absoluteUrl],
  ['httpVersion', 'string', true],
  ['cookies', 'array', true, each(cookie)],
  ['headers', 'array', true, each(nameValue)],
  ['queryString', 'array', true, each(nameValue)],
  ['postData', 'object', false, object(postData)],
  ['headersSize', 'number', true, orUnknown],
  ['bodySize', 'number', true, orUnknown],
  ['comment', 'string', false],
];
const response: readonly Field[] = [
  ['status', 'number', true],
  ['statusText', 'string', true],
  ['httpVersion', 'string', true],
  ['cookies', 'array', true, each(cookie)],
  ['headers', 'array', true, each(nameValue)],
  ['content', 'object', true, object(content)],
  ['redirectURL', 'string', true],
  ['headersSize', 'number', true, orUnknown],
  ['bodySize', 'number', true, orUnknown],
  ['comment', 'string', false],
];
const cacheEntry: readonly Field[] = [['expires', 'string', false], ['lastAccess', 'string', true], ['eTag', 'string', true], ['hitCount', 'number', true], ['comment', 'string', false]];
const cache: readonly Field[] = [['beforeRequest', 'object', false, object(cacheEntry)], ['afterRequest', 'object', false, object(cacheEntry)], ['comment', 'string', false]];
const timings: readonly Field[] = [
  ['blocked', 'number', false, orUnknown],
  ['dns', 'number', false, orUnknown],
  ['connect', 'number', false, orUnknown],
  ['send', 'number', true, nonNegative],
  ['wait', 'number', true, nonNegative],
  ['receive', 'number', true, nonNegative],
  ['ssl', 'number', false, orUnknown],
  ['comment', 'string', false],
];
const entry: readonly Field[] = [
  ['pageref', 'string', false],
  ['startedDateTime', 'string', true, isoDate],
  ['time', 'number', true, nonNegative],
  ['request', 'object', true, object(request)],
  ['response', 'object', true, object(response)],
  ['cache', 'object', true, object(cache)],
  ['timings', 'object', true, object(timings)],
  ['serverIPAddress', 'string', false],
  ['connection', 'string', false],
  ['comment', 'string', false],
];
const creator: readonly Field[] = [['name', 'string', true], ['version', 'string', true], ['comment', 'string', false]];
const page: readonly Field[] = [
  ['startedDateTime', 'string', true, isoDate],
  ['id', 'string', true],
  ['title', 'string', true],
  ['pageTimings', 'object', true, object([['onContentLoad', 'number', false], ['onLoad', 'number', false], ['comment', 'string', false]])],
  ['comment', 'string', false],
];
const log: readonly Field[] = [
  ['version', 'string', true, (v, at, out) => void (v !== '1.2' && out.push(`${at}: must be "1.2"`))],
  ['creator', 'object', true, object(creator)],
  ['browser', 'object', false, object(creator)],
  ['pages', 'array', false, each(page)],
  ['entries', 'array', true, each(entry)],
  ['comment', 'string', false],
];

/** Everything in `har` that breaks HAR 1.2, one line each with its JSON path; [] for a valid log. */
export function harSpecProblems(har: unknown): string[] {
  const out: string[] = [];
  fields(har, '', [['log', 'object', true, object(log)]], out);
  if (isObject(har) && isObject(har.log) && Array.isArray(har.log.entries)) {
    har.log.entries.forEach((e: unknown, i) => {
      if (!isObject(e) || !isObject(e.timings) || typeof e.time !== 'number') return;
      // time is the sum of the timings that are known (not -1)
      const sum = Object.entries(e.timings).filter(([k, v]) => k !== 'comment' && !k.startsWith('_') && typeof v === 'number' && v >= 0).reduce((s, [, v]) => s + (v as number), 0);
      if (Math.abs(sum - e.time) > 0.001) out.push(`.log.entries[${i}].time: ${e.time} is not the sum of the known timings (${sum})`);
    });
  }
  return out;
}
