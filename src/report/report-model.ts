// The conformance report: what reporters/conformance-reporter.ts writes as conformance-report.json (schemaVersion 1).
// reporters/conformance-report.schema.json is its JSON Schema; keep the two in step.
import type {
  CheckGroup,
  Exchange,
  Finding,
  GtObject,
  Outcome,
  RunbookSummary,
  Severity,
  Verdict,
} from '../model.ts';

export const REPORT_SCHEMA_VERSION = 1 as const;

import type { OutcomeCounts } from '../outcome/outcomes.ts';
import type { GateMode } from '../outcome/verdict.ts';
import type { KeyCoverage } from './coverage.ts';

export type { OutcomeCounts, GateMode, KeyCoverage };

/** What the negative group generated for one route's check (src/probes/negative.ts), or for the whole run. */
export interface GeneratedCases {
  seed: number;
  cases: number;
  requests: number;
}

/** This run against an earlier report (--baseline): check ids. */
export interface ReportComparison {
  baseline: { file: string; startedAt?: string; harnessVersion?: string };
  /** failed now, and not in the baseline (a new check that fails is new too) */
  new_failures: string[];
  /** failed in the baseline, passed (or denied as expected) now */
  fixed: string[];
  /** failed in both */
  still_failing: string[];
  /** in this run's plan, not in the baseline's */
  new_checks: string[];
  /** in the baseline's, not in this run's plan */
  removed_checks: string[];
}

/** One check of the plan with what happened to it. */
export interface ReportCheck {
  id: string;
  group: CheckGroup;
  product?: string;
  route?: string;
  verdict?: Verdict;
  title: string;
  severity: Severity;
  outcome: Outcome;
  message: string;
  /** false when no test reported this check in this run (filtered out, or the run stopped early) */
  ran: boolean;
  keyPreset?: string;
  /** the env var holding the secret of the check's key: the target's secret_env, or GT_KEY_<NAME> for the embedded tenant */
  keyEnv?: string;
  waiver?: { reason: string; expires: string };
  /** when the check's test started (ISO 8601) */
  startedAt?: string;
  durationMs?: number;
  /** the negative group's check: the cases it generated and the requests they took */
  generated?: GeneratedCases;
  exchanges: Exchange[];
}

/** One cell of the products × routes matrix. */
export interface ReportCell {
  route: string;
  /** absent: the product's runbook does not mention the route */
  verdict?: Verdict;
  integration?: string;
  requiresScope?: string;
  /** the cell's checks aggregated (see aggregateOutcome); 'none' when the cell has no check */
  outcome: Outcome | 'none';
  checks: string[];
}

export interface ReportValidationItem {
  text: string;
  /** the item's machine checks, comma-separated */
  check?: string;
  checkId?: string;
  /** every check of an item that asks for several things */
  checkIds?: string[];
  /** 'manual' for items a person has to verify */
  outcome: Outcome;
  message: string;
}

export interface ReportFinding extends Finding {
  outcome: 'runbook_defect';
}

export interface ReportProduct extends Omit<RunbookSummary, 'routes' | 'checklist'> {
  outcome: Outcome | 'none';
  counts: OutcomeCounts;
  routes: ReportCell[];
  validation: ReportValidationItem[];
  findings: ReportFinding[];
  checks: string[];
}

export interface ReportRoute {
  id: string;
  number?: string;
  title?: string;
}

export interface ConformanceReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  harness: { name: 'gt-conformance'; version: string };
  contract: { digest: string };
  runbooks: Array<{ id: string; file: string; digest: string }>;
  target: { kind: 'embedded' | 'live'; host: string; defects?: string[]; profile?: string };
  seed: number;
  strict: boolean;
  startedAt: string;
  finishedAt: string;
  /** whether the run passes its gate, and why not; mode: --gate (absent: any) */
  gate: { passed: boolean; failOnFindings: boolean; mode?: GateMode; waivers?: string; reasons: string[] };
  /** this run against --baseline */
  comparison?: ReportComparison;
  /** requests sent (the distinct exchanges of the run's checks that reached the network) beside the plan's estimate */
  requests?: { sent: number; estimated: number };
  /** each key of the target with what it serves, and the checks skipped with why */
  keyCoverage?: KeyCoverage;
  /** the negative group of the run: its seed (replay with --seed), the cases it generated and the requests they took */
  negative?: GeneratedCases & { routes: number };
  /** every object the run created on the tenant (src/report/created.ts): what an operator removes after a live run */
  created?: CreatedObject[];
  routes: ReportRoute[];
  counts: OutcomeCounts;
  products: ReportProduct[];
  crossCutting: { routes: ReportCell[]; checks: string[] };
  checks: ReportCheck[];
  /** problems of the run itself: tests without check metadata, unhandled errors (redacted) */
  errors: string[];
}

/** An object a run created on the tenant (src/report/created.ts). */
export interface CreatedObject {
  object: GtObject;
  id: string;
  /** the file name or conversation title the answer gives, when it gives one */
  name?: string;
  /** the route it was created through, as METHOD path */
  route: string;
  /** the checks whose evidence holds the exchange */
  checks: string[];
}
