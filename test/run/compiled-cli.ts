// Global setup of the harness's tests: the tests spawn the compiled command line (dist/), so dist/ is built first
// when it is missing or older than src/. Then every spawned `gt-conformance` runs today's code, without tsx.
import { execFileSync } from 'node:child_process';
import { distStaleness } from '../../bin/dist-state.js';
import { projectRoot } from '../../src/paths.ts';

export default function buildDistIfStale(): void {
  const stale = distStaleness(projectRoot);
  if (!stale) return;
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`${stale}, and \`npm run build\` failed, so the CLI tests cannot run:\n${`${stdout}${stderr}`.trim()}`);
  }
}
