// Whether dist/ (the compiled command line) is there and newer than the TypeScript it is compiled from.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The file `npm run build` writes after tsc has compiled everything. */
export const BUILT_STAMP = path.join('dist', '.built');

/** The newest modification time of the .ts files under dir (0 when there is none). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** undefined when dist/ is up to date; otherwise what is wrong with it, in a few words. */
export function distStaleness(root) {
  const stamp = path.join(root, BUILT_STAMP);
  if (!existsSync(stamp) || !existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js'))) return 'dist/ is missing';
  const built = statSync(stamp).mtimeMs;
  const sources = ['src', 'reporters'].map((d) => path.join(root, d)).filter((d) => existsSync(d));
  return sources.some((d) => newestSource(d) > built) ? 'dist/ is older than src/' : undefined;
}

/** Called by `npm run build` once tsc has finished. */
export function markBuilt(root) {
  writeFileSync(path.join(root, BUILT_STAMP), '');
}
