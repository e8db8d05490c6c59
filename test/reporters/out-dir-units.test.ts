// The output folder rules of src/report/out-dir.ts's header comment, at their edges: three entries named
// without "…", the marker written once and never rewritten, a folder that cannot be made, a sub-folder that
// is a file, a missing sub-folder made.
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimOutDir, clearOwnedAnew, OUT_DIR_MARKER, OutDirError, outDirProblem } from '../../src/report/out-dir.ts';
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

describe('the folder clearOwnedAnew clears', () => {
  it('is made when missing, and refused when it is a file', () => {
    const dir = folder();
    const { folder: sub } = clearOwnedAnew(dir, 'allure-results', () => true);
    expect(sub).toBe(path.join(dir, 'allure-results'));
    expect(existsSync(sub)).toBe(true);
    expect(existsSync(path.join(dir, OUT_DIR_MARKER))).toBe(true);
    writeFileSync(path.join(dir, 'blob'), 'a file');
    expect(() => clearOwnedAnew(dir, 'blob', () => true)).toThrow(new OutDirError(`${path.join(dir, 'blob')}: is a file, but gt-conformance writes a folder there; move the file away`));
  });
});

describe('clearOwnedAnew', () => {
  const owned = (name: string) => name.endsWith('-result.json') || name === 'categories.json';
  const oldFolders = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('.allure-results.old-'));

  it('in a folder with other files, removes the owned ones where they are, and never a file it does not own', () => {
    const dir = claimOutDir(folder());
    const sub = path.join(dir, 'allure-results');
    mkdirSync(sub);
    mkdirSync(path.join(sub, 'd-result.json')); // an owned name, but a folder: not the harness's
    for (const name of ['categories.json', 'a-result.json', 'b-result.json', 'notes.txt']) writeFileSync(path.join(sub, name), name);
    const inode = statSync(sub).ino;
    const { folder: cleared, failed } = clearOwnedAnew(dir, 'allure-results', owned);
    expect(cleared).toBe(sub);
    expect(statSync(sub).ino).toBe(inode);
    expect(readdirSync(sub).sort()).toEqual(['d-result.json', 'notes.txt']);
    expect(readFileSync(path.join(sub, 'notes.txt'), 'utf8')).toBe('notes.txt');
    expect(failed).toEqual([expect.stringMatching(/^allure-results[\\/]d-result\.json: /)]);
    expect(oldFolders(dir)).toEqual([]);
  });

  it('makes a folder of only owned files anew, and removes the old one when its spares are removed', () => {
    const dir = claimOutDir(folder());
    const sub = path.join(dir, 'allure-results');
    mkdirSync(sub);
    for (const name of ['categories.json', 'a-result.json', 'b-result.json']) writeFileSync(path.join(sub, name), name);
    const inode = statSync(sub).ino;
    const { folder: cleared, failed, spares } = clearOwnedAnew(dir, 'allure-results', owned);
    expect(cleared).toBe(sub);
    expect(statSync(sub).ino, 'a new folder, not the old one emptied').not.toBe(inode);
    expect(readdirSync(sub)).toEqual([]);
    expect(failed).toEqual([]);
    expect(oldFolders(dir), 'the old files wait aside, out of the results, for the run to reuse').toHaveLength(1);
    expect(spares.removeRest()).toEqual([]);
    expect(oldFolders(dir)).toEqual([]);
  });

  it('removes what earlier runs moved aside, but never a file it does not own, nor the folder holding it', () => {
    const dir = claimOutDir(folder());
    for (const [old, names] of [['.allure-results.old-1', ['x-result.json']], ['.allure-results.old-2', ['y-result.json', 'put-there.txt']]] as const) {
      mkdirSync(path.join(dir, old));
      for (const name of names) writeFileSync(path.join(dir, old, name), name);
    }
    writeFileSync(path.join(dir, '.allure-results.old-3'), 'a file of that name is left alone');
    const { failed, spares } = clearOwnedAnew(dir, 'allure-results', owned);
    expect([...failed, ...spares.removeRest()]).toEqual([]);
    expect(oldFolders(dir).sort()).toEqual(['.allure-results.old-2', '.allure-results.old-3']);
    expect(readdirSync(path.join(dir, '.allure-results.old-2'))).toEqual(['put-there.txt']);
  });

  it('a link to a folder elsewhere stays the link: the owned files go from where it points', () => {
    const dir = claimOutDir(folder());
    const elsewhere = folder(['a-result.json', 'b-result.json']);
    symlinkSync(elsewhere, path.join(dir, 'allure-results'));
    clearOwnedAnew(dir, 'allure-results', owned);
    expect(lstatSync(path.join(dir, 'allure-results')).isSymbolicLink()).toBe(true);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(oldFolders(dir)).toEqual([]);
  });

  it('an empty folder stays the same folder', () => {
    const dir = claimOutDir(folder());
    mkdirSync(path.join(dir, 'allure-results'));
    const inode = statSync(path.join(dir, 'allure-results')).ino;
    clearOwnedAnew(dir, 'allure-results', owned);
    expect(statSync(path.join(dir, 'allure-results')).ino).toBe(inode);
    expect(oldFolders(dir)).toEqual([]);
  });
});

