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
          testTimeout: 120_000,
        },
      },
    ],
  },
});
