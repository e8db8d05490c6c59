// The conformance project's vitest settings, in one place: vitest.config.ts names them for a plain
// `vitest run --project conformance`, and `gt-conformance run` passes them inline
// (config: false), so a run does not bundle the config file and what it imports before it starts.
// (`report --merge` still reads vitest.config.ts: vitest's merge of blob reports wants the project config.)
export const CONFORMANCE_PROJECT = {
  name: 'conformance',
  include: ['suites/**/*.test.ts'],
  globalSetup: ['suites/global-setup.ts'],
  // All suite files share one worker and its modules, so a probe several products need is sent once.
  isolate: false,
  fileParallelism: false,
  maxConcurrency: 64,
  testTimeout: 10 * 60_000,
  hookTimeout: 60_000,
};
