import { describe, expect, it } from 'vitest';
import { maskSecret, MIN_FRAGMENT, redact, redactCredential, redactHeaders, rememberSecrets } from '../../src/http/redact.ts';
import { scrubDeep } from '../../src/report/scrub.ts';
import { encodingsOf, leaksIn } from '../reporters/secrets-scan.ts';
import { retryAfterMs } from '../../src/http/retry-after.ts';
import { Semaphore } from '../../src/http/semaphore.ts';

const KEY = 'gtak_live_0123456789abcdefWXYZ';
/** a secret of another shape: not gtak_, with characters that URL and JSON encodings change */
const ODD = 'Xy9-sk/live+secret=value~2';
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'cookie', 'set-cookie'];

describe('redact', () => {
  it('masks every gtak_ token, keeping at most the last 4 characters', () => {
    expect(redact(`Bearer ${KEY} and gtak_other-key_9876.`)).toBe('Bearer gtak_****WXYZ and gtak_****876.');
    expect(maskSecret('gtak_abcdefgh')).toBe('gtak_****fgh'); // 13 characters: 3 shown
  });

  it('masks known secrets that do not look like gtak_ tokens, also URL-encoded', () => {
    const odd = 'sk/live+secret=value';
    expect(redact(`a ${odd} b ${encodeURIComponent(odd)}`, [odd])).toBe('a ****alue b ****alue');
  });

  it('is idempotent and leaves ordinary text alone', () => {
    const once = redact(`x ${KEY} y`, [KEY]);
    expect(redact(once, [KEY])).toBe(once);
    expect(redact('gtak_ prefix and a short secret abc', ['abc'])).toBe('gtak_ prefix and a short secret abc');
    expect(redact('send Authorization: Bearer gtak_...')).toBe('send Authorization: Bearer gtak_...');
  });

  it('always masks credential headers, whatever the credential', () => {
    expect(redactCredential('Bearer not-a-real-key')).toBe('Bearer ****key');
    expect(redactCredential('Bearer x')).toBe('Bearer ****');
    expect(redactHeaders({ Authorization: `Bearer ${KEY}`, 'x-note': `saw ${KEY}`, 'set-cookie': ['a=1', 'b=2'] })).toEqual({
      Authorization: 'Bearer gtak_****WXYZ',
      'x-note': 'saw gtak_****WXYZ',
      'set-cookie': '****=2', // "a=1, b=2": 8 characters, 2 shown
    });
  });
});

describe('redact: a secret in any form a tenant can send it back in', () => {
  for (const secret of [KEY, ODD]) {
    for (const { form, text } of encodingsOf(secret)) {
      it(`masks ${secret === KEY ? 'a gtak_ key' : 'a secret of another shape'}: ${form}`, () => {
        expect(leaksIn(text, [secret])).not.toEqual([]); // the scanner sees it before
        const once = redact(text, [secret]);
        expect(leaksIn(once, [secret])).toEqual([]);
        expect(once).toContain(maskSecret(secret));
        expect(redact(once, [secret])).toBe(once); // idempotent
      });
    }
  }

  it('keeps the text around the secret, and the mask format', () => {
    expect(redact(`a ${KEY.toUpperCase()} b`, [KEY])).toBe('a gtak_****WXYZ b');
    expect(redact(`{"k":"\\u0067tak_live_0123456789abcdefWXYZ"}`, [KEY])).toBe('{"k":"gtak_****WXYZ"}');
    expect(redact(`x ${KEY.slice(5)} y`, [KEY])).toBe('x gtak_****WXYZ y');
    expect(redact(`x ${Buffer.from(ODD).toString('base64')} y`, [ODD])).toBe('x ****ue~2 y');
  });

  it(`masks a piece of ${MIN_FRAGMENT} characters or more anywhere in the secret, and leaves shorter ones`, () => {
    const middle = KEY.slice(11, 11 + MIN_FRAGMENT);
    expect(redact(`[${middle}]`, [KEY])).toBe('[gtak_****WXYZ]');
    expect(redact(`[${middle.slice(1)}]`, [KEY])).toBe(`[${middle.slice(1)}]`);
  });

  it('leaves text without a secret as it is, including escapes, case and base64', () => {
    const text = 'GET /v1/files/file%2D1 \u0041 {"b64":"aGVsbG8gd29ybGQ=","hex":"deadbeef"} Bearer gtak_...';
    expect(redact(text, [KEY, ODD])).toBe(text);
  });

  it('masks the secrets a process remembered, also where a caller passes none', () => {
    const secret = 'tenant-password-7a1f99c0';
    expect(redact(`saw ${secret}`)).toBe(`saw ${secret}`);
    rememberSecrets([secret]);
    expect(redact(`saw ${secret.toUpperCase()}`)).toBe('saw ****99c0');
    expect(redact(`saw ${secret}`, [KEY])).toBe('saw ****99c0');
  });

  it('masks secrets in object keys of a report too', () => {
    expect(scrubDeep({ [`x-${KEY}`]: { note: Buffer.from(KEY).toString('hex') } }, [KEY])).toEqual({ 'x-gtak_****WXYZ': { note: '6774616b5fgtak_****WXYZ' } });
  });
});

