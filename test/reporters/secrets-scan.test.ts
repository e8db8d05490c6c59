// The scanner every test uses to say "no secret in any form": it must see each form, and not cry wolf at masks.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodingsOf, leaksIn, leaksInFolder, SCAN_PIECE } from './secrets-scan.ts';

const KEY = 'gtak_scan_5b1d0e9c7a3f2b8d4e6aQRST';
const ODD = 'p@ss/word+with=signs~77';

describe('leaksIn', () => {
  for (const secret of [KEY, ODD]) {
    for (const { form, text } of encodingsOf(secret)) {
      it(`finds ${secret === KEY ? 'a gtak_ key' : 'another shape of secret'}: ${form}`, () => {
        expect(leaksIn(`some text around ${text} and after`, [secret]).length).toBeGreaterThan(0);
      });
    }
  }

  it('names the form it found', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(leaksIn(`x ${KEY} y`, [KEY])).toEqual(['known secret ending QRST', 'unmasked token of 34 characters']);
    expect(leaksIn(KEY.toUpperCase(), [KEY])).toEqual(['the secret ending QRST in another case']);
    expect(leaksIn(KEY.slice(5), [KEY])).toEqual(['the secret ending QRST without its prefix']);
    expect(leaksIn(`\\u0067${KEY.slice(1)}`, [KEY])).toEqual(['the secret ending QRST URL-encoded or JSON-escaped']);
    expect(leaksIn(b64(`Bearer ${KEY}`), [KEY])).toEqual(['base64 of the secret ending QRST']);
    expect(leaksIn(Buffer.from(KEY).toString('hex').toUpperCase(), [KEY])).toEqual(['hex of the secret ending QRST']);
    expect(leaksIn(`"${KEY.slice(7, 7 + SCAN_PIECE + 2)}"`, [KEY])).toEqual([`a piece of ${SCAN_PIECE + 2} characters of the secret ending QRST`]);
  });

  it('does not flag masks, hints, pieces shorter than a scan piece, or text without the secret', () => {
    const clean = [
      'Authorization: Bearer gtak_****QRST',
      'x-api-key: ****QRST, and ****~77',
      'send Authorization: Bearer gtak_... with your key',
      `a short piece: ${KEY.slice(9, 9 + SCAN_PIECE - 1)}`,
      `other base64 ${Buffer.from('hello world, this is not a key').toString('base64')} and hex deadbeef0123`,
    ].join('\n');
    expect(leaksIn(clean, [KEY, ODD])).toEqual([]);
  });

  it('flags any gtak_ token that is not masked, known or not', () => {
    expect(leaksIn('gtak_someone-elses-key_0042', [])).toEqual(['unmasked token of 27 characters']);
  });
});

describe('leaksInFolder', () => {
  it('reads every file under the folder and names the file of each leak', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gt-scan-'));
    try {
      mkdirSync(path.join(dir, 'allure-results'));
      writeFileSync(path.join(dir, 'report.md'), 'all masked: gtak_****QRST');
      writeFileSync(path.join(dir, 'allure-results', 'a-attachment.txt'), `Basic ${Buffer.from(`Bearer ${KEY}`).toString('base64')}`);
      expect(leaksInFolder(dir, [KEY])).toEqual([`${path.join('allure-results', 'a-attachment.txt')}: base64 of the secret ending QRST`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
