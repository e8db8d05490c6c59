// conformance-report.md: short enough for a CI step summary (totals, the matrix, what failed and why).
import type { ConformanceReport, ReportCell, ReportCheck } from './report-model.ts';
import { checkName, verdictWords } from './names.ts';
import { staticFindings } from './build.ts';
import { OUTCOMES, outcomeWords } from '../outcome/outcomes.ts';
import { reproduction } from './curl.ts';
import { esc } from './html.ts';
import { markdownSafe, terminalSafe } from './sanitize.ts';
import { comparisonWords, createdWords, negativeWords, productStatus, requestsWords } from './summary.ts';

const MAX_LISTED = 50;
const MAX_MESSAGE = 400;
/** Failed checks shown with their curl reproduction; the HTML report has one for every failed check. */
const MAX_REPRODUCED = 20;

/** Text safe inside a Markdown table cell: no HTML, no table breaks, no code spans, no control characters, one line. */
export function mdEscape(text: string, max = MAX_MESSAGE): string {
  return markdownSafe(text, max);
}

/** A code span that its text cannot end or break out of. */
function code(text: string): string {
  return `\`${terminalSafe(text).replace(/`/g, "'")}\``;
}

function cellText(cell: ReportCell): string {
  if (!cell.verdict && cell.outcome === 'none') return '';
  const verdict = cell.verdict ? `${verdictWords(cell.verdict)}: ` : '';
  return mdEscape(`${verdict}${outcomeWords(cell.outcome)}`);
}

/** A fenced code block whose fence is longer than any run of backticks in the text, so the text cannot end it. */
export function codeBlock(text: string, lang = ''): string[] {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, ...text.split('\n'), fence];
}

function checkLine(check: ReportCheck): string {
  return `- **${mdEscape(checkName(check), 200)}** (${code(check.id)}): ${mdEscape(check.message)}`;
}

export function renderMarkdown(report: ConformanceReport): string {
  const out: string[] = [];
  const status = report.gate.passed ? 'PASSED' : 'FAILED';
  out.push(`## GT conformance: ${status}${report.gate.reasons.length ? ` (${mdEscape(report.gate.reasons.join('; '))})` : ''}`, '');
  out.push(
    `Target ${mdEscape(report.target.kind)} ${code(report.target.host)}` +
      `${report.target.defects?.length ? ` with defects ${mdEscape(report.target.defects.join(', '))}` : ''}` +
      ` · seed ${report.seed} · gt-conformance ${mdEscape(report.harness.version)} · contract ${code(report.contract.digest.slice(0, 12))}` +
      ` · ${mdEscape(report.startedAt)} to ${mdEscape(report.finishedAt)}`,
    '',
  );
  if (report.comparison) out.push(...comparisonSection(report));
  const counts = [report.requests && requestsWords(report.requests), report.negative && negativeWords(report.negative)].filter((x): x is string => !!x);
  if (counts.length) out.push(mdEscape(`${counts.join(' · ')}`), '');

  out.push('| outcome | checks |', '|---|---:|');
  for (const o of OUTCOMES) if (report.counts[o]) out.push(`| ${outcomeWords(o)} | ${report.counts[o]} |`);
  out.push(`| **total** | **${report.counts.total}** |`, '');

  const head = report.routes.map((r) => mdEscape(`${r.number ? `${r.number} ` : ''}${r.id}`));
  out.push('### Products × routes', '');
  out.push(`| product | result | compatibility | preset | ${head.join(' | ')} |`, `|---|---|---|---|${head.map(() => '---').join('|')}|`);
  for (const p of report.products) {
    out.push(`| ${mdEscape(p.product)} | ${mdEscape(productStatus(p, report.gate.failOnFindings).words)} | ${mdEscape(p.compatibility)} | ${mdEscape(p.preset)} | ${p.routes.map(cellText).join(' | ')} |`);
  }
  if (report.crossCutting.checks.length) {
    out.push(`| cross-cutting | | | | ${report.crossCutting.routes.map(cellText).join(' | ')} |`);
  }
  out.push('');

  const section = (title: string, checks: ReportCheck[]) => {
    if (!checks.length) return;
    out.push(`### ${title} (${checks.length})`, '', ...checks.slice(0, MAX_LISTED).map(checkLine));
    if (checks.length > MAX_LISTED) out.push(`- … and ${checks.length - MAX_LISTED} more: see conformance-report.html`);
    out.push('');
  };
  const failed = report.checks.filter((c) => c.outcome === 'failed');
  section('Failed', failed);
  const reproductions = failed.flatMap((c) => {
    const curl = reproduction(c, report);
    return curl ? [{ check: c, curl }] : [];
  });
  if (reproductions.length) {
    out.push('### Reproduce with curl', '');
    for (const { check, curl } of reproductions.slice(0, MAX_REPRODUCED)) {
      out.push(`<details><summary>${esc(checkName(check))}</summary>`, '', ...codeBlock(curl, 'sh'), '', '</details>', '');
    }
    if (reproductions.length > MAX_REPRODUCED) out.push(`… and ${reproductions.length - MAX_REPRODUCED} more: see conformance-report.html`, '');
  }
  section('Waived', report.checks.filter((c) => c.outcome === 'waived'));
  section('Blocked', report.checks.filter((c) => c.outcome === 'blocked'));

  const findingChecks = report.checks.filter((c) => c.group === 'finding');
  const loose = staticFindings({ findings: report.products.flatMap((p) => p.findings) }, report.checks);
  if (findingChecks.length + loose.length) {
    out.push(`### Runbook findings (${findingChecks.length + loose.length})`, '');
    for (const c of findingChecks.slice(0, MAX_LISTED)) out.push(`- ${mdEscape(c.product ?? '')} (${mdEscape(outcomeWords(c.outcome))}): ${mdEscape(c.message)}`);
    for (const f of loose.slice(0, MAX_LISTED)) {
      out.push(`- ${mdEscape(`${f.file}${f.line ? `:${f.line}` : ''}`)}: ${mdEscape(f.message)}${f.fix ? ` Fix: ${mdEscape(f.fix)}` : ''}`);
    }
    out.push('');
  }
  const manual = report.products.reduce((n, p) => n + p.validation.filter((v) => v.outcome === 'manual').length, 0);
  if (manual) out.push(`${manual} checklist items are manual: see conformance-report.html.`, '');
  if (report.keyCoverage) out.push(...coverageSection(report.keyCoverage));
  if (report.created && report.target.kind === 'live') out.push(...createdSection(report.created));
  if (report.errors.length) {
    out.push(`### Run errors (${report.errors.length})`, '', ...report.errors.slice(0, MAX_LISTED).map((e) => `- ${mdEscape(e)}`), '');
  }
  return out.join('\n');
}

