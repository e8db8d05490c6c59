// Progress for `gt-conformance run`: one line per check as it finishes, then a product × route summary.
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { CheckMeta, Outcome } from '../src/model.ts';

const mark: Record<Outcome, string> = {
  passed: 'ok  ',
  denied_as_expected: 'ok  ',
  failed: 'FAIL',
  blocked: 'BLKD',
  not_exercised: 'n/e ',
  skipped: 'skip',
  waived: 'wvd ',
  manual: 'man ',
  runbook_defect: 'DOC ',
};

const short: Record<Outcome, string> = {
  passed: 'pass',
  denied_as_expected: 'denied',
  failed: 'FAIL',
  blocked: 'blocked',
  not_exercised: 'n/e',
  skipped: 'skip',
  waived: 'waived',
  manual: 'manual',
  runbook_defect: 'DOC',
};

// Worse outcomes win when a cell aggregates several checks.
const rank: Outcome[] = ['failed', 'runbook_defect', 'blocked', 'waived', 'passed', 'denied_as_expected', 'not_exercised', 'skipped', 'manual'];

export function cellOutcome(outcomes: Outcome[]): Outcome | undefined {
  return [...outcomes].sort((a, b) => rank.indexOf(a) - rank.indexOf(b))[0];
}

export default class ProgressReporter implements Reporter {
  private done = 0;
  private total = 0;
  private readonly started = Date.now();

  constructor(private readonly out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {}

  onTestModuleCollected(module: TestModule) {
    this.total += [...module.children.allTests()].length;
  }

  onTestCaseResult(test: TestCase) {
    this.done += 1;
    const meta = test.meta() as { gt?: CheckMeta };
    const outcome: Outcome = meta.gt?.outcome ?? (test.result().state === 'failed' ? 'failed' : 'skipped');
    const width = String(this.total).length;
    const where = test.fullName.replace(/ > /g, ' › ');
    let line = `[${String(this.done).padStart(width)}/${this.total}] ${mark[outcome]} ${where}`;
    if (outcome === 'failed' || outcome === 'blocked') line += `\n        ${(meta.gt?.message ?? test.result().errors?.[0]?.message ?? '').slice(0, 400)}`;
    this.out(line);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const metas = modules.flatMap((m) => [...m.children.allTests()].map((t) => (t.meta() as { gt?: CheckMeta }).gt)).filter((m): m is CheckMeta => !!m);
    this.out('');
    this.out(summaryTable(metas));
    const counts = new Map<Outcome, number>();
    for (const m of metas) counts.set(m.outcome, (counts.get(m.outcome) ?? 0) + 1);
    const parts = rank.filter((o) => counts.get(o)).map((o) => `${counts.get(o)} ${o.replace(/_/g, ' ')}`);
    this.out(`${metas.length} checks: ${parts.join(', ')} (${((Date.now() - this.started) / 1000).toFixed(1)} s)`);
  }
}

/** Products as rows, routes as columns, each cell the worst outcome of its checks. */
export function summaryTable(metas: CheckMeta[]): string {
  const routes = [...new Set(metas.map((m) => m.check.route).filter((r): r is string => !!r))];
  const rows = [...new Set(metas.map((m) => m.check.product ?? 'cross-cutting'))];
  const header = ['product', ...routes];
  const table = rows.map((product) => [
    product,
    ...routes.map((route) => {
      const cell = metas.filter((m) => (m.check.product ?? 'cross-cutting') === product && m.check.route === route && m.check.group !== 'validation');
      const outcome = cellOutcome(cell.map((m) => m.outcome));
      if (!outcome) return '-';
      const verdict = cell[0].check.verdict;
      return `${verdict ? `${{ native: 'N', gt_extension: 'X', not_supported: 'NS' }[verdict]}:` : ''}${short[outcome]}`;
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...table.map(fmt), '', 'N native, X gt_extension, NS not_supported'].join('\n');
}
