// The order the harness's own test files start in: the most expensive first, from the costs measured and
// committed in test/file-costs.json (the file-costs reporter writes it). Without it vitest starts the files it
// has no duration for by size, and on a clean clone the longest file (the selftest's 42 runs, 51 lines) started
// two thirds of the way through and ran alone at the end. Files the list does not name keep vitest's order,
// after the listed ones; the conformance project's suites keep vitest's order.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const FILE_COSTS = path.join(import.meta.dirname, '..', 'file-costs.json');

/** The committed costs, ms per file relative to the project root; none when the file is missing or unreadable. */
export function committedCosts(file = FILE_COSTS): Record<string, number> {
  try {
    const costs = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!costs || typeof costs !== 'object') return {};
    return Object.fromEntries(Object.entries(costs).filter(([, ms]) => typeof ms === 'number' && Number.isFinite(ms)));
  } catch {
    return {};
  }
}

/** `specs` in vitest's order, then the harness's listed files moved ahead, most expensive first (a stable sort). */
export function costFirst<T>(specs: T[], fileOf: (spec: T) => string, costs: Record<string, number>): T[] {
  const cost = (spec: T) => costs[fileOf(spec)] ?? -1;
  return [...specs].sort((a, b) => cost(b) - cost(a));
}

export default class CostSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const harness = costFirst(
      sorted.filter((spec) => spec.project.name === 'harness'),
      (spec) => path.relative(root, spec.moduleId).split(path.sep).join('/'),
      committedCosts(),
    );
    // vitest's order of the projects stays: the harness's files take the harness's places, in the new order
    return sorted.map((spec) => (spec.project.name === 'harness' ? harness.shift()! : spec));
  }
}
