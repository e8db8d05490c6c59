// How src/report/out-dir.ts makes a missing output folder: each missing level with its own mkdir, from the
// nearest folder that exists, so a place where no folder can be made (under /proc, where Node 20's
// recursive mkdir looped forever) fails with that mkdir's error, and claimOutDir says so in one line.
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimOutDir, clearOwnedAnew, makeFolders, OUT_DIR_MARKER, OutDirError } from '../../src/report/out-dir.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'gt-out-dir-folders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(root, `d${++n}`);

describe('makeFolders', () => {
  it('makes every missing level, and leaves a folder that exists as it is', () => {
    const top = fresh();
    makeFolders(path.join(top, 'a', 'b', 'c'));
    expect(readdirSync(top)).toEqual(['a']);
    expect(readdirSync(path.join(top, 'a', 'b'))).toEqual(['c']);
    writeFileSync(path.join(top, 'a', 'mine.txt'), 'mine');
    makeFolders(path.join(top, 'a'));
    expect(readdirSync(path.join(top, 'a')).sort()).toEqual(['b', 'mine.txt']);
  });

  it('a relative folder is made under the working folder', () => {
    const top = fresh();
    makeFolders(path.relative(process.cwd(), path.join(top, 'rel')));
    expect(existsSync(path.join(top, 'rel'))).toBe(true);
  });

  it('throws the error of the level that cannot be made: under /proc, under a file', () => {
    expect(() => makeFolders('/proc/gt-conformance-no-such/out')).toThrow(expect.objectContaining({ code: 'ENOENT', path: '/proc/gt-conformance-no-such' }));
    const file = path.join(fresh(), 'f.txt');
    makeFolders(path.dirname(file));
    writeFileSync(file, 'mine');
    expect(() => makeFolders(path.join(file, 'sub', 'deeper'))).toThrow(expect.objectContaining({ code: 'ENOTDIR', path: path.join(file, 'sub') }));
  });

  it('takes a folder that is there when its mkdir runs, as mkdir -p does', () => {
    // a link to nowhere: existsSync says no, mkdir says EEXIST (as if another process had made the folder)
    const top = fresh();
    makeFolders(top);
    symlinkSync(path.join(top, 'nowhere'), path.join(top, 'link'));
    expect(() => makeFolders(path.join(top, 'link'))).not.toThrow();
  });
});

describe('claimOutDir, where no folder can be made', () => {
  it('one OutDirError line with the flag, the folder and the error', () => {
    const top = fresh();
    makeFolders(top);
    symlinkSync(path.join(top, 'nowhere'), path.join(top, 'link'));
    // the folder "exists" (EEXIST), the marker cannot be written into it
    expect(() => claimOutDir(path.join(top, 'link'), '--keygen')).toThrow(new OutDirError(`--keygen ${path.join(top, 'link')}: cannot create the folder: ENOENT`));
  });

  it('a folder the system refuses (sysfs makes none, even for root): permission denied', () => {
    expect(() => claimOutDir('/sys/gt-conformance-out')).toThrow(new OutDirError('--out /sys/gt-conformance-out: cannot create the folder: permission denied'));
  });

  it('clearOwnedAnew makes its missing sub-folder level by level too', () => {
    const dir = claimOutDir(fresh());
    expect(clearOwnedAnew(dir, path.join('blob', 'shard-1'), () => true).folder).toBe(path.join(dir, 'blob', 'shard-1'));
    expect(readdirSync(dir).sort()).toEqual([OUT_DIR_MARKER, 'blob']);
    expect(existsSync(path.join(dir, 'blob', 'shard-1'))).toBe(true);
  });
});
