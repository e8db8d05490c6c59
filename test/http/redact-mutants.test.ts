// What the fourth session's mutation run of src/http/redact.ts found untested (docs/testing.md, "Mutation
// scores"): the shortest remembered secret, compiled lists that must not share a cache entry, the order of
// the search's alternatives, the gtak_ prefix rule of the encoded forms, the URL-safe alphabet, the
// shortest encoded form, the partial base64 groups around a form, the order spans are merged in, and case
// folding (Greek sigma, letters outside the BMP). Each call compiles a list of its own (a secret or a dummy
// no other test uses), so each mutant in the compilation is run against the test that reads it. Every
// expected text is written out by hand from the rules in src/http/redact.ts's header and the mask rule
// (gtak_ kept, then ****, then the last floor(length / 4) characters, at most 4).
import { describe, expect, it } from 'vitest';
import { redact, rememberSecrets } from '../../src/http/redact.ts';

let n = 0;
/** The secrets, and a dummy no other call uses: a list compiled afresh. */
const fresh = (...secrets: string[]) => [...secrets, `dummy-m5-secret-${++n}-never-in-the-text`];
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');

describe('redact: which secrets are searched for', () => {
  it('masks a remembered secret of exactly 6 characters', () => {
    rememberSecrets(['m5rem6']);
    expect(redact('x m5rem6 y')).toBe('x ****6 y'); // 6 characters: 1 shown
  });

  it('does not take the compilation of one list for another whose secrets join to the same text', () => {
    // "!" sorts before every letter and digit, so whatever the process remembers, the two short secrets stay
    // side by side in sorted order and read "!!m5a1!!m5b2" joined without a separator.
    expect(redact('x !!m5a1!!m5b2 y', ['!!m5a1!!m5b2'])).toBe('x ****5b2 y'); // 12 characters: 3 shown
    // 6-character secrets are searched for whole (no 8-character piece of the long one is "!!m5a1").
    expect(redact('x !!m5a1 y', ['!!m5a1', '!!m5b2'])).toBe('x ****1 y');
  });

  it('masks the same way whatever the order of the secrets', () => {
    // The text holds only what both secrets share, so both match it as far: the mask must not depend on
    // which of them the caller listed first.
    const a = 'm5tie-common-A1';
    const b = 'm5tie-common-B2';
    const ab = redact('x m5tie-common y', fresh(a, b));
    const ba = redact('x m5tie-common y', fresh(b, a));
    expect(ab).toBe(ba);
    expect(['x ****-A1 y', 'x ****-B2 y']).toContain(ab); // 15 characters: 3 shown
  });
});

describe('redact: the longest form first', () => {
  it('masks a hex form whole when another secret holds its first characters', () => {
    const inner = 'secret-key-m5'; // hex 7365637265742d6b65792d6d35
    const other = '73656372-m5other'; // its first 8 characters are the first 8 of that hex
    expect(hex(inner)).toBe('7365637265742d6b65792d6d35');
    expect(redact('x 7365637265742d6b65792d6d35 y', fresh(inner, other))).toBe('x ****-m5 y'); // 13 characters: 3 shown
  });
});

describe('redact: the encoded forms', () => {
  it('searches a gtak_ key with fewer than 6 characters after the prefix in hex whole', () => {
    // "gtak_m5abc": only 5 characters after gtak_, so the whole key is the core: hex 6774616b5f6d35616263.
    expect(redact('x 6774616b5f6d35616263 y', fresh('gtak_m5abc'))).toBe('x gtak_****bc y'); // 10 characters: 2 shown
  });

  it('searches a gtak_ key with 6 characters after the prefix in hex without it', () => {
    // "gtak_m5abcd": the core is "m5abcd", hex 6d3561626364 (12 characters, the shortest form searched).
    expect(redact('x 6d3561626364 y', fresh('gtak_m5abcd'))).toBe('x gtak_****cd y'); // 11 characters: 2 shown
  });

  it('finds the hex form of a 6-character secret, 12 characters long', () => {
    expect(redact('x 6d35717a7877 y', fresh('m5qzxw'))).toBe('x ****w y'); // "m5qzxw" in hex
  });

  it('does not search a base64 form shorter than 12 characters', () => {
    // "bTVx" is the base64 of "m5q", half of the secret "m5qzxw": not a form of it the search looks for.
    expect(redact('id=bTVx', fresh('m5qzxw'))).toBe('id=bTVx');
  });

  it('finds base64 in the URL-safe alphabet where the standard one has + and /', () => {
    // ">>>???" is 0x3e3e3e 0x3f3f3f: base64 "Pj4+Pz8/", URL-safe "Pj4-Pz8_".
    const secret = '>>>???m5-url-key';
    expect(b64(secret)).toBe('Pj4+Pz8/bTUtdXJsLWtleQ==');
    expect(redact('x Pj4-Pz8_bTUtdXJsLWtleQ y', fresh(secret))).toBe('x ****-key y'); // 16 characters: 4 shown
    expect(redact('x Pj4+Pz8/bTUtdXJsLWtleQ== y', fresh(secret))).toBe('x ****-key y');
  });
});

