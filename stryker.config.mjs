// Mutation testing (docs/testing.md, "Mutation scores"): `npm run mutation`, or one module at a time,
// `npx stryker run --mutate 'src/outcome/**/*.ts'`. Incremental: a rerun tests only the mutants whose code
// or covering tests changed since the last run (reports/stryker-incremental.json, git-ignored).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [
    'src/checks/**/*.ts',
    'src/outcome/**/*.ts',
    'src/engine/**/*.ts',
    'src/plan/**/*.ts',
    'src/http/**/*.ts',
    'src/report/**/*.ts',
    'src/tenant/keys.ts',
  ],
  testRunner: 'vitest',
  vitest: { configFile: 'stryker.vitest.config.ts', related: true },
  coverageAnalysis: 'perTest',
  checkers: ['typescript'],
  tsconfigFile: 'stryker.tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // The machine is shared: one test process at a time (the npm script also runs Stryker under nice).
  concurrency: 1,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['/dist', '/out', '/tmp', '/.vitest-reports'],
  thresholds: { high: 90, low: 85, break: null },
};
