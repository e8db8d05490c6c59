// Global setup of the harness's tests: the tests spawn the compiled command line and the compiled fake run of
// test/fixtures/reports (dist/), so dist/ is built first when it is missing or older than their sources.
// Then every spawned process runs today's code, without tsx.
import { execFileSync } from 'node:child_process';
import { CLI_SOURCES, distStaleness } from '../../bin/dist-state.js';
import { projectRoot } from '../../src/paths.ts';

export default function buildDistIfStale(): void {
  const stale = distStaleness(projectRoot, [...CLI_SOURCES, 'test/fixtures/reports']);
  if (!stale) return;
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`${stale}, and \`npm run build\` failed, so the CLI tests cannot run:\n${`${stdout}${stderr}`.trim()}`);
  }
}
