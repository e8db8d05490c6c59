// The domain types every stage shares: contract, runbook, target, plan, results.
// Stages: runbooks × contract × target → plan (probes + checks) → results → reports.

// ---------- contract (fixtures/contract) ----------

export type Purpose = 'inference' | 'upload' | 'conversation';
export type HttpMethod = 'GET' | 'POST';

export interface RouteNeeds {
  purposes: Purpose[];
  scope?: string;
  model?: boolean;
  dataset?: boolean;
  header?: string;
  owner?: boolean;
}

export interface RouteSpec {
  id: string; // slug used by runbooks: models, chat, embeddings, ...
  number: string; // R1..R10
  title: string;
  method: HttpMethod;
  path: string; // relative to the tenant base URL, e.g. /v1/files/{id}
  aliases?: string[];
  content_type: 'none' | 'json' | 'multipart';
  kind: 'openai' | 'gt_extension';
  operation_id: string;
  optional_headers?: string[];
  response_headers?: string[];
  needs: RouteNeeds;
}

export interface Preset {
  id: string;
  name: string;
  purpose: Purpose;
  scopes: string[];
  links?: Purpose[];
  note?: string;
}

export interface Contract {
  basePath: string; // /api/tenant
  routes: RouteSpec[];
  presets: Preset[];
  scopes: string[]; // every known scope
  openapi: Record<string, unknown>;
  digest: string; // sha256 of the contract files
}

// ---------- runbooks (runbooks/*.yaml) ----------

export type Verdict = 'native' | 'gt_extension' | 'not_supported';
export type Compatibility =
  | 'Native OpenAI-compatible'
  | 'Guided OpenAI-compatible setup'
  | 'OpenAI plus GT extensions';
export type Category =
  | 'SDK and HTTP'
  | 'Workflow and builders'
  | 'Framework and orchestration'
  | 'Developer tooling';
export type DriverId = 'http' | 'openai' | 'ai-sdk' | 'langchain';

export interface RouteRow {
  route: string; // RouteSpec.id
  verdict: Verdict;
  integration: string; // how the client integrates
  requires_scope?: string; // a conditional verdict: "when embed scope on key"
}

export interface ConfigField {
  name: string;
  value: string; // template, e.g. https://<tenant-host>/api/tenant
  role?: 'base_url' | 'api_key' | 'model' | 'other';
}

export type MachineCheck =
  | 'models-match-allowlist' // model list matches the key's allowlist, leaks nothing
  | 'chat-with-alias' // list models and complete chat with a published alias
  | 'embeddings-with-alias'
  | 'upload-reaches-ready' // upload + poll reaches ready
  | 'revoked-key-fails-closed'
  | 'conversation-continuity' // follow-up turns reuse the conversation id
  | 'conversation-upload-ready'
  | 'stream-reaches-client';

export interface ChecklistItem {
  text: string;
  check?: MachineCheck; // absent: manual
}

export interface Runbook {
  id: string;
  product: string;
  compatibility: Compatibility;
  category: Category;
  preset: string; // Preset.id
  evidence: string;
  summary: string;
  driver: DriverId;
  client_profile?: string; // fixtures/clients/<id>.yaml
  docs: string[];
  configuration: ConfigField[];
  routes: RouteRow[];
  not_supported: string[];
  prerequisites: string[];
  setup: string[];
  caveats: string[];
  checklist: ChecklistItem[];
}

/** A runbook as loaded: where it came from, for positioned messages. */
export interface LoadedRunbook {
  file: string; // path as given, e.g. runbooks/dify.yaml
  digest: string; // sha256 of the file bytes
  runbook: Runbook;
  /** line (1-based) of a JSON path such as routes[3].verdict, when known */
  lineOf(path: string): number | undefined;
}

/** One problem in an input file: rendered as `file:line:col: path: message`. */
export interface InputError {
  file: string;
  line?: number;
  column?: number;
  path?: string;
  message: string;
}

// ---------- target ----------

export interface TargetKey {
  name: string; // e.g. openai-chat, openai-chat+embed, revoked, other-family
  preset?: string;
  purpose: Purpose;
  scopes: string[];
  models: string[]; // allowlisted published names
  datasets: string[]; // allowlisted dataset ids
  hidden_models: string[]; // published names this key must not see
  family: string; // keys linked together share a family
  revoked?: boolean;
  secret_env?: string; // live targets: env var holding the secret
}

export interface Target {
  kind: 'embedded' | 'live';
  baseUrl: string; // https://host/api/tenant (no /v1)
  keys: TargetKey[];
  /** routes the operator allows the run to call; undefined = all */
  allowedRoutes?: string[];
  uploads: boolean;
  /** a dataset id that exists on no key's allowlist */
  foreignDataset?: string;
}

