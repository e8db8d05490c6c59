// What `npm run build` parses once so that no start-up must: a JSON file in dist/ per shipped input (the
// contract, the client profiles), stamped with the digest of the files it was made from and read only while
// those files still have that digest. A run from the sources before any build, an edited file or a broken
// cache all fall back to parsing the files.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { projectRoot } from '../paths.ts';

export const buildCacheDir = path.join(projectRoot, 'dist');

/** dist/<name>.json */
export function buildCacheFile(name: string): string {
  return path.join(buildCacheDir, `${name}.json`);
}

/** The files' texts and one digest of their names and texts. */
export function readWithDigest(files: readonly string[]): { texts: string[]; digest: string } {
  const hash = createHash('sha256');
  const texts = files.map((file) => {
    const text = readFileSync(file, 'utf8');
    hash.update(path.basename(file)).update('\0').update(text).update('\0');
    return text;
  });
  return { texts, digest: hash.digest('hex') };
}

/** The cached value when the cache was made from files with this digest; otherwise undefined. */
export function readBuildCache<T>(name: string, digest: string): T | undefined {
  try {
    const cache = JSON.parse(readFileSync(buildCacheFile(name), 'utf8')) as { digest?: string; value?: T };
    return cache.digest === digest ? cache.value : undefined;
  } catch {
    return undefined;
  }
}

export function writeBuildCache(name: string, digest: string, value: unknown): void {
  writeFileSync(buildCacheFile(name), JSON.stringify({ digest, value }));
}
