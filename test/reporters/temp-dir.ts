// A temporary folder under os.tmpdir() for one test: made before the test's function runs, removed when it
// returns, throws, or (for an async test) when its promise settles.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function inTempDir<T>(prefix: string, test: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), `gt-${prefix}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  let result: T;
  try {
    result = test(dir);
  } catch (err) {
    remove();
    throw err;
  }
  if (result instanceof Promise) return result.finally(remove) as T;
  remove();
  return result;
}
