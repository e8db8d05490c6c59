// The output folder rules of src/report/out-dir.ts's header comment, at their edges: three entries named
// without "…", the marker written once and never rewritten, a folder that cannot be made, a sub-folder that
// is a file, a missing sub-folder made.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimOutDir, clearOwned, clearOwnedInTwoSteps, OUT_DIR_MARKER, OutDirError, outDirProblem } from '../../src/report/out-dir.ts';
import { UsageError } from '../../src/input/usage-error.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'gt-out-dir-units-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function folder(files: string[] = []): string {
  const dir = path.join(root, `d${++n}`);
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(path.join(dir, f), 'theirs');
  return dir;
}

describe('outDirProblem', () => {
  it('names up to three entries, sorted, and counts only beyond three', () => {
    const three = folder(['c', 'a', 'b']);
    expect(outDirProblem(three, '--keygen')).toBe(`--keygen ${three}: the folder holds files gt-conformance did not write (a, b, c), and it never deletes or overwrites those; give a new or empty folder, or one gt-conformance wrote before (it holds ${OUT_DIR_MARKER})`);
    const one = folder(['x']);
    expect(outDirProblem(one)).toMatch(/ \(x\), and it never/);
  });

  it('a folder that does not exist yet, or an empty one, is no problem; blank is', () => {
    expect(outDirProblem(path.join(root, 'not-yet'))).toBeUndefined();
    expect(outDirProblem(folder())).toBeUndefined();
    expect(outDirProblem('   ', '--allure-out')).toBe('--allure-out needs a folder, got an empty value');
  });
});

describe('claimOutDir', () => {
  it('writes the marker, saying what it is, and leaves one that is there', () => {
    const dir = folder();
    expect(claimOutDir(dir)).toBe(dir);
    const text = readFileSync(path.join(dir, OUT_DIR_MARKER), 'utf8');
    expect(text.startsWith('This folder was written by gt-conformance.')).toBe(true);
    writeFileSync(path.join(dir, OUT_DIR_MARKER), 'kept');
    claimOutDir(dir);
    expect(readFileSync(path.join(dir, OUT_DIR_MARKER), 'utf8')).toBe('kept');
  });

  it('returns the folder resolved', () => {
    const rel = path.relative(process.cwd(), path.join(root, 'rel'));
    expect(claimOutDir(rel)).toBe(path.join(root, 'rel'));
  });

  it('throws an OutDirError, a usage error (exit 2)', () => {
    let error: unknown;
    try {
      claimOutDir(folder(['theirs.txt']));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OutDirError);
    expect(error).toBeInstanceOf(UsageError);
  });
});

describe('clearOwned', () => {
  it('makes a missing sub-folder, and refuses one that is a file', () => {
    const dir = folder();
    const sub = clearOwned(dir, 'allure-results', () => true);
    expect(sub).toBe(path.join(dir, 'allure-results'));
    expect(existsSync(sub)).toBe(true);
    expect(existsSync(path.join(dir, OUT_DIR_MARKER))).toBe(true);
    writeFileSync(path.join(dir, 'blob'), 'a file');
    expect(() => clearOwned(dir, 'blob', () => true)).toThrow(new OutDirError(`${path.join(dir, 'blob')}: is a file, but gt-conformance writes a folder there; move the file away`));
  });

  it('removes owned sub-folders whole', () => {
    const dir = claimOutDir(folder());
    mkdirSync(path.join(dir, 'blob', 'shard-1'), { recursive: true });
    writeFileSync(path.join(dir, 'blob', 'shard-1', 'x.json'), '{}');
    writeFileSync(path.join(dir, 'blob', 'mine.txt'), 'mine');
    clearOwned(dir, 'blob', (name) => name.startsWith('shard-'));
    expect(existsSync(path.join(dir, 'blob', 'shard-1'))).toBe(false);
    expect(readFileSync(path.join(dir, 'blob', 'mine.txt'), 'utf8')).toBe('mine');
  });
});

describe('clearOwnedInTwoSteps', () => {
  it('removes the reused names at once, the other owned ones when asked, and never a file it does not own', async () => {
    const dir = claimOutDir(folder());
    const sub = path.join(dir, 'allure-results');
    mkdirSync(sub);
    for (const name of ['categories.json', 'a-result.json', 'b-attachment.txt', 'notes.txt']) writeFileSync(path.join(sub, name), name);
    const owned = (name: string) => name !== 'notes.txt';
    const { folder: cleared, removeRest } = clearOwnedInTwoSteps(dir, 'allure-results', owned, (name) => name === 'categories.json');
    expect(cleared).toBe(sub);
    expect(existsSync(path.join(sub, 'categories.json'))).toBe(false);
    expect(existsSync(path.join(sub, 'a-result.json'))).toBe(true);
    writeFileSync(path.join(sub, 'c-result.json'), 'written by this run'); // not listed before: stays
    expect(await removeRest()).toEqual([]);
    expect(['a-result.json', 'b-attachment.txt'].filter((name) => existsSync(path.join(sub, name)))).toEqual([]);
    expect(readFileSync(path.join(sub, 'notes.txt'), 'utf8')).toBe('notes.txt');
    expect(readFileSync(path.join(sub, 'c-result.json'), 'utf8')).toBe('written by this run');
  });
});
