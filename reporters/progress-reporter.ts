// Progress for `gt-conformance run`. The header (the target, the seed, the key coverage table), then on a
// terminal one line updated in place with the counts and an estimate of what is left, failures printed whole
// above it; in CI, a pipe or a file, one plain line per check as it finishes. Then the product × route
// summary, the runbook findings, the comparison with the baseline, and the requests sent beside the estimate.
// Everything a tenant or a target file controls goes through terminalSafe; text is wrapped, never cut.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestCase, TestModule, TestSpecification, Vitest } from 'vitest/node';
import type { CheckMeta, Outcome, RunContext } from '../src/model.ts';
import { loadContract } from '../src/contract/load.ts';
import { readRunOptions } from '../src/run/options.ts';
import { aggregateOutcome, countOutcomes, OUTCOMES, outcomeWords } from '../src/outcome/outcomes.ts';
import { outcomeStatus } from '../src/outcome/status.ts';
import { reportedOutcome } from '../src/outcome/reported.ts';
import { NO_CHECK_HERE, suiteFileOf } from '../src/suite/files.ts';
import { terminalSafe } from '../src/report/sanitize.ts';
import { readRunContext, runContextPath } from '../src/report/run-context.ts';
import { keyCoverage, renderCoverage } from '../src/report/coverage.ts';
import { consoleTraits, durationWords, painter, wrapText, type Colour, type ConsoleTraits } from '../src/report/terminal.ts';
import { comparisonWords, createdWords, negativeWords, productStatus, requestsWords } from '../src/report/summary.ts';
import { createdObjects } from '../src/report/created.ts';
import { distinctExchanges, sentRequests } from '../src/report/har.ts';
import { compareWithBaseline, loadBaseline } from '../src/report/baseline.ts';

export interface ProgressOptions {
  /** where the console goes (default process.stdout): a terminal gets the updating line and colour */
  stream?: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  env?: NodeJS.ProcessEnv;
  /** --no-color */
  noColor?: boolean;
  /** the run's output folder, which holds run-context.json (default: the run options') */
  outDir?: string;
  /** --baseline, for the comparison's last lines */
  baseline?: string;
  /** the clock of the estimate (tests pass their own) */
  now?: () => number;
}

const OUTCOME_COLOUR: Partial<Record<Outcome, Colour>> = {
  passed: 'green',
  denied_as_expected: 'green',
  failed: 'red',
  blocked: 'yellow',
  not_run: 'yellow',
  waived: 'magenta',
  runbook_defect: 'magenta',
  skipped: 'grey',
  not_exercised: 'grey',
  manual: 'grey',
};

/** Outcomes whose message is printed under the check's line: what went wrong, or why it did not run. */
const EXPLAINED: ReadonlySet<Outcome> = new Set(['failed', 'blocked', 'not_run']);

