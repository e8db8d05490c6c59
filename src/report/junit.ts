// JUnit XML from the conformance report: one testcase per check (and per runbook finding), one testsuite per product.
import type { ConformanceReport, ReportCheck, ReportFinding } from './report-model.ts';
import { CROSS_CUTTING_ROW, staticFindings } from './build.ts';
import { checkName } from './names.ts';
import { outcomeStatus } from '../outcome/status.ts';
import { reproduction } from './curl.ts';

// XML 1.0 forbids most control characters even when escaped.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attr = (name: string, value: string | number) => `${name}="${xmlEscape(String(value))}"`;
const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

interface Case {
  name: string;
  classname: string;
  time: number | undefined;
  /** epoch ms, when known */
  start?: number;
  properties: Array<[string, string]>;
  result: { kind: 'failure' | 'skipped' | 'passed'; message: string; body?: string };
}

export function renderJunit(report: ConformanceReport): string {
  const suites = new Map<string, Case[]>();
  const add = (suite: string, c: Case) => suites.set(suite, [...(suites.get(suite) ?? []), c]);
  for (const check of report.checks) add(check.product ?? CROSS_CUTTING_ROW, checkCase(check, report.gate.failOnFindings, reproduction(check, report)));
  for (const finding of staticFindings({ findings: report.products.flatMap((p) => p.findings) }, report.checks)) {
    add(finding.product, findingCase(finding, report.gate.failOnFindings));
  }

  const tally = (cases: Case[]) => ({
    tests: cases.length,
    failures: cases.filter((c) => c.result.kind === 'failure').length,
    skipped: cases.filter((c) => c.result.kind === 'skipped').length,
    time: wallTime(cases),
  });
  const all = [...suites.values()].flat();
  // The checks run concurrently: the run's time is its wall time, never the sum of its checks'.
  const total = { ...tally(all), time: Math.max(0, Date.parse(report.finishedAt) - Date.parse(report.startedAt)) || wallTime(all) };
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attr('name', 'gt-conformance')} ${attr('tests', total.tests)} ${attr('failures', total.failures)} ${attr('errors', 0)} ${attr('skipped', total.skipped)} ${attr('time', seconds(total.time))} ${attr('timestamp', report.startedAt)}>`,
  ];
  for (const [suite, cases] of suites) {
    const t = tally(cases);
    lines.push(
      `  <testsuite ${attr('name', suite)} ${attr('tests', t.tests)} ${attr('failures', t.failures)} ${attr('errors', 0)} ${attr('skipped', t.skipped)} ${attr('time', seconds(t.time))} ${attr('timestamp', report.startedAt)} ${attr('hostname', report.target.host)}>`,
    );
    for (const c of cases) lines.push(...caseXml(c));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function checkCase(check: ReportCheck, failOnFindings: boolean, curl?: string): Case {
  const properties: Array<[string, string]> = [
    ['check', check.id],
    ['outcome', check.outcome],
    ['severity', check.severity],
  ];
  if (check.keyPreset) properties.push(['key preset', check.keyPreset]);
  if (check.waiver) properties.push(['waiver', `${check.waiver.expires}: ${check.waiver.reason}`]);
  const exchanges = check.exchanges.map((e) => `${e.request.method} ${e.request.url} -> ${e.response?.status ?? e.error ?? 'no response'}`);
  const body = exchanges.length ? [...exchanges, ...(curl ? ['', 'Reproduce:', curl] : [])].join('\n') : undefined;
  const status = outcomeStatus(check.outcome, { failOnFindings });
  const words = check.outcome === 'runbook_defect' && status.junit === 'skipped' ? 'runbook defect (not gating)' : status.words;
  const result: Case['result'] = status.junit === 'failure' ? { kind: 'failure', message: check.message, body } : { kind: status.junit, message: `${words}: ${check.message}` };
  const start = check.startedAt ? Date.parse(check.startedAt) : undefined;
  return { name: checkName(check), classname: check.product ?? CROSS_CUTTING_ROW, time: check.durationMs, ...(start !== undefined ? { start } : {}), properties, result };
}

/** The span from the first start to the last end of cases that ran concurrently; the sum when starts are unknown. */
function wallTime(cases: Case[]): number {
  const timed = cases.filter((c) => c.start !== undefined);
  if (!timed.length) return cases.reduce((s, c) => s + (c.time ?? 0), 0);
  return Math.max(...timed.map((c) => c.start! + (c.time ?? 0))) - Math.min(...timed.map((c) => c.start!));
}

function findingCase(finding: ReportFinding, failOnFindings: boolean): Case {
  const where = `${finding.file}${finding.line ? `:${finding.line}` : ''}`;
  const message = `${finding.message}${finding.fix ? ` (fix: ${finding.fix})` : ''}`;
  return {
    name: `${finding.product} › runbook finding › ${where}`,
    classname: finding.product,
    time: 0,
    properties: [['outcome', 'runbook_defect']],
    result: failOnFindings ? { kind: 'failure', message } : { kind: 'skipped', message: `runbook defect (not gating): ${message}` },
  };
}

function caseXml(c: Case): string[] {
  const out = [`    <testcase ${attr('name', c.name)} ${attr('classname', c.classname)} ${attr('time', seconds(c.time))}>`];
  out.push('      <properties>', ...c.properties.map(([n, v]) => `        <property ${attr('name', n)} ${attr('value', v)}/>`), '      </properties>');
  if (c.result.kind === 'failure') {
    out.push(`      <failure ${attr('message', c.result.message)} ${attr('type', 'failed')}>${xmlEscape(c.result.body ?? c.result.message)}</failure>`);
  } else if (c.result.kind === 'skipped') {
    out.push(`      <skipped ${attr('message', c.result.message)}/>`);
  } else {
    out.push(`      <system-out>${xmlEscape(c.result.message)}</system-out>`);
  }
  out.push('    </testcase>');
  return out;
}
