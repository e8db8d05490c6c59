import { defineConfig } from 'vitest/config';

// Two projects: `conformance` runs the suites in suites/ against a tenant;
// `harness` runs the harness's own tests in test/.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'harness',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['suites/**/*.test.ts'],
          globalSetup: ['suites/global-setup.ts'],
          // All suite files share one worker and its modules, so a probe several products need is sent once.
          isolate: false,
          fileParallelism: false,
          maxConcurrency: 64,
          testTimeout: 10 * 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
