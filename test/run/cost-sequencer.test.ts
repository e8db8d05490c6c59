import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.ts';
import { FILE_COSTS, committedCosts, costFirst } from './cost-sequencer.ts';

const same = (s: string) => s;

describe('the order the test files start in', () => {
  it('starts the listed files first, most expensive first, and keeps the given order of the rest', () => {
    const costs = { 'b.test.ts': 10, 'd.test.ts': 300, 'e.test.ts': 0 };
    expect(costFirst(['a.test.ts', 'b.test.ts', 'c.test.ts', 'd.test.ts', 'e.test.ts', 'f.test.ts'], same, costs)).toEqual(['d.test.ts', 'b.test.ts', 'e.test.ts', 'a.test.ts', 'c.test.ts', 'f.test.ts']);
    expect(costFirst(['z', 'y', 'x'], same, {})).toEqual(['z', 'y', 'x']);
  });

  it('reads the committed costs, leaving out what is not a number, and none from a missing or broken file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-costs-'));
    const file = path.join(dir, 'costs.json');
    writeFileSync(file, JSON.stringify({ 'a.test.ts': 12, 'b.test.ts': '40', 'c.test.ts': null }));
    expect(committedCosts(file)).toEqual({ 'a.test.ts': 12 });
    writeFileSync(file, '{ not json');
    expect(committedCosts(file)).toEqual({});
    expect(committedCosts(path.join(dir, 'missing.json'))).toEqual({});
  });

  it('names in test/file-costs.json only test files that exist, the selftest among them', () => {
    const costs = committedCosts(FILE_COSTS);
    const missing = Object.keys(costs).filter((file) => !existsSync(path.join(projectRoot, file)));
    expect(missing, 'regenerate with GT_WRITE_FILE_COSTS=1 and the file-costs reporter').toEqual([]);
    expect(costs['test/selftest/mutation.test.ts']).toBeGreaterThan(0);
  });
});
