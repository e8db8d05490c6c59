// bin/gt-conformance.js runs dist/ when it is current, and says so in one line when dist/ is missing or stale.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { distStaleness, markBuilt } from '../../bin/dist-state.js';
import { projectRoot } from '../../src/paths.ts';

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempRoot(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gt-dist-state-'));
  dirs.push(root);
  return root;
}

/** A project folder with src/deep/a.ts and, when built, dist/src/cli/main.js and the build stamp. */
function project(built: boolean): string {
  const root = tempRoot();
  mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'deep', 'a.ts'), 'export {};\n');
  if (built) {
    mkdirSync(path.join(root, 'dist', 'src', 'cli'), { recursive: true });
    writeFileSync(path.join(root, 'dist', 'src', 'cli', 'main.js'), 'export async function main() { console.log("compiled"); return 0; }\n');
    markBuilt(root);
  }
  return root;
}

/** Makes a file look modified `secondsFromNow` from now, so the comparison does not hang on timer resolution. */
function touch(file: string, secondsFromNow: number): void {
  const t = new Date(Date.now() + secondsFromNow * 1000);
  utimesSync(file, t, t);
}

describe('distStaleness', () => {
  it('says dist/ is missing when nothing was built', () => {
    expect(distStaleness(project(false))).toBe('dist/ is missing');
  });

  it('is content with a build newer than every source', () => {
    const root = project(true);
    touch(path.join(root, 'src', 'deep', 'a.ts'), -60);
    expect(distStaleness(root)).toBeUndefined();
  });

  it('names the folder with a source newer than the build, at any depth', () => {
    const root = project(true);
    touch(path.join(root, 'src', 'deep', 'a.ts'), 60);
    expect(distStaleness(root)).toBe('dist/ is older than src/');
    mkdirSync(path.join(root, 'extra'));
    writeFileSync(path.join(root, 'extra', 'b.ts'), '');
    touch(path.join(root, 'src', 'deep', 'a.ts'), -60);
    touch(path.join(root, 'extra', 'b.ts'), 60);
    expect(distStaleness(root)).toBeUndefined();
    expect(distStaleness(root, ['src', 'extra'])).toBe('dist/ is older than extra/');
  });
});

describe('bin/gt-conformance.js', () => {
  /** A copy of bin/ in root (a project folder without node_modules unless it is linked in). */
  function withBin(root: string): string {
    cpSync(path.join(projectRoot, 'bin'), path.join(root, 'bin'), { recursive: true });
    return root;
  }

  it('runs the compiled main when dist/ is current', async () => {
    const root = withBin(project(true));
    touch(path.join(root, 'src', 'deep', 'a.ts'), -60);
    const { stdout, stderr } = await run(process.execPath, [path.join(root, 'bin', 'gt-conformance.js'), '--version']);
    expect(stdout).toBe('compiled\n');
    expect(stderr).toBe('');
  });

  it.each([
    ['no dist/', false, 'dist/ is missing'],
    ['a stale dist/', true, 'dist/ is older than src/'],
  ])('%s and no tsx: one line saying what and the command that fixes it, exit 2, no stack trace', async (_, built, what) => {
    const root = withBin(project(built));
    if (built) touch(path.join(root, 'src', 'deep', 'a.ts'), 60);
    const failed = await run(process.execPath, [path.join(root, 'bin', 'gt-conformance.js'), '--help']).then(
      () => undefined,
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stdout).toBe('');
    expect(failed?.stderr).toBe(`gt-conformance: ${what}: run \`npm run build\` in ${root}\n`);
  });

  it('with tsx installed, says so in one line and runs the sources instead', async () => {
    const root = withBin(tempRoot());
    for (const linked of ['src', 'node_modules']) symlinkSync(path.join(projectRoot, linked), path.join(root, linked));
    const { stdout, stderr } = await run(process.execPath, [path.join(root, 'bin', 'gt-conformance.js'), '--version']);
    expect(stderr).toBe('gt-conformance: dist/ is missing, so the sources run through tsx (slower); `npm run build` compiles them\n');
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
