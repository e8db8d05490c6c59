// The conformance project's vitest settings, in one place: vitest.config.ts names them for a plain
// `vitest run --project conformance`, and `gt-conformance run` passes them inline (config: false), so a run
// does not bundle the config file and what it imports before it starts. (`report --merge` still reads
// vitest.config.ts: vitest's merge of blob reports wants the project config.)
import { isCompiledModule } from '../paths.ts';

/** This module compiled (dist/src/suite/project.js): the installed CLI, whose suites are compiled too. */
const compiled = isCompiledModule(import.meta.url);

const settings = {
  name: 'conformance',
  // All suite files share one worker and its modules, so a probe several products need is sent once.
  isolate: false,
  fileParallelism: false,
  maxConcurrency: 64,
  testTimeout: 10 * 60_000,
  hookTimeout: 60_000,
};

export const CONFORMANCE_PROJECT = compiled
  ? {
      ...settings,
      // The compiled suites and every module they import load as plain Node modules, not through vitest's
      // transform: nothing is transpiled at run time (docs/architecture.md, "Start-up").
      include: ['dist/suites/**/*.test.js'],
      globalSetup: ['dist/suites/global-setup.js'],
      server: { deps: { external: [/[\\/]dist[\\/]/] } },
    }
  : { ...settings, include: ['suites/**/*.test.ts'], globalSetup: ['suites/global-setup.ts'] };

/** The suite file vitest runs for a suite name (src/suite/files.ts): `routes.1` → suites/routes.1.test.ts. */
export function suiteFilePath(name: string): string {
  return compiled ? `dist/suites/${name}.test.js` : `suites/${name}.test.ts`;
}
