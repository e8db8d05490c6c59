// The installed version of a package, read from its package.json, for evidence and findings.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const cache = new Map<string, string>();

export function installedVersion(pkg: string): string {
  let version = cache.get(pkg);
  if (version === undefined) {
    try {
      // Resolve the entry point, then walk up to the package's own package.json (exports may hide it).
      let dir = path.dirname(require.resolve(pkg));
      while (!readFileSafe(path.join(dir, 'package.json'), pkg) && path.dirname(dir) !== dir) dir = path.dirname(dir);
      version = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      version = 'unknown';
    }
    cache.set(pkg, version);
  }
  return version;
}

function readFileSafe(file: string, pkg: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === pkg;
  } catch {
    return false;
  }
}

/** The major version, e.g. 3 for 3.0.141. */
export function installedMajor(pkg: string): number | undefined {
  const major = Number(installedVersion(pkg).split('.')[0]);
  return Number.isInteger(major) ? major : undefined;
}
