// --baseline PATH: an earlier conformance-report.json, read before anything is sent, and the run compared
// with it (which failures are new, fixed, still there; which checks came and went). The gate's use of it is
// src/outcome/verdict.ts's (newFailures, --gate regressions).
import { yaml } from '../input/lazy-libraries.ts';
import type { Outcome } from '../model.ts';
import type { ReportComparison } from './report-model.ts';
import { readInputFile } from '../input/read-file.ts';
import { UsageError } from '../input/usage-error.ts';
import { SourcePositions, type PathSegment } from '../input/positions.ts';
import { newFailures } from '../outcome/verdict.ts';
import { OUTCOMES } from '../outcome/outcomes.ts';

/** The most of a baseline the harness reads; a report of every check with its evidence is a few MiB. */
const MAX_BASELINE_BYTES = 256 * 1024 * 1024;
/** Past this, a shape problem is not worth a YAML parse for its line: it is reported at 1:1. */
const MAX_LOCATED_BYTES = 16 * 1024 * 1024;

export interface Baseline {
  file: string;
  startedAt?: string;
  harnessVersion?: string;
  checks: Array<{ id: string; outcome: Outcome }>;
}

/** Where in the text a V8 JSON.parse message puts the error (Node 20 gives "at position N" for most, context for some). */
function jsonErrorOffset(message: string, text: string): number {
  const at = /at position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  if (/Unexpected end of JSON input/.test(message)) return text.length;
  // "Unexpected token 'x', ..."ctx"... is not valid JSON": the context is 10 characters either side of the token.
  const ctx = /^Unexpected token '(.)', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message);
  if (ctx) {
    const [, token, before, snippet] = ctx;
    const start = text.indexOf(snippet);
    if (start >= 0) return before ? start + 10 : start + Math.max(0, snippet.indexOf(token));
  }
  return 0;
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

/** The line:column of a path in the JSON text (JSON is YAML, so the yaml parser knows where each value is). */
function positionOf(text: string, path: PathSegment[]): string {
  if (text.length > MAX_LOCATED_BYTES || path.length === 0) return '1:1';
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const { line, column } = new SourcePositions(doc, lines).of(path);
  return `${line}:${column}`;
}

const NOT_A_REPORT = 'want the conformance-report.json an earlier gt-conformance run wrote';

/** Reads a baseline, or throws one positioned UsageError line (`FILE:LINE:COL: what`): missing, not JSON, not a report. */
export function loadBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readInputFile(file, MAX_BASELINE_BYTES).toString('utf8');
  } catch (err) {
    // "FILE: file not found" → "FILE: --baseline: file not found"
    throw new UsageError((err as Error).message.replace(`${file}: `, `${file}: --baseline: `));
  }
  const problem = (path: PathSegment[], what: string) => new UsageError(`${file}:${positionOf(text, path)}: --baseline: ${what}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}:${lineColumn(text, jsonErrorOffset((err as Error).message, text))}: --baseline: not JSON (${(err as Error).message}); ${NOT_A_REPORT}`);
  }
  const report = data as { schemaVersion?: unknown; harness?: { name?: unknown; version?: unknown }; startedAt?: unknown; checks?: unknown };
  if (!report || typeof report !== 'object' || Array.isArray(report)) throw problem([], `not a conformance report (not a JSON object); ${NOT_A_REPORT}`);
  if (report.harness?.name !== 'gt-conformance') throw problem(['harness'], `not a conformance report (no harness.name "gt-conformance"); ${NOT_A_REPORT}`);
  if (report.schemaVersion !== 1) throw problem(['schemaVersion'], `a report of schemaVersion ${JSON.stringify(report.schemaVersion)}, but this harness reads schemaVersion 1`);
  if (!Array.isArray(report.checks)) throw problem(['checks'], `not a conformance report (no checks list); ${NOT_A_REPORT}`);
  const checks = report.checks.map((c: unknown, i: number) => {
    const check = c as { id?: unknown; outcome?: unknown };
    if (typeof check?.id !== 'string' || check.id === '') throw problem(['checks', i], 'a check without an id');
    if (!OUTCOMES.includes(check.outcome as Outcome)) throw problem(['checks', i, 'outcome'], `check ${check.id}: unknown outcome ${JSON.stringify(check.outcome)}`);
    return { id: check.id, outcome: check.outcome as Outcome };
  });
  return {
    file,
    ...(typeof report.startedAt === 'string' ? { startedAt: report.startedAt } : {}),
    ...(typeof report.harness.version === 'string' ? { harnessVersion: report.harness.version } : {}),
    checks,
  };
}

/** The ids of the checks that failed in the baseline. */
export function failedIn(baseline: Baseline | undefined): Set<string> {
  return new Set((baseline?.checks ?? []).filter((c) => c.outcome === 'failed').map((c) => c.id));
}

/**
 * This run against the baseline, by check id: failed now and not before (new_failures), failed before and
 * passed now (fixed: passed or denied as expected), failed both times (still_failing), and the checks only
 * one of them has. A check that failed before and did not run now (skipped, blocked, not run) is in none of
 * the failure lists: this run says nothing about it.
 */
export function compareWithBaseline(checks: ReadonlyArray<{ id: string; outcome: Outcome }>, baseline: Baseline): ReportComparison {
  const before = new Map(baseline.checks.map((c) => [c.id, c.outcome]));
  const now = new Set(checks.map((c) => c.id));
  const failedBefore = failedIn(baseline);
  return {
    baseline: { file: baseline.file, ...(baseline.startedAt ? { startedAt: baseline.startedAt } : {}), ...(baseline.harnessVersion ? { harnessVersion: baseline.harnessVersion } : {}) },
    new_failures: newFailures(checks, failedBefore).map((c) => c.id),
    fixed: checks.filter((c) => failedBefore.has(c.id) && (c.outcome === 'passed' || c.outcome === 'denied_as_expected')).map((c) => c.id),
    still_failing: checks.filter((c) => c.outcome === 'failed' && failedBefore.has(c.id)).map((c) => c.id),
    new_checks: checks.filter((c) => !before.has(c.id)).map((c) => c.id),
    removed_checks: baseline.checks.filter((c) => !now.has(c.id)).map((c) => c.id),
  };
}
