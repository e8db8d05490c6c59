// The conformance report: what reporters/conformance-reporter.ts writes as conformance-report.json (schemaVersion 1).
// reporters/conformance-report.schema.json is its JSON Schema; keep the two in step.
import type {
  CheckGroup,
  Exchange,
  Finding,
  Outcome,
  RunbookSummary,
  Severity,
  Verdict,
} from '../model.ts';

export const REPORT_SCHEMA_VERSION = 1 as const;

import type { OutcomeCounts } from '../outcome/outcomes.ts';

export type { OutcomeCounts };

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
  durationMs?: number;
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
  /** whether the run passes its gate, and why not */
  gate: { passed: boolean; failOnFindings: boolean; waivers?: string; reasons: string[] };
  routes: ReportRoute[];
  counts: OutcomeCounts;
  products: ReportProduct[];
  crossCutting: { routes: ReportCell[]; checks: string[] };
  checks: ReportCheck[];
  /** problems of the run itself: tests without check metadata, unhandled errors (redacted) */
  errors: string[];
}
