// Where the project's own data lives, independent of the current directory.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const contractDir = path.join(projectRoot, 'fixtures', 'contract');
export const runbooksDir = path.join(projectRoot, 'runbooks');
export const clientsDir = path.join(projectRoot, 'fixtures', 'clients');
export const filesDir = path.join(projectRoot, 'fixtures', 'files');
