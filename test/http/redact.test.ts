import { describe, expect, it } from 'vitest';
import { maskSecret, redact, redactCredential, redactHeaders } from '../../src/http/redact.ts';
import { retryAfterMs } from '../../src/http/retry-after.ts';
import { Semaphore } from '../../src/http/semaphore.ts';

const KEY = 'gtak_live_0123456789abcdefWXYZ';

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
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual([]);
    a();
    a(); // a second release frees nothing more
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual(['c']);
    expect(s.inFlight).toBe(2);
    b();
    (await c)();
    (await d)();
    expect(s.inFlight).toBe(0);
    expect(() => new Semaphore(0)).toThrow('concurrency must be a positive integer, got 0');
  });
});
