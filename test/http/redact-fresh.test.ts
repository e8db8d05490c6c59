// The redaction of every form of a secret, each test with a secrets list no other test uses (docs/testing.md,
// "Mutation scores"). redact() compiles a list once and caches it by its secrets: in test/http/redact.test.ts
// only the first test of a list runs the compilation (the hex and base64 forms, the pieces), so Stryker's
// per-test coverage tied every mutant there to that one test, which checks the raw form only, and 138
// mutants of redact.ts survived. Here a dummy secret unique to each test (never in the text) makes each
// test compile its own list. The oracle is the independent leak scanner of test/reporters/secrets-scan.ts.
import { describe, expect, it } from 'vitest';
import { maskSecret, MIN_FRAGMENT, redact } from '../../src/http/redact.ts';
import { encodingsOf, leaksIn } from '../reporters/secrets-scan.ts';

const KEY = 'gtak_fresh_0123456789abcdefWXYZ';
const ODD = 'Qz8-sk/fresh+secret=value~7';
let n = 0;
/** The secret, and a dummy no other call uses: a list compiled afresh. */
const fresh = (secret: string) => [secret, `dummy-secret-${++n}-never-in-the-text`];

describe('redact, each list compiled in its own test', () => {
  for (const secret of [KEY, ODD]) {
    for (const { form, text } of encodingsOf(secret)) {
      it(`masks ${secret === KEY ? 'a gtak_ key' : 'a secret of another shape'}: ${form}`, () => {
        expect(leaksIn(text, [secret])).not.toEqual([]);
        const once = redact(text, fresh(secret));
        expect(leaksIn(once, [secret])).toEqual([]);
        expect(once).toContain(maskSecret(secret));
        expect(redact(once, fresh(secret))).toBe(once);
      });
    }
  }

  it('keeps the text around the secret exactly', () => {
    expect(redact(`a ${KEY.toUpperCase()} b`, fresh(KEY))).toBe('a gtak_****WXYZ b');
    expect(redact(`{"k":"\\u0067tak_fresh_0123456789abcdefWXYZ"}`, fresh(KEY))).toBe('{"k":"gtak_****WXYZ"}');
    expect(redact(`x ${KEY.slice(5)} y`, fresh(KEY))).toBe('x gtak_****WXYZ y');
    expect(redact(`x ${Buffer.from(KEY.slice(5)).toString('hex')} y`, fresh(KEY))).toBe('x gtak_****WXYZ y');
    expect(redact(`x ${Buffer.from(ODD).toString('base64')} y`, fresh(ODD))).toBe('x ****ue~7 y');
    expect(redact(`x ${Buffer.from(ODD).toString('base64url')} y`, fresh(ODD))).toBe('x ****ue~7 y');
  });

  it(`masks a piece of ${MIN_FRAGMENT} characters anywhere in the secret with the characters around it that match`, () => {
    const middle = KEY.slice(11, 11 + MIN_FRAGMENT);
    expect(redact(`[${middle}]`, fresh(KEY))).toBe('[gtak_****WXYZ]');
    expect(redact(`[${KEY.slice(8, 24)}]`, fresh(KEY))).toBe('[gtak_****WXYZ]');
    expect(redact(`[${middle.slice(1)}]`, fresh(KEY))).toBe(`[${middle.slice(1)}]`);
  });

  it('leaves text without a secret as it is, escapes, case and base64 included', () => {
    const text = 'GET /v1/files/file%2D1 \u0041 {"b64":"aGVsbG8gd29ybGQ=","hex":"deadbeef"} Bearer gtak_...';
    expect(redact(text, [...fresh(KEY), ODD])).toBe(text);
  });
});

describe('redact: two secrets that share their first characters', () => {
  // Both secrets hold the piece "shared-p"; the text holds the second one whole. Its mask must be the second's:
  // the first's would show the first secret's last characters where that secret never was.
  const one = 'shared-prefix-one-1111';
  const two = 'shared-prefix-two-2222';

  it('masks the text with the secret it matches the furthest', () => {
    expect(redact(`[${two}]`, fresh(one).concat(two))).toBe('[****2222]');
    expect(redact(`[${one}]`, fresh(two).concat(one))).toBe('[****1111]');
  });
});
