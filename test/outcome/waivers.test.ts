// The waiver file (parseWaivers, loadWaivers) and what a waiver does to one check's outcome (applyWaiver).
// Waivers in a check's test and in a whole run: test/reporters/waivers.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyWaiver, findWaiver, isExpired, loadWaivers, parseWaivers, unmatchedWaivers, WaiverFileError, type Waiver } from '../../src/outcome/waivers.ts';

const NOW = new Date('2025-06-15T12:00:00Z');
const waiver = (check: string, expires: string, product = check.split('/')[0]): Waiver => ({ product, check, reason: 'GT-123 alias not published', expires, file: 'waivers.yaml', line: 1 });

describe('parseWaivers', () => {
  it('reads a YAML list', () => {
    const text = '- product: alpha\n  check: alpha/embeddings/works\n  reason: "GT-123"\n  expires: 2025-07-01\n';
    expect(parseWaivers(text, 'w.yaml')).toEqual([{ product: 'alpha', check: 'alpha/embeddings/works', reason: 'GT-123', expires: '2025-07-01', file: 'w.yaml', line: 1 }]);
  });

  it('reads JSON and a map with a waivers list', () => {
    expect(parseWaivers('[{"product":"cross-cutting","check":"cross-cutting/chat/malformed-json","reason":"r","expires":"2025-01-01"}]', 'w.json')).toHaveLength(1);
    expect(parseWaivers('waivers:\n  - {product: a, check: a/chat/works, reason: r, expires: 2025-01-01}\n', 'w.yaml')[0].check).toBe('a/chat/works');
  });

  it.each([
    ['- product: alpha\n  check: alpha/chat/works\n  reason: r\n  expires: 01/07/2025\n', 'w.yaml:4:12: [0].expires: "01/07/2025" is not a date YYYY-MM-DD'],
    ['- product: alpha\n  check: alpha/chat/works\n  expires: 2025-07-01\n', 'w.yaml:1:3: [0].reason: is required'],
    ['- product: alpha\n  check: beta/chat/works\n  reason: r\n  expires: 2025-07-01\n', 'w.yaml:2:10: [0].check: "beta/chat/works" is not a check of product "alpha" (check ids start with "alpha/")'],
    ['- product: alpha\n  check: alpha/chat/works\n  reason: r\n  expires: 2025-07-01\n  owner: me\n', 'w.yaml:5:3: [0].owner: unknown field; a waiver has product, check, reason, expires'],
    ['- {product: a, check: a/x/y, reason: r, expires: 2025-01-01}\n- {product: a, check: a/x/y, reason: s, expires: 2025-01-02}\n', 'w.yaml:2:3: [1]: a second waiver for a/x/y (the first is on line 1)'],
    ['product: a\n', 'w.yaml:1:1: expected a list of waivers or a map with a "waivers" list'],
    ['- {product: a, : v}\n', 'w.yaml:1:16: [0].null: unknown field; a waiver has product, check, reason, expires'], // an empty key
    ['- [unclosed\n', 'w.yaml:2:1:'],
  ])('rejects a bad file with one positioned line (%#)', (text, message) => {
    let error: unknown;
    try {
      parseWaivers(text, 'w.yaml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WaiverFileError);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });

  it('says which file cannot be read', () => {
    expect(() => loadWaivers('/nonexistent/waivers.yaml')).toThrow('/nonexistent/waivers.yaml: cannot read the waiver file: ENOENT');
  });
});

describe('applyWaiver', () => {
  const failed = { product: 'alpha', checkId: 'alpha/embeddings/works', outcome: 'failed' as const, message: 'expected 200, got 404' };

  it('leaves a failure without a waiver failing', () => {
    expect(applyWaiver([waiver('alpha/chat/works', '2025-07-01')], failed, NOW)).toEqual({ outcome: 'failed', fail: true, message: 'expected 200, got 404' });
  });

  it('turns a failure with a live waiver into waived, through the last day of the waiver', () => {
    const lastDay = new Date('2025-07-01T23:59:59Z');
    const result = applyWaiver([waiver('alpha/embeddings/works', '2025-07-01')], failed, lastDay);
    expect(result).toMatchObject({ outcome: 'waived', fail: false, waiver: { expires: '2025-07-01' } });
    expect(result.message).toBe('waived until 2025-07-01 (GT-123 alias not published): expected 200, got 404');
  });

  it('fails a failure whose waiver has expired', () => {
    const result = applyWaiver([waiver('alpha/embeddings/works', '2025-06-14')], failed, NOW);
    expect(result).toMatchObject({ outcome: 'failed', fail: true });
    expect(result.message).toBe('waiver expired on 2025-06-14 (waivers.yaml:1): expected 200, got 404');
  });

  it('fails a waived check that now passes, and says to remove the waiver', () => {
    const result = applyWaiver([waiver('alpha/embeddings/works', '2025-07-01')], { ...failed, outcome: 'passed', message: 'ok' }, NOW);
    expect(result).toMatchObject({ outcome: 'failed', fail: true });
    expect(result.message).toBe('waiver for alpha/embeddings/works is no longer needed: the check passes; remove it from waivers.yaml:1');
  });

  it('matches cross-cutting checks by the product "cross-cutting"', () => {
    const result = applyWaiver([waiver('cross-cutting/chat/unknown-key', '2025-07-01', 'cross-cutting')], { checkId: 'cross-cutting/chat/unknown-key', outcome: 'failed', message: 'echoed' }, NOW);
    expect(result.outcome).toBe('waived');
  });

  it('keeps blocked and skipped checks as they are', () => {
    expect(applyWaiver([waiver('alpha/embeddings/works', '2025-07-01')], { ...failed, outcome: 'blocked' }, NOW)).toMatchObject({ outcome: 'blocked', fail: false });
  });

  it('finds waivers naming a check the plan lacks on a product and route it covers', () => {
    const planned = new Set(['alpha/chat/works', 'alpha/chat/denied-without-scope']);
    const stale = unmatchedWaivers([waiver('alpha/chat/workz', '2025-07-01'), waiver('alpha/chat/works', '2025-07-01'), waiver('beta/chat/works', '2025-07-01')], planned);
    expect(stale.map((w) => w.check)).toEqual(['alpha/chat/workz']);
  });
});

describe('the waiver file, more shapes', () => {
  const fails = (text: string): string => {
    try {
      parseWaivers(text, 'w.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(WaiverFileError);
      return (err as Error).message;
    }
    throw new Error('parseWaivers accepted a bad file');
  };

  it('reads an empty file, and an empty list, as no waivers', () => {
    expect(parseWaivers('', 'w.yaml')).toEqual([]);
    expect(parseWaivers('# nothing yet\n', 'w.yaml')).toEqual([]);
    expect(parseWaivers('[]', 'w.json')).toEqual([]);
    expect(parseWaivers('waivers: []\n', 'w.yaml')).toEqual([]);
  });

  it('trims the fields and records the line of each waiver', () => {
    const text = '# known\n- product: " alpha "\n  check: alpha/chat/works\n  reason: "  GT-1  "\n  expires: "2025-07-01"\n- {product: cross-cutting, check: cross-cutting/chat/malformed-json, reason: r, expires: 2025-07-02}\n';
    expect(parseWaivers(text, 'w.yaml')).toEqual([
      { product: 'alpha', check: 'alpha/chat/works', reason: 'GT-1', expires: '2025-07-01', file: 'w.yaml', line: 2 },
      { product: 'cross-cutting', check: 'cross-cutting/chat/malformed-json', reason: 'r', expires: '2025-07-02', file: 'w.yaml', line: 6 },
    ]);
  });

  it('refuses a list that is not one, an item that is not a map, a number for a string, an empty field', () => {
    expect(fails('waivers: nope\n')).toBe('w.yaml:1:10: waivers: expected a list of waivers');
    expect(fails('42\n')).toBe('w.yaml:1:1: expected a list of waivers');
    expect(fails('- just a string\n')).toBe('w.yaml:1:3: [0]: expected a map with product, check, reason, expires');
    expect(fails('- {product: a, check: a/x/y, reason: 7, expires: 2025-01-01}\n')).toBe('w.yaml:1:38: [0].reason: must be a string');
    expect(fails('- {product: a, check: a/x/y, reason: "  ", expires: 2025-01-01}\n')).toBe('w.yaml:1:38: [0].reason: is required');
    expect(fails('- {product: a, check: a/x/y, reason: ~, expires: 2025-01-01}\n')).toBe('w.yaml:1:38: [0].reason: is required');
    expect(fails('waivers:\n  - {product: a, check: a/x/y, reason: r, expires: 2025-02-30x}\n')).toBe('w.yaml:2:52: waivers[0].expires: "2025-02-30x" is not a date YYYY-MM-DD');
    expect(fails('- {product: a, check: a/x/y, reason: r, expires: 2025-13-45}\n')).toBe('w.yaml:1:50: [0].expires: "2025-13-45" is not a date YYYY-MM-DD');
    expect(fails('- : 1\n')).toBe('w.yaml:1:3: [0].null: unknown field; a waiver has product, check, reason, expires');
  });

  it('lets a cross-cutting waiver name any check id, and no other product', () => {
    expect(parseWaivers('- {product: cross-cutting, check: alpha/chat/works, reason: r, expires: 2025-01-01}\n', 'w.yaml')).toHaveLength(1);
    expect(fails('- {product: alpha, check: alphabet/chat/works, reason: r, expires: 2025-01-01}\n')).toBe(
      'w.yaml:1:27: [0].check: "alphabet/chat/works" is not a check of product "alpha" (check ids start with "alpha/")',
    );
  });

  it('reads a file, and refuses a bad one with the file named', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gt-waivers-'));
    try {
      const file = path.join(dir, 'waivers.yaml');
      writeFileSync(file, '- {product: a, check: a/x/y, reason: r, expires: 2025-01-01}\n');
      expect(loadWaivers(file)).toEqual([{ product: 'a', check: 'a/x/y', reason: 'r', expires: '2025-01-01', file, line: 1 }]);
      writeFileSync(file, '- {product: a\n');
      expect(() => loadWaivers(file)).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: `));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('findWaiver, isExpired, unmatchedWaivers', () => {
  const waivers = [waiver('alpha/chat/works', '2025-07-01'), waiver('cross-cutting/chat/unknown-key', '2025-07-01', 'cross-cutting')];

  it('finds a waiver by check id and owner', () => {
    expect(findWaiver(waivers, 'alpha', 'alpha/chat/works')).toBe(waivers[0]);
    expect(findWaiver(waivers, 'beta', 'alpha/chat/works')).toBeUndefined();
    expect(findWaiver(waivers, undefined, 'cross-cutting/chat/unknown-key')).toBe(waivers[1]);
    expect(findWaiver(waivers, undefined, 'alpha/chat/works')).toBeUndefined();
  });

  it('a waiver expires at the end of its day, UTC', () => {
    expect(isExpired({ expires: '2025-06-15' }, new Date('2025-06-15T23:59:59.999Z'))).toBe(false);
    expect(isExpired({ expires: '2025-06-15' }, new Date('2025-06-16T00:00:00.000Z'))).toBe(true);
    expect(isExpired({ expires: '2025-06-15' }, new Date('2025-06-14T00:00:00.000Z'))).toBe(false);
  });

  it('leaves waivers of products and routes the plan does not cover alone, and none when all match', () => {
    const planned = new Set(['alpha/chat/works', 'cross-cutting/chat/unknown-key']);
    expect(unmatchedWaivers(waivers, planned)).toEqual([]);
    expect(unmatchedWaivers([waiver('cross-cutting/chat/unknown-kee', '2025-07-01', 'cross-cutting'), waiver('alpha/models/works', '2025-07-01')], planned).map((w) => w.check)).toEqual([
      'cross-cutting/chat/unknown-kee',
    ]);
  });

  it('compares the product and route of a check id as two parts, not as one string', () => {
    expect(unmatchedWaivers([waiver('a/bc/works', '2025-07-01')], new Set(['ab/c/works']))).toEqual([]);
  });
});

describe('applyWaiver on every other outcome', () => {
  const base = { product: 'alpha', checkId: 'alpha/chat/works', message: 'seen' };
  const waivers = [waiver('alpha/chat/works', '2025-07-01')];
  const info = { reason: 'GT-123 alias not published', expires: '2025-07-01' };

  it('a denied-as-expected check no longer needs its waiver', () => {
    expect(applyWaiver(waivers, { ...base, outcome: 'denied_as_expected' }, NOW)).toEqual({
      outcome: 'failed',
      fail: true,
      waiver: info,
      message: 'waiver for alpha/chat/works is no longer needed: the check passes; remove it from waivers.yaml:1',
    });
  });

  it('blocked, skipped, not run, not exercised, manual and runbook defects keep their outcome and get the waiver beside it', () => {
    for (const outcome of ['blocked', 'skipped', 'not_run', 'not_exercised', 'manual', 'runbook_defect', 'waived'] as const) {
      expect(applyWaiver(waivers, { ...base, outcome }, NOW)).toEqual({ outcome, fail: false, message: 'seen', waiver: info });
    }
  });

  it('an outcome without a waiver stays, failing only when failed', () => {
    expect(applyWaiver([], { ...base, outcome: 'passed' }, NOW)).toEqual({ outcome: 'passed', fail: false, message: 'seen' });
    expect(applyWaiver([], { ...base, outcome: 'failed' }, NOW)).toEqual({ outcome: 'failed', fail: true, message: 'seen' });
  });
});