describe('redact: the partial base64 groups around a form', () => {
  // base64 of "usr:m5-basic-secret-77/and-more-text-after": 3 bytes a group, 4 characters a group.
  //   group 0 "dXNy"  = "usr"          no byte of the secret
  //   group 1 "Om01"  = ":m5"          "O" holds 6 bits of ":" only; "m" holds the rest of ":" and 4 bits of "m"
  //   groups 2 to 6                    the secret only
  //   group 7 "Ny9h"  = "7/a"          "N" and "y" hold bits of the last "7"; "9h" only "/a"
  //   groups 8 on     "bmQt…"          no byte of the secret
  const secret = 'm5-basic-secret-77'; // 18 characters: 4 shown, ****t-77
  const blob = 'dXNyOm01LWJhc2ljLXNlY3JldC03Ny9hbmQtbW9yZS10ZXh0LWFmdGVy';

  it('masks from the first character that holds a bit of the secret, and keeps the one before', () => {
    expect(b64('usr:m5-basic-secret-77/and-more-text-after')).toBe(blob);
    const out = redact(`Basic ${blob}`, fresh(secret));
    expect(out.startsWith('Basic dXNyO****t-77')).toBe(true);
    // Through the last character with a bit of the secret ("y" of group 7), and no further than group 8:
    // the rest of the blob from group 9 ("ZS10ZXh0LWFmdGVy") is kept.
    expect(out.endsWith('ZS10ZXh0LWFmdGVy')).toBe(true);
    expect(out).not.toMatch(/Ny9h/);
  });

  it('does not mask the = before a form that starts a value', () => {
    // "m5-eq-secret-001" starts its own base64 value after "auth=": no character before it holds its bits.
    expect(redact(`auth=${b64('m5-eq-secret-001')}&x=1`, fresh('m5-eq-secret-001'))).toBe('auth=****-001&x=1'); // 16 characters: 4 shown
  });

  it('masks from the partial group even where another secret starts inside it', () => {
    // A second secret made of 8 characters of the blob ("01LWJhc2", from "0" of group 1 on) is found at an
    // earlier offset of the text than the first secret's form (group 2), but its mask starts later than the
    // first secret's partial group ("m" of group 1). The masks merge from the earlier start, with the mask of
    // the secret found there first in the text: the first secret's.
    const out = redact(`Basic ${blob}`, fresh(secret, '01LWJhc2'));
    expect(out.startsWith('Basic dXNyO****t-77')).toBe(true);
    expect(out.endsWith('ZS10ZXh0LWFmdGVy')).toBe(true);
  });
});

describe('redact: case', () => {
  it('finds a secret whose capital sigma another lower-casing wrote as σ or ς', () => {
    // Σ lower-cases to ς at the end of a word and to σ elsewhere; a tenant may write either (Go's
    // strings.ToLower always writes σ), and the secret followed by a letter changes the final form.
    const secret = 'ΑΒΓΔΕΖΗΣ'; // 8 characters: 2 shown
    expect(redact('x αβγδεζησ y', fresh(secret))).toBe('x ****ΗΣ y');
    expect(redact('x αβγδεζης y', fresh(secret))).toBe('x ****ΗΣ y');
    expect(redact('x ΑΒΓΔΕΖΗΣΘ y', fresh(secret))).toBe('x ****ΗΣΘ y');
    expect(redact('x \\u03b1\\u03b2\\u03b3\\u03b4\\u03b5\\u03b6\\u03b7\\u03c2 y', fresh(secret))).toBe('x ****ΗΣ y'); // JSON-escaped ς
    expect(redact('İ αβγδεζης y', fresh(secret))).toBe('İ ****ΗΣ y'); // İ lower-cases to two code units: the text is read a unit at a time
  });

  it('finds a secret whose capitals are outside the BMP in lower case', () => {
    // 𐐀𐐁𐐂 (Deseret capitals, two code units each) lower-case to 𐐨𐐩𐐪: 14 code units, 3 shown.
    expect(redact('x 𐐨𐐩𐐪-deseret y', fresh('𐐀𐐁𐐂-deseret'))).toBe('x ****ret y');
  });
});

describe('redact: the mask of a secret another one holds', () => {
  it('masks a secret with its own mask where a longer secret holds it too, whichever sorts first', () => {
    // The text holds "m5-inner-key" whole (12 characters: 3 shown) and no more of the longer secrets, which
    // hold it with one character before and one after: their masks would show "eyz" or "ey0".
    expect(redact('[m5-inner-key]', fresh('m5-inner-key', 'zm5-inner-keyz'))).toBe('[****key]');
    expect(redact('[m5-inner-key]', fresh('m5-inner-key', '0m5-inner-key0'))).toBe('[****key]');
    // and the longer one, where the text holds it whole
    expect(redact('[0m5-inner-key0]', fresh('m5-inner-key', '0m5-inner-key0'))).toBe('[****ey0]');
  });
});