describe('redactHeaders: credential headers (issue 16 item 4)', () => {
  for (const name of CREDENTIAL_HEADERS) {
    for (const secrets of [[], [KEY]]) {
      it(`always masks ${name}, ${secrets.length ? 'with' : 'without'} a secrets list, whatever the name's case`, () => {
        const value = name.endsWith('authorization') ? 'Basic dXNlcjpwYXNzd29yZA==' : 'session=opaque-credential-9f8e7d';
        for (const spelled of [name, name.toUpperCase(), name.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase())]) {
          const out = redactHeaders({ [spelled]: value, 'content-type': 'application/json' }, secrets);
          expect(out[spelled]).not.toContain(value.slice(-12, -4));
          expect(out[spelled]).toMatch(/\*{4}/);
          expect(out['content-type']).toBe('application/json');
        }
      });
    }
  }

  it('masks each credential header exactly, with and without the secrets list, even when the credential is not a gtak_ key', () => {
    // Expected values by hand: a scheme header keeps its scheme; the rest is gtak_**** or **** and at most the
    // last 4 characters (a quarter of the credential's length, rounded down).
    const values: Record<string, string> = {
      authorization: `Bearer ${KEY}`,
      'proxy-authorization': 'Basic dXNlcjpwYXNzd29yZA==',
      'x-api-key': KEY,
      'api-key': 'sk-proj-abcdefghijklmnop',
      cookie: 'session=0123456789abcdef; theme=dark',
      'set-cookie': ['sid=abcdefgh1234; HttpOnly', 'csrf=zyxwvuts9876'] as unknown as string,
    };
    const expected: Record<string, string> = {
      authorization: 'Bearer gtak_****WXYZ',
      'proxy-authorization': 'Basic ****ZA==',
      'x-api-key': 'gtak_****WXYZ',
      'api-key': '****mnop',
      cookie: '****dark',
      'set-cookie': '****9876',
    };
    for (const secrets of [[], [KEY], [KEY, 'sk-proj-abcdefghijklmnop']]) {
      expect(redactHeaders(values, secrets), `secrets: ${secrets.length}`).toEqual(expected);
    }
    // short credentials show less, or nothing, of their end
    expect(redactHeaders({ 'x-api-key': 'abcdefg', 'api-key': 'abc', Authorization: 'Bearer abc' })).toEqual({ 'x-api-key': '****g', 'api-key': '****', Authorization: 'Bearer ****' });
  });

  it('masks only the credential headers as credentials: other values are redacted for known secrets only', () => {
    const plain = 'session=0123456789abcdef';
    expect(redactHeaders({ 'x-cookie-note': plain, 'x-api-key-id': 'key-id-42', 'set-cookie2': plain })).toEqual({ 'x-cookie-note': plain, 'x-api-key-id': 'key-id-42', 'set-cookie2': plain });
    expect(redactHeaders({ 'x-note': `echo ${ODD}` }, [ODD])).toEqual({ 'x-note': 'echo ****ue~2' });
    expect(redactHeaders({ 'x-note': `echo ${ODD}` })).toEqual({ 'x-note': `echo ${ODD}` });
    expect(redactHeaders({ 'x-gone': undefined, 'x-list': ['a', 'b'] })).toEqual({ 'x-list': 'a, b' });
  });

  it('masks a secret used as a header name, and in any form in a value', () => {
    const out = redactHeaders({ [`x-${KEY.toLowerCase()}`]: '1', [KEY.slice(5)]: '2', 'x-echo': Buffer.from(`Bearer ${KEY}`).toString('base64') }, [KEY]);
    expect(leaksIn(JSON.stringify(out), [KEY])).toEqual([]);
    expect(Object.keys(out)).toEqual(['x-gtak_****wxyz', 'gtak_****WXYZ', 'x-echo']); // a gtak_ token in lower case keeps its own last 4
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  it('reads seconds, HTTP dates and retry-after-ms', () => {
    expect(retryAfterMs({ 'Retry-After': '7' }, now)).toBe(7000);
    expect(retryAfterMs({ 'retry-after': 'Mon, 01 Jun 2026 12:00:05 GMT' }, now)).toBe(5000);
    expect(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '9' }, now)).toBe(250);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
  });
});

describe('Semaphore', () => {
  it('hands out at most `limit` slots and passes freed slots on in order', async () => {
    const s = new Semaphore(2);
    const a = await s.acquire();
    const b = await s.acquire();
    const order: string[] = [];
    const c = s.acquire().then((release) => (order.push('c'), release));
    const d = s.acquire().then((release) => (order.push('d'), release));
    await new Promise((r) => setImmediate(r)); // every resolved acquire has run
    expect(order).toEqual([]);
    a();
    a(); // a second release frees nothing more
    await new Promise((r) => setImmediate(r)); // every resolved acquire has run
    expect(order).toEqual(['c']);
    expect(s.inFlight).toBe(2);
    b();
    (await c)();
    (await d)();
    expect(s.inFlight).toBe(0);
    expect(() => new Semaphore(0)).toThrow('concurrency must be a positive integer, got 0');
  });
});

describe('scrubDeep: a copy it made is not scrubbed twice', () => {
  it('returns its own frozen copy as it is under the same secrets, and scrubs it again under new ones', () => {
    const first = scrubDeep({ note: 'plain words', list: ['gtak_abcdef123456', { deep: 'Qz7vW3-scrubdeep-only' }] });
    expect(Object.isFrozen(first) && Object.isFrozen(first.list) && Object.isFrozen(first.list[1])).toBe(true);
    expect(first.list[0]).toBe('gtak_****3456');
    expect(scrubDeep(first)).toBe(first);
    // a value it did not make is scrubbed, however clean it looks
    const equal = { ...first };
    expect(scrubDeep(equal)).not.toBe(equal);
    // a secret passed, or remembered since, makes another redaction: the copy is scrubbed again
    expect(JSON.stringify(scrubDeep(first, ['Qz7vW3-scrubdeep-only']))).not.toContain('Qz7vW3');
    rememberSecrets(['Qz7vW3-scrubdeep-only']);
    const again = scrubDeep(first);
    expect(again).not.toBe(first);
    expect(JSON.stringify(again)).not.toContain('Qz7vW3');
  });
});
