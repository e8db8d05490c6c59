import { defineConfig } from 'vitest/config';

// The tests Stryker runs against each mutant (stryker.config.mjs): the harness's in-process tests of the
// mutated modules. Left out: the files that spawn the compiled CLI (they run dist/, which Stryker does not
// mutate, so they cannot kill a mutant and cost seconds each) and the whole in-process runs (faults,
// hostile, selftest, bad input), which cover every mutant and would make each mutant cost a run.
// STRYKER_TESTS (comma-separated files or globs) narrows the set to one module's unit tests, for a module
// whose code also runs while other files start tenants (a mutant there is "static": every test runs it).
const only = process.env.STRYKER_TESTS?.split(',').filter(Boolean);

export default defineConfig({
  test: {
    include: only?.length ? only : [
      'test/checks/**/*.test.ts',
      'test/outcome/**/*.test.ts',
      'test/engine/**/*.test.ts',
      'test/http/**/*.test.ts',
      'test/plan/**/*.test.ts',
      'test/tenant/**/*.test.ts',
      'test/drivers/**/*.test.ts',
      'test/report/**/*.test.ts',
      'test/reporters/report-build.test.ts',
      'test/reporters/har.test.ts',
      'test/hostile/sanitize.test.ts',
    ],
    exclude: ['test/tenant/mock-cli.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