/** What a live run left on the tenant, for the operator to find and remove. */
function createdSection(created: NonNullable<ConformanceReport['created']>): string[] {
  const out = [`### Created on the tenant (${created.length})`, '', mdEscape(`The run ${createdWords(created)}.`), ''];
  out.push(...created.slice(0, MAX_LISTED).map((c) => `- ${c.object} ${code(c.id)}${c.name ? ` ${code(c.name)}` : ''} (${mdEscape(c.route)})`));
  if (created.length > MAX_LISTED) out.push(`- … and ${created.length - MAX_LISTED} more: see conformance-report.json (created)`);
  return [...out, ''];
}

/** What changed since the baseline, first thing after the header: the new failures by name, the rest as ids. */
function comparisonSection(report: ConformanceReport): string[] {
  const c = report.comparison!;
  const byId = new Map(report.checks.map((x) => [x.id, x]));
  const out = [`### Against the baseline`, '', mdEscape(`Compared ${comparisonWords(c)}`), ''];
  if (c.new_failures.length) {
    out.push(`**New failures (${c.new_failures.length})**`, '');
    out.push(...c.new_failures.slice(0, MAX_LISTED).map((id) => (byId.has(id) ? checkLine(byId.get(id)!) : `- ${code(id)}`)));
    if (c.new_failures.length > MAX_LISTED) out.push(`- … and ${c.new_failures.length - MAX_LISTED} more: see conformance-report.json (comparison.new_failures)`);
    out.push('');
  }
  const ids = (title: string, list: string[]) => {
    if (!list.length) return;
    out.push(`<details><summary>${esc(title)} (${list.length})</summary>`, '', ...list.slice(0, MAX_LISTED).map((id) => `- ${code(id)}`));
    if (list.length > MAX_LISTED) out.push(`- … and ${list.length - MAX_LISTED} more`);
    out.push('', '</details>', '');
  };
  ids('Fixed', c.fixed);
  ids('Still failing', c.still_failing);
  ids('New checks', c.new_checks);
  ids('Removed checks', c.removed_checks);
  return out;
}

/** The keys and what they serve, collapsed: the keys that serve nothing and the skipped checks stay in view. */
function coverageSection(coverage: NonNullable<ConformanceReport['keyCoverage']>): string[] {
  if (!coverage.keys.length && !coverage.skipped.length) return [];
  const idle = coverage.keys.filter((k) => k.checks === 0);
  const out = ['### Keys', ''];
  if (idle.length) out.push(`Serve nothing in this run: ${idle.map((k) => code(k.key)).join(', ')}`, '');
  out.push('<details><summary>What each key serves</summary>', '', '| key | preset | purpose | checks | serves |', '|---|---|---|---:|---|');
  for (const k of coverage.keys) {
    out.push(`| ${mdEscape(k.key)} | ${mdEscape(k.preset ?? '')} | ${mdEscape(k.purpose)}${k.revoked ? ' (revoked)' : ''} | ${k.checks} | ${mdEscape(k.serves.map((u) => `${u.kind} ${u.checks}`).join(', ') || 'nothing')} |`);
  }
  out.push('', '</details>', '');
  for (const group of coverage.skipped.slice(0, MAX_LISTED)) out.push(`- skipped (${group.checks.length}): ${mdEscape(group.reason)}`);
  if (coverage.skipped.length) out.push('');
  return out;
}
