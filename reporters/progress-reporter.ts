// Progress for `gt-conformance run`: one line per check as it finishes, then a product × route summary.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { CheckMeta, Outcome, RunContext } from '../src/model.ts';
import { loadContract } from '../src/contract/load.ts';
import { readRunOptions } from '../src/run/options.ts';
import { aggregateOutcome, OUTCOMES } from '../src/outcome/outcomes.ts';
import { reportedOutcome } from '../src/outcome/reported.ts';
import { NO_CHECK_HERE } from '../src/suite/files.ts';
import { terminalSafe } from '../src/report/sanitize.ts';

const mark: Record<Outcome, string> = {
  passed: 'ok  ',
  denied_as_expected: 'ok  ',
  failed: 'FAIL',
  blocked: 'BLKD',
  not_run: 'STOP',
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
  not_run: 'not run',
  not_exercised: 'n/e',
  skipped: 'skip',
  waived: 'waived',
  manual: 'manual',
  runbook_defect: 'DOC',
};


export default class ProgressReporter implements Reporter {
  private done = 0;
  private total = 0;
  private readonly started = Date.now();

  constructor(private readonly out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {}

  private context: RunContext | undefined;

  /** run-context.json is written by the global setup, so it is read at the first result, not at start. */
  private readContext(): RunContext | undefined {
    const file = path.join(readRunOptions().outDir, 'run-context.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunContext) : undefined;
  }

  onTestModuleCollected(module: TestModule) {
    this.total += [...module.children.allTests()].filter((t) => t.name !== NO_CHECK_HERE).length;
  }

  onTestCaseResult(test: TestCase) {
    if (test.name === NO_CHECK_HERE) return;
    if (this.done === 0) {
      this.context = this.readContext();
      if (this.context) {
        const c = this.context;
        const planned = c.checks.filter((k) => !k.manual).length;
        this.total = Math.max(this.total, planned);
        const defects = c.target.defects?.length ? ` with defects ${c.target.defects.join(', ')}` : '';
        this.out(terminalSafe(`Target: ${c.target.kind} tenant at ${c.target.host}${defects}`) + ` · seed ${c.seed} (replay with --seed ${c.seed}) · ${c.runbooks.length} runbooks · ${planned} checks`);
      }
    }
    this.done += 1;
    const meta = test.meta() as { gt?: CheckMeta };
    const result = test.result();
    const { outcome } = reportedOutcome(meta.gt, result.state, result.state === 'failed' ? result.errors.map((e) => e.message) : []);
    const width = String(this.total).length;
    const where = test.fullName.replace(/ > /g, ' › ');
    let line = `[${String(this.done).padStart(width)}/${this.total}] ${mark[outcome]} ${terminalSafe(where)}`;
    if (outcome === 'failed' || outcome === 'blocked' || outcome === 'not_run') line += `\n        ${terminalSafe((meta.gt?.message ?? result.errors?.[0]?.message ?? '').slice(0, 400))}`;
    this.out(line);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const metas = modules.flatMap((m) => [...m.children.allTests()].map((t) => (t.meta() as { gt?: CheckMeta }).gt)).filter((m): m is CheckMeta => !!m);
    this.out('');
    this.out(summaryTable(metas, this.context?.runbooks.map((r) => r.id)));
    const findings = metas.filter((m) => m.outcome === 'runbook_defect');
    if (findings.length) {
      this.out('');
      this.out(`Runbook findings (documentation defects; --fail-on-findings makes them fail the run): ${findings.length}`);
      for (const f of findings) this.out(terminalSafe(`  ${f.check.product}: ${f.message.split(' | ')[0].slice(0, 220)}`));
    }
    const counts = new Map<Outcome, number>();
    for (const m of metas) counts.set(m.outcome, (counts.get(m.outcome) ?? 0) + 1);
    const parts = OUTCOMES.filter((o) => counts.get(o)).map((o) => `${counts.get(o)} ${o.replace(/_/g, ' ')}`);
    this.out(`${metas.length} checks: ${parts.join(', ')} (${((Date.now() - this.started) / 1000).toFixed(1)} s)`);
  }
}

/** Products as rows, routes as columns, each cell the worst outcome of its checks. */
export function summaryTable(metas: CheckMeta[], productOrder: string[] = []): string {
  const present = new Set(metas.map((m) => m.check.route));
  const routes = loadContract().routes.map((r) => r.id).filter((r) => present.has(r));
  const seen = [...new Set(metas.map((m) => m.check.product ?? 'cross-cutting'))];
  const order = (p: string) => (p === 'cross-cutting' ? Infinity : productOrder.indexOf(p) >= 0 ? productOrder.indexOf(p) : productOrder.length);
  const rows = seen.sort((a, b) => order(a) - order(b));
  const header = ['product', ...routes];
  const table = rows.map((product) => [
    product,
    ...routes.map((route) => {
      const cell = metas.filter((m) => (m.check.product ?? 'cross-cutting') === product && m.check.route === route && m.check.group !== 'validation');
      // the same cell outcome as the HTML and Markdown reports
      const outcome = aggregateOutcome(cell.map((m) => m.outcome));
      if (outcome === 'none') return '-';
      const verdict = cell[0].check.verdict;
      return `${verdict ? `${{ native: 'N', gt_extension: 'X', not_supported: 'NS' }[verdict]}:` : ''}${short[outcome]}`;
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...table.map(fmt), '', 'N native, X gt_extension, NS not_supported'].join('\n');
}
