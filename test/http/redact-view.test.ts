// The escaped view redact() searches (src/http/redact.ts, "the view: lower case, escapes undone"), at the
// places its mutation run left open (docs/testing.md, "Mutation scores"): a text with a % that escapes
// nothing, an escape that ends the text, a secret that starts right after an escape, JSON's \/ escape, and
// escaped capitals, ASCII and not. Each call compiles a list of its own (a dummy secret never in the text).
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/http/redact.ts';

const ODD = 'Qz8-sk/view+secret=value~7'; // 26 characters: the mask shows the last 4
let n = 0;
const fresh = (secret: string) => [secret, `dummy-view-secret-${++n}-never-in-the-text`];

describe('redact: the escaped view', () => {
  it('masks a secret in a text whose % escapes nothing', () => {
    expect(redact(`50% of ${ODD}`, fresh(ODD))).toBe('50% of ****ue~7');
  });

  it('masks to the end of an escape that ends the text', () => {
    expect(redact(`x ${ODD.slice(0, -1)}\\u0037`, fresh(ODD))).toBe('x ****ue~7'); // \u0037 is "7"
  });

  it('keeps an escape just before a secret', () => {
    expect(redact(`%20${ODD}`, fresh(ODD))).toBe('%20****ue~7');
  });

  it('reads JSON\'s \\/ as a slash', () => {
    expect(redact(`"${ODD.replace('/', '\\/')}"`, fresh(ODD))).toBe('"****ue~7"');
  });

  it('lower-cases an escaped capital, Z and beyond ASCII', () => {
    expect(redact(`Q\\u005a${ODD.slice(2)}`, fresh(ODD))).toBe('****ue~7'); // \u005a is "Z"
    const umlaut = 'pässwort-geheim-42';
    expect(redact(`p\\u00c4sswort-geheim-42`, fresh(umlaut))).toBe('****m-42'); // \u00c4 is "Ä"
  });
});