const MESSAGE_INDENT = '        ';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export default class ProgressReporter implements Reporter {
  private readonly traits: ConsoleTraits;
  private readonly paint: ReturnType<typeof painter>;
  private readonly now: () => number;
  private readonly started: number;
  /** when the tests started: the rate of the estimate leaves vitest's start-up out */
  private testsStarted: number | undefined;
  private context: RunContext | undefined;
  private estimate: Promise<number | undefined> | undefined;
  private total = 0;
  private collected = 0;
  private done = 0;
  private readonly tally = new Map<Outcome, number>();
  /** the updating line is on screen (a terminal only) */
  private statusShown = false;

  constructor(private readonly options: ProgressOptions = {}) {
    const stream = options.stream ?? process.stdout;
    this.traits = consoleTraits(stream, options.env ?? process.env, { noColor: options.noColor });
    this.paint = painter(this.traits.colour);
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  private write(text: string): void {
    (this.options.stream ?? process.stdout).write(text);
  }

  /** Lines above the updating line: it is cleared first and drawn again after them. */
  private print(lines: string[]): void {
    if (this.statusShown) this.write('\r\x1b[2K');
    this.write(lines.map((l) => `${l}\n`).join(''));
    this.statusShown = false;
  }

  private outDir(): string {
    return this.options.outDir ?? readRunOptions().outDir;
  }

  /** run-context.json: written before vitest starts by `run`, by the global setup of a plain vitest run. */
  private loadContext(): RunContext | undefined {
    if (this.context) return this.context;
    const file = runContextPath(this.outDir());
    if (!existsSync(file)) return undefined;
    try {
      this.context = readRunContext(file);
    } catch {
      return undefined;
    }
    this.estimate = Promise.resolve(this.context.estimatedRequests);
    this.print(this.header(this.context));
    return this.context;
  }

  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
    this.loadContext();
  }

  /** The checks the files of this run (this shard's) declare: the denominator, right from the first line. */
  async onTestRunStart(specifications: ReadonlyArray<TestSpecification>): Promise<void> {
    this.testsStarted = this.now();
    const context = this.loadContext();
    if (!context) return;
    const products = context.runbooks.map((r) => r.id);
    const files = new Set((await this.ofThisShard(specifications)).map((s) => path.basename(s.moduleId).replace(/\.test\.[jt]s$/, '')));
    this.total = context.checks.filter((c) => !c.manual && files.has(suiteFileOf(c, products))).length;
  }

  /** The files vitest will run: all of them, or this shard's, as vitest's own sequencer splits them (it does so after this hook). */
  private async ofThisShard(specifications: ReadonlyArray<TestSpecification>): Promise<ReadonlyArray<TestSpecification>> {
    const config = this.vitest?.config;
    if (!config?.shard) return specifications;
    const Sequencer = config.sequence.sequencer;
    return new Sequencer(this.vitest!).shard([...specifications]);
  }

  /** Without a run context (a foreign vitest run), the denominator is what has been collected. */
  onTestModuleCollected(module: TestModule): void {
    this.collected += [...module.children.allTests()].filter((t) => t.name !== NO_CHECK_HERE).length;
  }

  onTestCaseResult(test: TestCase): void {
    if (test.name === NO_CHECK_HERE) return;
    this.loadContext();
    this.done += 1;
    const meta = (test.meta() as { gt?: CheckMeta }).gt;
    const result = test.result();
    const errors = result.state === 'failed' ? result.errors.map((e) => e.message) : [];
    const { outcome, message } = reportedOutcome(meta, result.state, errors, { failOnFindings: this.context?.rules.failOnFindings });
    this.tally.set(outcome, (this.tally.get(outcome) ?? 0) + 1);
    const where = terminalSafe(test.fullName.replace(/ > /g, ' › '));
    const explain = EXPLAINED.has(outcome) ? wrapText(terminalSafe(message), this.traits.width, MESSAGE_INDENT, MESSAGE_INDENT) : [];
    if (this.traits.tty) {
      // A terminal sees what needs attention as a line of its own, and everything else in the updating line.
      if (explain.length || outcome === 'runbook_defect') this.print([...this.checkLine(outcome, where), ...explain]);
      this.write(`\r\x1b[2K${this.statusLine()}`);
      this.statusShown = true;
    } else {
      this.print([...this.checkLine(outcome, where), ...explain]);
    }
  }

  private denominator(): number {
    return Math.max(this.total || this.collected, this.done);
  }

  private checkLine(outcome: Outcome, where: string): string[] {
    const total = this.denominator();
    const counter = `[${String(this.done).padStart(String(total).length)}/${total}] `;
    const status = outcomeStatus(outcome, { failOnFindings: this.context?.rules.failOnFindings });
    // A terminal would break a long line anywhere: there it is wrapped between words. A log keeps one line per check.
    const lines = this.traits.tty ? wrapText(where, this.traits.width - counter.length - 5, ' '.repeat(counter.length + 5)) : [where];
    lines[0] = `${counter}${this.paint(OUTCOME_COLOUR[outcome], status.mark)} ${lines[0]}`;
    return lines;
  }

  /** "[ 42/206] 40 ok, 1 FAIL, 1 blocked · 6 s, about 21 s left": it never wraps, so it can be redrawn in place. */
  private statusLine(): string {
    const total = this.denominator();
    const ok = (this.tally.get('passed') ?? 0) + (this.tally.get('denied_as_expected') ?? 0);
    const parts = [`${ok} ok`];
    for (const o of OUTCOMES.filter((x) => x !== 'passed' && x !== 'denied_as_expected')) {
      const n = this.tally.get(o);
      if (n) parts.push(this.paint(OUTCOME_COLOUR[o], `${n} ${outcomeStatus(o).short}`));
    }
    const elapsed = this.now() - this.started;
    const running = this.now() - (this.testsStarted ?? this.started);
    const left = this.done && total > this.done ? `, about ${durationWords((running / this.done) * (total - this.done))} left` : '';
    const counter = `[${String(this.done).padStart(String(total).length)}/${total}]`;
    // the longest of these that fits the terminal: a line that wraps could not be redrawn in place
    const candidates = [`${counter} ${parts.join(', ')} · ${durationWords(elapsed)}${left}`, `${counter} ${parts.join(', ')}`, counter];
    return candidates.find((c) => visibleLength(c) < this.traits.width) ?? counter;
  }

  private header(c: RunContext): string[] {
    const width = this.traits.width;
    const defects = c.target.defects?.length ? ` with defects ${c.target.defects.join(', ')}` : '';
    const planned = c.checks.filter((k) => !k.manual).length;
    const lines = wrapText(terminalSafe(`Target: ${c.target.kind} tenant at ${c.target.host}${defects} · seed ${c.seed} (replay with --seed ${c.seed}) · ${plural(c.runbooks.length, 'runbook')} · ${plural(planned, 'check')}`), width, '  ');
    if (c.targetSpec) lines.push(...renderCoverage(keyCoverage(c), { width, compact: true }));
    lines.push('');
    return lines;
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>): Promise<void> {
    if (this.statusShown) this.write('\r\x1b[2K');
    this.statusShown = false;
    const metas = modules.flatMap((m) => [...m.children.allTests()].map((t) => (t.meta() as { gt?: CheckMeta }).gt)).filter((m): m is CheckMeta => !!m);
    const width = this.traits.width;
    const failOnFindings = this.context?.rules.failOnFindings;
    const out: string[] = ['', ...summaryTable(metas, this.context?.runbooks.map((r) => r.id), { failOnFindings, paint: this.paint }).split('\n')];
    const findings = metas.filter((m) => m.outcome === 'runbook_defect');
    if (findings.length) {
      out.push('', `Runbook findings (documentation defects; --fail-on-findings makes them fail the run): ${findings.length}`);
      for (const f of findings) out.push(...wrapText(terminalSafe(`${f.check.product ?? 'cross-cutting'}: ${f.message.split(' | ')[0]}`), width, '    ', '  '));
    }
    const baseline = this.options.baseline ?? readRunOptions().baseline;
    if (baseline) out.push('', ...this.comparisonLines(metas, baseline));
    out.push('');
    const counts = countOutcomes(metas.map((m) => m.outcome));
    const parts = OUTCOMES.filter((o) => counts[o]).map((o) => this.paint(OUTCOME_COLOUR[o], `${counts[o]} ${outcomeWords(o)}`));
    out.push(`${metas.length} checks: ${parts.join(', ')} (${((this.now() - this.started) / 1000).toFixed(1)} s)`);
    const estimated = await this.estimate;
    const exchanges = distinctExchanges(metas.map((m) => ({ id: m.check.id, exchanges: m.exchanges })));
    const sent = sentRequests(exchanges);
    const generated = metas.filter((m) => m.generated).map((m) => m.generated!);
    const requestLine = estimated !== undefined ? requestsWords({ sent, estimated }) : `${sent} requests sent`;
    const negative = generated.length ? negativeWords({ seed: generated[0].seed, routes: generated.length, cases: generated.reduce((n, g) => n + g.cases, 0), requests: generated.reduce((n, g) => n + g.requests, 0) }) : '';
    const created = this.context?.target.kind === 'live' ? createdWords(createdObjects(loadContract(), exchanges)) : '';
    out.push(...wrapText([requestLine, negative, created].filter(Boolean).join(' · '), width, '  '));
    this.print(out);
  }

  private comparisonLines(metas: CheckMeta[], file: string): string[] {
    try {
      const planned = this.context?.checks.map((c) => c.id) ?? [];
      const outcomes = new Map(metas.map((m) => [m.check.id, m.outcome]));
      const checks = [...new Set([...planned, ...outcomes.keys()])].map((id) => ({ id, outcome: outcomes.get(id) ?? ('skipped' as Outcome) }));
      const comparison = compareWithBaseline(checks, loadBaseline(file));
      const lines = wrapText(terminalSafe(`Compared ${comparisonWords(comparison)}`), this.traits.width, '  ');
      if (comparison.new_failures.length) lines.push(...wrapText(terminalSafe(`new failures: ${comparison.new_failures.join(', ')}`), this.traits.width, '    ', '  '));
      return lines;
    } catch (err) {
      return [terminalSafe((err as Error).message)];
    }
  }
}

