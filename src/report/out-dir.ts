// The folders the harness writes (--out, --allure-out, --keygen, a shard's blob folder): it never deletes or
// overwrites a file it did not write. A folder is claimed when it is new or empty, and marked; a non-empty
// folder without the mark is refused. In a claimed folder only the harness's own file names are replaced.
import { randomUUID } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, ftruncateSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
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

/** Where clearOwnedAnew moves a folder of `sub`'s old files, in the claimed folder: `.allure-results.old-<uuid>`. */
const oldFolderPrefix = (sub: string) => `.${sub}.old-`;

/**
 * Empties `sub`, a folder of the claimed folder `dir`, of the entries `owned` names (files the harness or a
 * reporter it runs writes there), for a folder of many files that a run writes anew (allure-js names its
 * results by random uuids). A folder that holds nothing but owned files is moved aside (to a hidden folder of
 * `dir`) and made anew: creating files in a folder that has held many is slow (ext4: 740 files took 25 ms in a
 * new folder, 240 ms in one that had seen 30 rounds of 740 created and removed). Its files, and those of folders earlier runs moved
 * aside, are this run's spares: its new files take their place (SpareFiles), and what is left is removed when
 * the run ends. A folder with any other file in it stays, and only its owned files go, at once. Returns the
 * folder, which entries could not be removed, and why, and the spares.
 */
export function clearOwnedAnew(dir: string, sub: string, owned: (name: string) => boolean): { folder: string; failed: string[]; spares: SpareFiles } {
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
  const failed = removeOwnedFiles(claimed, folder, owned);
  return { folder, failed, spares: new SpareFiles(claimed, oldFolders, owned) };
}

/** Unlinks the entries of `folder` that `owned` names; returns those that could not be, and why (relative to `claimed`). */
function removeOwnedFiles(claimed: string, folder: string, owned: (name: string) => boolean): string[] {
  const failed: string[] = [];
  // unlinked, not rm()'d: an entry of such a name that is a folder is not one the harness wrote; 740 unlinks take about 20 ms
  for (const name of readdirSync(folder).filter(owned)) {
    try {
      unlinkSync(path.join(folder, name));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      // gone already is no failure: another run in the same folder (a shard) may have removed it first
      if (e.code !== 'ENOENT') failed.push(`${path.relative(claimed, path.join(folder, name))}: ${errnoWords(e)}`);
    }
  }
  return failed;
}

/**
 * The files of an earlier run in the folders clearOwnedAnew moved aside, for this run's new files to take the
 * place of. On the 2-core machine's ext4 creating a file costs 0.6 to 1 ms of system CPU, and renaming one and
 * writing over it 0.1 ms: a default run writes about 470 Allure files.
 */
export class SpareFiles {
  private readonly files: string[];

  constructor(
    private readonly claimed: string,
    private readonly folders: string[],
    private readonly owned: (name: string) => boolean,
  ) {
    this.files = folders.flatMap((folder) => {
      try {
        return readdirSync(folder, { withFileTypes: true })
          .filter((entry) => entry.isFile() && owned(entry.name))
          .map((entry) => path.join(folder, entry.name));
      } catch {
        return []; // removed meanwhile by another run sharing the folder
      }
    });
  }

  /** Writes `content` as `file`, a name not in use: over a spare file while one is left, else as a new file. */
  write(file: string, content: string | Uint8Array): void {
    const spare = this.files.pop();
    if (spare === undefined || !overwriteSpare(spare, file, content)) writeFileSync(file, content);
  }

  /** Removes the owned files still in the folders moved aside, then each folder left empty; returns what could not be removed, and why. */
  removeRest(): string[] {
    this.files.length = 0;
    const failed: string[] = [];
    for (const folder of this.folders.splice(0)) {
      try {
        failed.push(...removeOwnedFiles(this.claimed, folder, this.owned));
        // a file put there since, not the harness's own, keeps the folder
        if (readdirSync(folder).length === 0) rmdirSync(folder);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code !== 'ENOENT') failed.push(`${path.relative(this.claimed, folder)}: ${errnoWords(e)}`);
      }
    }
    return failed;
  }
}

/**
 * Moves `spare` to `file` and writes `content` over it. The write neither follows a link nor starts before the
 * file is known to be a plain one with no other name: an owned name put on someone else's file must not lead the
 * write there. False (and `file` not there) where the spare was gone or was no such file.
 */
function overwriteSpare(spare: string, file: string, content: string | Uint8Array): boolean {
  try {
    renameSync(spare, file);
  } catch {
    return false; // taken by another run sharing the folder
  }
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.nlink === 1) {
      // written over in place, then cut to length: truncating first frees the blocks the write then takes
      // again, 0.2 to 0.3 ms a file on this ext4 (0.1 ms of it system CPU), where this takes about 0.03 ms
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      writeFileSync(fd, bytes);
      if (stat.size > bytes.byteLength) ftruncateSync(fd, bytes.byteLength);
      return true;
    }
  } catch (err) {
    // failing once open (a full disk) is the write's own failure; failing to open, a spare that was not a plain file
    if (fd !== undefined) throw err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  try {
    // the name goes (the file it named, if any, stays wherever its other names are)
    unlinkSync(file);
  } catch {
    // a folder put there meanwhile: the new file's own write fails on it, and says so
  }
  return false;
}

/** `sub` of the claimed folder `dir`, made when missing. */
function ownedFolder(dir: string, sub: string): string {
  const folder = path.join(claimOutDir(dir), sub);
  if (existsSync(folder) && !statSync(folder).isDirectory()) throw new OutDirError(`${folder}: is a file, but gt-conformance writes a folder there; move the file away`);
  makeFolders(folder);
  return folder;
}
