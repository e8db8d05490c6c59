// The edges of the one redaction (docs/testing.md, "Mutation scores"): the mask's length rule, the shortest
// text, secret and encoded form searched for, merged spans, case beyond ASCII, and secrets remembered after a
// list was first used. Expected texts are written out by hand from the rules in src/http/redact.ts's header.
import { describe, expect, it } from 'vitest';
import { maskSecret, redact, redactCredential, redactHeaders, rememberSecrets } from '../../src/http/redact.ts';

describe('maskSecret', () => {
  it('shows a quarter of the secret\'s end, rounded down, at most 4 characters', () => {
    expect(maskSecret('abc')).toBe('****');
    expect(maskSecret('abcd')).toBe('****d');
    expect(maskSecret('abcdefgh')).toBe('****gh');
    expect(maskSecret('abcdefghijklmno')).toBe('****mno');
    expect(maskSecret('abcdefghijklmnop')).toBe('****mnop');
    expect(maskSecret('abcdefghijklmnopqrstuvwxyz')).toBe('****wxyz');
    expect(maskSecret('gtak_x')).toBe('gtak_****x');
    expect(maskSecret('xgtak_abcdefgh')).toBe('****fgh'); // gtak_ only as a prefix
  });
});

describe('redact, gtak_ tokens', () => {
  it('masks a token from 6 characters on, and leaves shorter text alone', () => {
    expect(redact('gtak_a')).toBe('gtak_****a');
    expect(redact('gtak_')).toBe('gtak_');
  });

  it('takes every character a key may hold into the token, but does not start one with a dot', () => {
    expect(redact('k=gtak_ab.c~d+e/f=g-h rest')).toBe('k=gtak_****=g-h rest');
    expect(redact('see gtak_.example and gtak_****abcd')).toBe('see gtak_.example and gtak_****abcd');
  });
});

describe('redact, known secrets', () => {
  it('searches for secrets of 6 characters or more only', () => {
    expect(redact('x abcde y', ['abcde'])).toBe('x abcde y');
    expect(redact('x abcdef y', ['abcdef'])).toBe('x ****f y');
  });

  it('finds a secret shorter than a fragment whole, and not a piece of it', () => {
    expect(redact('x abcdefg y', ['abcdefg'])).toBe('x ****g y');
    expect(redact('x abcdef y', ['abcdefg'])).toBe('x abcdef y');
  });

  it('finds the hex form of a 6-character secret, 12 characters long', () => {
    expect(redact('x 616263646566 y', ['abcdef'])).toBe('x ****f y'); // "abcdef" in hex
  });

  it('masks two secrets apart separately, and two that touch as one', () => {
    const odd = 'Xy9-sk/live+secret=value~2';
    expect(redact(`a ${odd} b ${odd} c`, [odd])).toBe('a ****ue~2 b ****ue~2 c');
    expect(redact(`a ${odd}${odd} c`, [odd])).toBe('a ****ue~2 c');
  });

  it('finds a secret in any case beyond ASCII, where lower case keeps the length and where it does not', () => {
    expect(redact('x PÄSSWÖRD-ÉTÉ-42 y', ['pässwörd-été-42'])).toBe('x ****-42 y');
    expect(redact('x İSTANBUL-SECRET y', ['İstanbul-secret'])).toBe('x ****ret y'); // İ lower-cases to two code units
  });

  it('masks a secret in a report-sized text whose lower case is longer (an İ in a tenant answer)', () => {
    const filler = 'a'.repeat(300_000);
    expect(redact(`İ ${filler} gtak_secretvalue123456 end`, ['gtak_secretvalue123456'])).toBe(`İ ${filler} gtak_****3456 end`);
  });

  it('masks a secret remembered after a list was first used, with that same list', () => {
    const list = ['gtak_live_first_secret_0001'];
    expect(redact('saw later-secret-5678 here', list)).toBe('saw later-secret-5678 here');
    rememberSecrets(['later-secret-5678', 'short']);
    expect(redact('saw later-secret-5678 here', list)).toBe('saw ****5678 here');
    expect(redact('saw short here', list)).toBe('saw short here');
  });
});

describe('redactCredential and redactHeaders, the edges', () => {
  it('masks a credential without a scheme whole, and trims around the one after a scheme', () => {
    expect(redactCredential('token-only-credential')).toBe('****tial');
    expect(redactCredential('Bearer   gtak_abcdefgh1234  ')).toBe('Bearer gtak_****1234');
  });

  it('writes every value as text', () => {
    expect(redactHeaders({ 'content-length': 42 as unknown as string, Cookie: 'a=1234567890' })).toEqual({ 'content-length': '42', Cookie: '****890' });
  });
});
