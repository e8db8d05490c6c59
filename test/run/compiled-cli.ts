// Global setup of the harness's tests: the tests spawn the compiled command line and the compiled fake run of
// test/fixtures/reports (dist/), so dist/ is built first when it is missing or older than their sources.
// Then every spawned process runs today's code, without tsx.
import { buildIfStale, CLI_SOURCES } from '../../bin/dist-state.js';
import { projectRoot } from '../../src/paths.ts';

export default function buildDistIfStale(): void {
  buildIfStale(projectRoot, [...CLI_SOURCES, 'test/fixtures/reports']);
}
