import { defineConfig } from 'vitest/config';
import { readRunOptions } from './src/run/options.ts';
import { runReporters } from './reporters/index.ts';
import { CONFORMANCE_PROJECT } from './src/suite/project.ts';
import CostSequencer from './test/run/cost-sequencer.ts';

// `vitest run --project conformance` (without gt-conformance) gets the same reports as `gt-conformance run`;
// the harness's own tests keep vitest's default reporter.
const argv = process.argv.join(' ');
const conformanceOnly = /--project[= ]conformance\b/.test(argv);

// Two projects: `conformance` runs the suites in suites/ against a tenant;
// `harness` runs the harness's own tests in test/.
export default defineConfig({
  test: {
    reporters: conformanceOnly ? runReporters(readRunOptions()) : ['default'],
    // The harness's most expensive test files first (test/file-costs.json), so none starts late and runs alone at the end.
    sequence: { sequencer: CostSequencer },
    projects: [
      {
        test: {
          name: 'harness',
          include: ['test/**/*.test.ts'],
          // The tests spawn the compiled CLI: build dist/ first when it is missing or older than src/.
          globalSetup: ['test/run/compiled-cli.ts'],
          // More workers than cores: while one test waits for a spawned run or a fault's deadline, another
          // works (2 and 4 workers measured the same on the 2-core machine: 176 and 174 s, docs/testing.md). Not isolated: a worker loads each module once for all its files, a third of the CPU that
          // fresh modules per file cost (docs/testing.md). Test files restore what they mock.
          maxWorkers: 4,
          isolate: false,
          // Only a guard against a hung test: tests end on events (a child's exit, a server's answer), and
          // the CLI bounds its own requests and runs. Generous, so a loaded machine slows a test, never fails it:
          // beside four CPU hogs and another session's mutation jobs a 5 s spawned run took 150 to 180 s.
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
      { test: CONFORMANCE_PROJECT },
    ],
  },
});