/** Characters on screen: the text without its colour codes. */
const visibleLength = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').length;

/**
 * Products as rows, routes as columns, each cell the worst outcome of its checks (the same cell outcome as
 * the HTML and Markdown reports), and each product's result ("passed, with 2 findings").
 */
export function summaryTable(metas: CheckMeta[], productOrder: string[] = [], options: { failOnFindings?: boolean; paint?: ReturnType<typeof painter> } = {}): string {
  const paint = options.paint ?? painter(false);
  const present = new Set(metas.map((m) => m.check.route));
  const routes = loadContract().routes.map((r) => r.id).filter((r) => present.has(r));
  const seen = [...new Set(metas.map((m) => m.check.product ?? 'cross-cutting'))];
  const order = (p: string) => (p === 'cross-cutting' ? Infinity : productOrder.indexOf(p) >= 0 ? productOrder.indexOf(p) : productOrder.length);
  const rows = seen.sort((a, b) => order(a) - order(b));
  const header = ['product', 'result', ...routes];
  const table = rows.map((product) => {
    const own = metas.filter((m) => (m.check.product ?? 'cross-cutting') === product);
    const result = product === 'cross-cutting' ? { outcome: aggregateOutcome(own.map((m) => m.outcome)), words: '' } : productStatus({ outcome: aggregateOutcome(own.map((m) => m.outcome)), counts: countOutcomes(own.map((m) => m.outcome)) }, options.failOnFindings);
    const cells = routes.map((route): [string, Outcome | 'none'] => {
      // the cells of the HTML and Markdown matrix: route checks, and the cross-cutting row's own
      const cell = own.filter((m) => m.check.route === route && (m.check.group === 'route' || m.check.group === 'cross-cutting'));
      const outcome = aggregateOutcome(cell.map((m) => m.outcome));
      if (outcome === 'none') return ['-', outcome];
      const verdict = cell[0].check.verdict;
      return [`${verdict ? `${{ native: 'N', gt_extension: 'X', not_supported: 'NS' }[verdict]}:` : ''}${outcomeStatus(outcome).short}`, outcome];
    });
    return [[terminalSafe(product), 'none'], [result.words, result.outcome], ...cells] as Array<[string, Outcome | 'none']>;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i][0].length)));
  const fmt = (r: Array<[string, Outcome | 'none']>) => r.map(([text, o], i) => paint(o === 'none' ? undefined : OUTCOME_COLOUR[o], i === r.length - 1 ? text : text.padEnd(widths[i]))).join('  ');
  const plain = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [plain(header), plain(widths.map((w) => '-'.repeat(w))), ...table.map(fmt), '', 'N native, X gt_extension, NS not_supported'].join('\n');
}
