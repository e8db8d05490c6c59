// Whether dist/ (the compiled command line) is there and newer than the TypeScript it is compiled from.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The file `npm run build` writes after tsc has compiled everything. */
const BUILT_STAMP = path.join('dist', '.built');

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

/** The folders the command line is compiled from. */
export const CLI_SOURCES = ['src', 'reporters'];

/** undefined when dist/ is up to date with the .ts files under sourceDirs; otherwise what is wrong, in a few words. */
export function distStaleness(root, sourceDirs = CLI_SOURCES) {
  const stamp = path.join(root, BUILT_STAMP);
  if (!existsSync(stamp) || !existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js'))) return 'dist/ is missing';
  const built = statSync(stamp).mtimeMs;
  const newer = sourceDirs.find((d) => existsSync(path.join(root, d)) && newestSource(path.join(root, d)) > built);
  return newer ? `dist/ is older than ${newer}/` : undefined;
}

/** Called by `npm run build` once tsc has finished. */
export function markBuilt(root) {
  writeFileSync(path.join(root, BUILT_STAMP), '');
}

/** For the tests and benchmarks (never the CLI itself): `npm run build` when dist/ is stale; throws when it fails. */
export function buildIfStale(root, sourceDirs = CLI_SOURCES) {
  const stale = distStaleness(root, sourceDirs);
  if (!stale) return;
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (err) {
    throw new Error(`${stale}, and \`npm run build\` failed:\n${`${err.stdout ?? ''}${err.stderr ?? ''}`.trim()}`);
  }
}