/** Secrets never live on Target (which is printed and serialised into reports). */
export interface SecretSource {
  secretOf(keyName: string): string | undefined;
}

// ---------- plan ----------

export type ExpectKind =
  | 'success' // 2xx and the answer matches the contract
  | 'denied' // 401/403/404 as the contract allows, error body valid
  | 'unauthorized' // 401
  | 'bad_request' // 400/422, never 5xx
  | 'ready' // upload reaches ready on both status paths
  | 'failed_with_reason' // an undecodable upload reaches failed with a reason
  | 'served'; // a documented-configuration URL is answered (finding probe)

export type SpecialKey = '@none' | '@malformed' | '@unknown';

export interface Probe {
  id: string; // stable, e.g. chat:success:openai-chat:http
  route: string;
  action: string; // name of the action that performs it (src/engine/actions)
  key: string | SpecialKey; // TargetKey.name or a special key
  keyPreset?: string; // for messages: the preset of the key, never the secret
  expect: ExpectKind;
  driver: DriverId;
  params?: Record<string, unknown>;
  dependsOn?: string[]; // probe ids whose output this probe needs
  /** set by the planner when the probe cannot run against this target */
  skip?: string;
}

export type CheckGroup = 'route' | 'validation' | 'cross-cutting' | 'finding';
export type Severity = 'blocker' | 'critical' | 'normal' | 'minor';

export interface Check {
  id: string; // unique in the plan, stable across runs: product/route/kind
  group: CheckGroup;
  product?: string; // Runbook.id; absent for cross-cutting checks
  route?: string;
  verdict?: Verdict;
  title: string; // what it asserts, in words
  probes: string[]; // Probe ids; the check passes when all pass
  severity: Severity;
  /** the check passes when the tenant refuses: reported as "denied as expected" */
  denial?: boolean;
  /** not exercised, with why (e.g. the preset holds the scope anyway) */
  notExercised?: string;
  /** a manual checklist item, listed but not run */
  manual?: boolean;
  /** a runbook finding known before the run (group 'finding') */
  finding?: Finding;
}

export interface Finding {
  product: string;
  file: string;
  line?: number;
  message: string;
  fix?: string;
}

export interface Plan {
  probes: Probe[];
  checks: Check[];
  findings: Finding[];
}

// ---------- results ----------

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>; // redacted
  body?: string; // redacted, truncated
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body?: string; // redacted, truncated; binary bodies summarised
  bytes: number;
}

export interface Exchange {
  label: string; // what this exchange was for
  request: RecordedRequest;
  response?: RecordedResponse;
  error?: string;
  startedAt: string;
  durationMs: number;
}

export type ProbeStatus = 'passed' | 'failed' | 'blocked' | 'skipped';

export interface ProbeResult {
  probeId: string;
  status: ProbeStatus;
  message: string; // what was seen; names route and key preset, never a secret
  exchanges: Exchange[];
  /** values dependants need, e.g. { fileId } or { conversationId } */
  output?: Record<string, unknown>;
  /** differences a --strict profile would flag (open points where the tenant chose another option) */
  strictNotes?: string[];
}

export type Outcome =
  | 'passed'
  | 'denied_as_expected'
  | 'failed'
  | 'blocked'
  | 'not_exercised'
  | 'skipped'
  | 'waived'
  | 'manual'
  | 'runbook_defect';

export interface CheckResult {
  checkId: string;
  outcome: Outcome;
  message: string;
  exchanges: Exchange[];
}

// ---------- run context and report hand-off ----------

/** What a run was: written by the suites' global setup to <outDir>/run-context.json, read by the reporters. */
/** A runbook as a run records it: what it is, where it came from, what it says. */
export interface RunbookSummary {
  id: string;
  product: string;
  file: string;
  digest: string;
  compatibility: Compatibility;
  category: Category;
  preset: string;
  driver: DriverId;
  routes: RouteRow[];
  checklist: ChecklistItem[];
}

export interface RunContext {
  harnessVersion: string;
  contractDigest: string;
  runbooks: RunbookSummary[];
  target: { kind: 'embedded' | 'live'; host: string; defects?: string[]; profile?: string };
  seed: number;
  strict: boolean;
  startedAt: string;
  findings: Finding[];
  /** every check of the plan, so a report can show checks that did not run (filtered, shard) */
  checks: Check[];
}

/** Attached by each conformance test to its vitest task as task.meta.gt. */
export interface CheckMeta {
  check: Check;
  outcome: Outcome;
  message: string;
  exchanges: Exchange[];
  keyPreset?: string;
  /** the env var that holds the secret of the check's key (a reproduction command names it, never the secret) */
  keyEnv?: string;
  waiver?: { reason: string; expires: string };
}
