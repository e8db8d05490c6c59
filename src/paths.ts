// Where the project's own data lives, independent of the current directory.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The folder that holds package.json: one up from src/paths.ts, two up from the compiled dist/src/paths.js.
 * The data files (fixtures, runbooks, schemas) are read from there, never copied into dist/.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** Whether the module at this import.meta.url is the compiled one (under dist/src), as the installed CLI runs it. */
export function isCompiledModule(moduleUrl: string): boolean {
  return path.relative(projectRoot, fileURLToPath(moduleUrl)).startsWith(path.join('dist', 'src') + path.sep);
}
export const contractDir = path.join(projectRoot, 'fixtures', 'contract');
export const runbooksDir = path.join(projectRoot, 'runbooks');
export const clientsDir = path.join(projectRoot, 'fixtures', 'clients');
export const filesDir = path.join(projectRoot, 'fixtures', 'files');
export const selftestRunbooksDir = path.join(projectRoot, 'fixtures', 'selftest');
