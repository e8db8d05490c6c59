// The folders the harness writes (--out, --allure-out, --keygen, a shard's blob folder): it never deletes or
// overwrites a file it did not write. A folder is claimed when it is new or empty, and marked; a non-empty
// folder without the mark is refused. In a claimed folder only the harness's own file names are replaced.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
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

/**
 * clearOwned in two steps, for a folder of many files whose names a run never writes twice (allure-js names
 * its results by random uuids): the owned entries that `reused` picks are removed at once, the others when
 * `removeRest` is called, without blocking the run. `removeRest` says which could not be removed, and why.
 */
export function clearOwnedInTwoSteps(dir: string, sub: string, owned: (name: string) => boolean, reused: (name: string) => boolean): { folder: string; removeRest: () => Promise<string[]> } {
  const folder = ownedFolder(dir, sub);
  const rest: string[] = [];
  for (const name of readdirSync(folder).filter(owned)) {
    if (reused(name)) rmSync(path.join(folder, name), { recursive: true, force: true });
    else rest.push(name);
  }
  const removeRest = async () => {
    const failed = await Promise.all(
      rest.map((name) =>
        rm(path.join(folder, name), { recursive: true, force: true }).then(
          () => undefined,
          (err: NodeJS.ErrnoException) => `${name}: ${errnoWords(err)}`,
        ),
      ),
    );
    return failed.filter((f): f is string => f !== undefined);
  };
  return { folder, removeRest };
}

/** `sub` of the claimed folder `dir`, made when missing. */
function ownedFolder(dir: string, sub: string): string {
  const folder = path.join(claimOutDir(dir), sub);
  if (existsSync(folder) && !statSync(folder).isDirectory()) throw new OutDirError(`${folder}: is a file, but gt-conformance writes a folder there; move the file away`);
  makeFolders(folder);
  return folder;
}
