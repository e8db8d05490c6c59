// A vitest reporter for profiling the harness's own tests: what each test file costs, most expensive first.
//   npx vitest run --project harness --reporter=default --reporter=./test/run/file-costs.ts
// Columns: wall from the file's start to its end in its worker (collection, hooks and tests), the tests and
// hooks alone, and the import of the file and its modules. Figures only; docs/testing.md keeps the table.
// With GT_WRITE_FILE_COSTS=1 it also writes each file's wall to test/file-costs.json, the order the next runs
// start the files in (test/run/cost-sequencer.ts).
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { FILE_COSTS } from './cost-sequencer.ts';
import type { Reporter, TestModule } from 'vitest/node';

interface FileCost {
  file: string;
  tests: number;
  wallMs: number;
  runMs: number;
  importMs: number;
}

export default class FileCosts implements Reporter {
  private readonly started = new Map<string, number>();
  private readonly costs: FileCost[] = [];

  onTestModuleStart(module: TestModule): void {
    this.started.set(module.moduleId, performance.now());
  }

  onTestModuleEnd(module: TestModule): void {
    const diagnostic = module.diagnostic();
    this.costs.push({
      file: relative(process.cwd(), module.moduleId),
      tests: [...module.children.allTests()].length,
      wallMs: performance.now() - (this.started.get(module.moduleId) ?? performance.now()),
      runMs: diagnostic.duration,
      importMs: diagnostic.collectDuration,
    });
  }

  onTestRunEnd(): void {
    const rows = [...this.costs].sort((a, b) => b.wallMs - a.wallMs);
    const total = rows.reduce((n, r) => n + r.wallMs, 0);
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const lines = ['| file | tests | wall | share | tests and hooks | import |', '|---|---|---|---|---|---|'];
    for (const r of rows) lines.push(`| \`${r.file}\` | ${r.tests} | ${s(r.wallMs)} | ${Math.round((100 * r.wallMs) / total)}% | ${s(r.runMs)} | ${s(r.importMs)} |`);
    lines.push(`| all ${rows.length} files (summed over the workers) | ${rows.reduce((n, r) => n + r.tests, 0)} | ${s(total)} | | | |`);
    console.log(`\nCost per test file:\n${lines.join('\n')}`);
    if (process.env.GT_WRITE_FILE_COSTS === '1') {
      writeFileSync(FILE_COSTS, `${JSON.stringify(Object.fromEntries(rows.map((r) => [r.file, Math.round(r.wallMs)])), null, 1)}\n`);
      console.log(`wrote ${relative(process.cwd(), FILE_COSTS)}`);
    }
  }
}