describe('SpareFiles (an earlier run\'s files, moved aside, taken by the new ones)', () => {
  const owned = (name: string) => name.endsWith('-result.json');
  /** A claimed folder whose allure-results held `names` (content: the name), cleared anew. */
  function clearedWith(names: string[]) {
    const dir = claimOutDir(folder());
    const sub = path.join(dir, 'allure-results');
    mkdirSync(sub);
    for (const name of names) writeFileSync(path.join(sub, name), name);
    const inodes = new Set(names.map((name) => statSync(path.join(sub, name)).ino));
    return { dir, sub, inodes, ...clearOwnedAnew(dir, 'allure-results', owned) };
  }

  it('writes each new file over a spare while one is left, then as a new file; the old folder goes at the end', () => {
    const { dir, sub, inodes, spares } = clearedWith(['a-result.json', 'b-result.json']);
    for (const name of ['x-result.json', 'y-result.json', 'z-result.json']) spares.write(path.join(sub, name), `new ${name}`);
    expect(readdirSync(sub).sort()).toEqual(['x-result.json', 'y-result.json', 'z-result.json']);
    for (const name of readdirSync(sub)) expect(readFileSync(path.join(sub, name), 'utf8')).toBe(`new ${name}`);
    const reused = readdirSync(sub).filter((name) => inodes.has(statSync(path.join(sub, name)).ino));
    expect(reused, 'two of the three took a spare\'s place').toHaveLength(2);
    expect(spares.removeRest()).toEqual([]);
    expect(readdirSync(dir).filter((name) => name.startsWith('.allure-results.old-'))).toEqual([]);
  });

  it('a new file shorter than its spare keeps none of the spare\'s tail; a longer one is whole', () => {
    const { sub, spares } = clearedWith(['a-result.json', 'b-result.json']);
    const [first, second] = readdirSync(path.join(sub, '..')).filter((name) => name.startsWith('.allure-results.old-'))
      .flatMap((aside) => readdirSync(path.join(sub, '..', aside)).map((name) => path.join(sub, '..', aside, name)));
    writeFileSync(first, 'x'.repeat(10_000));
    writeFileSync(second, 'y');
    spares.write(path.join(sub, 'short-result.json'), '{"é":1}');
    spares.write(path.join(sub, 'long-result.json'), Buffer.from('z'.repeat(5_000)));
    const written = readdirSync(sub).sort().map((name) => readFileSync(path.join(sub, name), 'utf8'));
    expect(written).toEqual(['z'.repeat(5_000), '{"é":1}']);
  });

  it('a spare made a link since it was listed leads no write elsewhere: the link goes, the file is new', () => {
    const { sub, spares } = clearedWith(['a-result.json']);
    const victim = path.join(folder(['keep.txt']), 'keep.txt');
    const [aside] = readdirSync(path.dirname(sub)).filter((name) => name.startsWith('.allure-results.old-'));
    const spare = path.join(path.dirname(sub), aside, 'a-result.json');
    rmSync(spare);
    symlinkSync(victim, spare);
    spares.write(path.join(sub, 'x-result.json'), 'new');
    expect(readFileSync(victim, 'utf8')).toBe('theirs');
    expect(lstatSync(path.join(sub, 'x-result.json')).isSymbolicLink()).toBe(false);
    expect(readFileSync(path.join(sub, 'x-result.json'), 'utf8')).toBe('new');
  });

  it('a spare with a second name elsewhere is not written over: that file keeps its bytes', () => {
    const { sub, spares } = clearedWith(['a-result.json']);
    const [aside] = readdirSync(path.dirname(sub)).filter((name) => name.startsWith('.allure-results.old-'));
    const other = path.join(folder(), 'hard-link.json');
    linkSync(path.join(path.dirname(sub), aside, 'a-result.json'), other);
    spares.write(path.join(sub, 'x-result.json'), 'new');
    expect(readFileSync(other, 'utf8')).toBe('a-result.json');
    expect(readFileSync(path.join(sub, 'x-result.json'), 'utf8')).toBe('new');
    expect(statSync(other).nlink).toBe(1);
  });

  it('a spare taken meanwhile (another run in the folder) is no failure: the file is written new', () => {
    const { sub, spares } = clearedWith(['a-result.json']);
    const [aside] = readdirSync(path.dirname(sub)).filter((name) => name.startsWith('.allure-results.old-'));
    rmSync(path.join(path.dirname(sub), aside, 'a-result.json'));
    spares.write(path.join(sub, 'x-result.json'), 'new');
    expect(readFileSync(path.join(sub, 'x-result.json'), 'utf8')).toBe('new');
    expect(spares.removeRest()).toEqual([]);
  });

  it('the end leaves a file it does not own, and the folder holding it', () => {
    const { sub, spares } = clearedWith(['a-result.json']);
    const [aside] = readdirSync(path.dirname(sub)).filter((name) => name.startsWith('.allure-results.old-'));
    writeFileSync(path.join(path.dirname(sub), aside, 'notes.txt'), 'mine');
    expect(spares.removeRest()).toEqual([]);
    expect(readdirSync(path.join(path.dirname(sub), aside))).toEqual(['notes.txt']);
  });
});
