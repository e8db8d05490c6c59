// The literal finder against the search it replaces: one regex alternation of the literals, longest first,
// searched again from the position after each match.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { literalFinder } from '../../src/http/literal-finder.ts';

function found(literals: string[], text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  literalFinder(literals).forEach(text, (at, literal) => out.push([at, literal]));
  return out;
}

function byRegex(literals: string[], text: string): Array<[number, string]> {
  const alternatives = [...new Set(literals)].filter((l) => l).sort((a, b) => b.length - a.length);
  const pattern = new RegExp(alternatives.map((l) => l.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('|'), 'g');
  const out: Array<[number, string]> = [];
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    out.push([m.index, m[0]]);
    pattern.lastIndex = m.index + 1;
  }
  return out;
}

describe('literalFinder', () => {
  it('finds every start, overlapping ones included, with the longest literal there', () => {
    expect(found(['abcdef', 'abcdefgh', 'cdefgh', 'defghi'], 'xxabcdefghixx')).toEqual([
      [2, 'abcdefgh'],
      [4, 'cdefgh'],
      [5, 'defghi'],
    ]);
  });

  it('finds a literal at the very start and at the very end of the text, and the text that is only a literal', () => {
    expect(found(['secret1', 'ret1tail'], 'secret1 and ret1tail')).toEqual([
      [0, 'secret1'],
      [12, 'ret1tail'],
    ]);
    expect(found(['abcdef'], 'abcdef')).toEqual([[0, 'abcdef']]);
    expect(found(['abcdef'], 'abcde')).toEqual([]);
  });

  it('finds nothing with no literals, and ignores an empty one', () => {
    expect(found([], 'anything at all')).toEqual([]);
    expect(found(['', 'all'], 'anything at all')).toEqual([[12, 'all']]);
  });

  it('finds what the regex alternation finds, for any literals and text over a small alphabet', () => {
    const word = fc.stringMatching(/^[abc]{1,9}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 12 }), fc.stringMatching(/^[abc ]{0,200}$/), (literals, text) => {
        expect(found(literals, text)).toEqual(byRegex(literals, text));
      }),
      { numRuns: 400 },
    );
  });

  it('finds literals of characters outside ASCII and in surrogate pairs', () => {
    expect(found(['σίγμα', '𐐨𐐩𐐪'], 'x σίγμα y 𐐨𐐩𐐪 z')).toEqual([
      [2, 'σίγμα'],
      [10, '𐐨𐐩𐐪'],
    ]);
  });
});
