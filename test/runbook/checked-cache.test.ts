// The build's checked runbooks (src/runbook/checked-cache.ts) stand in for parsing a shipped runbook only
// where parsing would give the same: the same data, the same line for every path, the same id position.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { defaultRunbookFiles, loadRunbookFile, loadRunbooks } from '../../src/runbook/load.ts';
import { checkedRunbook } from '../../src/runbook/checked-cache.ts';
import { formatPath, type PathSegment } from '../../src/input/positions.ts';

const contract = loadContract();
const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-checked-runbooks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function everyPath(value: unknown, at: PathSegment[] = []): string[] {
  const here = at.length ? [formatPath(at)] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => everyPath(v, [...at, i]))];
  if (value && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => everyPath(v, [...at, k]))];
  return here;
}

describe('the checked runbooks of the build', () => {
  it.each(defaultRunbookFiles().map((f) => [path.basename(f), f]))('%s: taken from the build, as parsing it gives', (_name, file) => {
    const digest = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(checkedRunbook(digest, contract), 'the build checked this file').toBeDefined();
    const cached = loadRunbookFile(file, contract).runbook!;
    // a trailing comment: other bytes (no cache), the same data and lines
    const copy = path.join(dir, path.basename(file));
    writeFileSync(copy, `${readFileSync(file, 'utf8')}\n# a comment the build never saw\n`);
    const parsed = loadRunbookFile(copy, contract).runbook!;
    expect(cached.runbook).toEqual(parsed.runbook);
    const paths = everyPath(parsed.runbook);
    expect(paths.length).toBeGreaterThan(50);
    expect(paths.map((p) => [p, cached.lineOf(p)])).toEqual(paths.map((p) => [p, parsed.lineOf(p)]));
    expect(cached.lineOf('routes[999].verdict')).toBeUndefined();
    expect(cached.digest).toBe(digest);
  });

  it('still finds a duplicate id at its position when both files come from the build', () => {
    const [first] = defaultRunbookFiles();
    const twin = path.join(dir, 'twin.yaml');
    copyFileSync(first, twin);
    const idLine = readFileSync(first, 'utf8').split('\n').findIndex((l) => l.startsWith('id:')) + 1;
    const { runbooks, errors } = loadRunbooks([first, twin], contract);
    expect(runbooks).toEqual([]);
    expect(errors.map((e) => [e.line, e.column, e.path, e.message.replace(/: also used by .*/, '')])).toEqual([
      [idLine, 5, 'id', expect.stringMatching(/^duplicate runbook id "/)],
      [idLine, 5, 'id', expect.stringMatching(/^duplicate runbook id "/)],
    ]);
  });

  it('checks a file whose bytes the build did not check, whatever its name', () => {
    const [first] = defaultRunbookFiles();
    const edited = path.join(dir, path.basename(first));
    writeFileSync(edited, readFileSync(first, 'utf8').replace(/verdict: native/, 'verdict: nativ'));
    const result = loadRunbookFile(edited, contract);
    expect(result.runbook).toBeUndefined();
    expect(result.errors.map((e) => e.path)).toContainEqual(expect.stringMatching(/^routes\[\d+\]\.verdict$/));
  });
});
