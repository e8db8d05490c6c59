// The folders the harness writes (--out, --allure-out, --keygen, a shard's blob folder): it never deletes or
// overwrites a file it did not write. A folder is claimed when it is new or empty, and marked; a non-empty
// folder without the mark is refused. In a claimed folder only the harness's own file names are replaced.
import { randomUUID } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../input/usage-error.ts';

export const OUT_DIR_MARKER = '.gt-conformance-output';

const MARKER_TEXT = `This folder was written by gt-conformance. It replaces only the files it writes here (the reports,
allure-results/, blob/; never a key it generated) and leaves every other file alone. Without this file
it refuses to write into the folder while the folder is not empty.
`;

/** A folder the harness may not write into: one line, exit 2. */
export class OutDirError extends UsageError {}

function errnoWords(err: NodeJS.ErrnoException): string {
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  if (err.code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  return err.code ?? err.message;
}

/** Why `dir` cannot be an output folder, or undefined; no side effects. `flag` names it in the message. */
export function outDirProblem(dir: string, flag = '--out'): string | undefined {
  if (dir.trim() === '') return `${flag} needs a folder, got an empty value`;
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) return `${flag} ${dir}: is a file, not a folder; give a folder for the files gt-conformance writes`;
    entries = readdirSync(dir);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return e.code === 'ENOENT' ? undefined : `${flag} ${dir}: cannot use the folder: ${errnoWords(e)}`;
  }
  if (entries.length === 0 || entries.includes(OUT_DIR_MARKER)) return undefined;
  const shown = entries.sort().slice(0, 3).join(', ') + (entries.length > 3 ? `, … (${entries.length} entries)` : '');
  return (
    `${flag} ${dir}: the folder holds files gt-conformance did not write (${shown}), and it never deletes or overwrites those; ` +
    `give a new or empty folder, or one gt-conformance wrote before (it holds ${OUT_DIR_MARKER})`
  );
}

/**
 * Creates the folder `dir` and its missing parents, one level at a time from the nearest one that exists.
 * Not `mkdirSync(dir, { recursive: true })`: Node 20's loops forever where a new folder's parent exists but
 * mkdir answers ENOENT (under /proc), so `--out /proc/x` hung; here that mkdir's error is thrown.
 */
export function makeFolders(dir: string): void {
  const folder = path.resolve(dir);
  // stop at the nearest folder that exists (or at a root that does not: a Windows drive letter)
  if (existsSync(folder) || path.dirname(folder) === folder) return;
  makeFolders(path.dirname(folder));
  try {
    mkdirSync(folder);
  } catch (err) {
    // made meanwhile by another process (two shards claiming one folder): as mkdir -p, that is no failure
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** Makes `dir` an output folder (created, marked) or throws OutDirError; returns it resolved. */
export function claimOutDir(dir: string, flag = '--out'): string {
  const problem = outDirProblem(dir, flag);
  if (problem) throw new OutDirError(problem);
  const resolved = path.resolve(dir);
  try {
    makeFolders(resolved);
    if (!existsSync(path.join(resolved, OUT_DIR_MARKER))) writeFileSync(path.join(resolved, OUT_DIR_MARKER), MARKER_TEXT);
  } catch (err) {
    throw new OutDirError(`${flag} ${dir}: cannot create the folder: ${errnoWords(err as NodeJS.ErrnoException)}`);
  }
  return resolved;
}

/**
 * Empties `sub`, a folder of the claimed folder `dir`, of the entries `owned` names (files the harness or a
 * reporter it runs writes there); any other file in it stays. Creates `sub` when it is missing.
 */
export function clearOwned(dir: string, sub: string, owned: (name: string) => boolean): string {
  const folder = ownedFolder(dir, sub);
  for (const name of readdirSync(folder)) if (owned(name)) rmSync(path.join(folder, name), { recursive: true, force: true });
  return folder;
}

/** Where clearOwnedAnew moves a folder of `sub`'s old files, in the claimed folder: `.allure-results.old-<uuid>`. */
const oldFolderPrefix = (sub: string) => `.${sub}.old-`;

/**
 * clearOwned for a folder of many files that a run writes anew (allure-js names its results by random uuids).
 * A folder that holds nothing but owned files is moved aside (to a hidden folder of `dir`), made anew, and the
 * old one removed: creating files in a folder that has held many is slow (ext4: 740 files took 25 ms in a new
 * folder, 240 ms in one that had seen 30 rounds of 740 created and removed). A folder with any other file in
 * it stays, and only its owned files go. Returns the folder, and which entries could not be removed, and why.
 */
export function clearOwnedAnew(dir: string, sub: string, owned: (name: string) => boolean): { folder: string; failed: string[] } {
  const folder = ownedFolder(dir, sub);
  const claimed = path.dirname(folder);
  const prefix = oldFolderPrefix(path.basename(folder));
  // moved aside by an earlier run that could not remove it
  const oldFolders = readdirSync(claimed, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith(prefix))
    .map((entry) => path.join(claimed, entry.name));
  const names = readdirSync(folder);
  // a real folder: a link to one elsewhere is the user's, and stays where it is
  if (names.length > 0 && names.every(owned) && lstatSync(folder).isDirectory()) {
    const aside = path.join(claimed, `${prefix}${randomUUID()}`);
    try {
      renameSync(folder, aside);
      mkdirSync(folder);
      oldFolders.push(aside);
    } catch {
      // not moved, or not made anew: its files are removed where they are, as in a folder with other files
      if (!existsSync(folder)) renameSync(aside, folder);
    }
  }
  const failed: string[] = [];
  // gone already is no failure: another run in the same folder (a shard) may have removed it first
  const remove = (entry: string, removeOne: (entry: string) => void) => {
    try {
      removeOne(entry);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code !== 'ENOENT') failed.push(`${path.relative(claimed, entry)}: ${errnoWords(e)}`);
    }
  };
  // unlinked, not rm()'d: an entry of such a name that is a folder is not one the harness wrote; 740 unlinks take about 20 ms
  const removeFiles = (from: string) => {
    for (const name of readdirSync(from).filter(owned)) remove(path.join(from, name), unlinkSync);
  };
  removeFiles(folder);
  for (const old of oldFolders) {
    remove(old, (entry) => {
      removeFiles(entry);
      // a file put there since, not the harness's own, keeps the folder
      if (readdirSync(entry).length === 0) rmdirSync(entry);
    });
  }
  return { folder, failed };
}

/** `sub` of the claimed folder `dir`, made when missing. */
function ownedFolder(dir: string, sub: string): string {
  const folder = path.join(claimOutDir(dir), sub);
  if (existsSync(folder) && !statSync(folder).isDirectory()) throw new OutDirError(`${folder}: is a file, but gt-conformance writes a folder there; move the file away`);
  makeFolders(folder);
  return folder;
}
