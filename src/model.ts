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

/** GT's stateful objects: a route creates one, reads one back, or works inside a conversation. */
export type GtObject = 'conversation' | 'file';

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
  /** the object the route makes; its answer carries the new id */
  creates?: GtObject;
  /** the object the route reads back by the id in its path */
  reads?: GtObject;
  /** whether the route takes X-GT-Conversation-Id */
  conversation?: 'optional' | 'required';
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
  requires_scope?: string; // a conditional verdict: "when embed scope on key", "not default unless configured with the image scope"
}

export interface AlternativePreset {
  preset: string; // Preset.id
  workflow: string;
  /** the routes of that workflow; absent: any route the recommended preset cannot serve */
  routes?: string[];
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
  | 'stream-reaches-client'
  | 'chat-hides-provider-ids'; // a chat completion names the published alias, never a raw provider model id

export interface ChecklistItem {
  text: string;
  /** absent: manual; a list where one item asks for several things ("chat and embedding nodes succeed") */
  check?: MachineCheck | MachineCheck[];
}

/** The machine checks of a checklist item, in the order the runbook gives them. */
export function machineChecksOf(item: ChecklistItem): MachineCheck[] {
  return item.check === undefined ? [] : Array.isArray(item.check) ? item.check : [item.check];
}

export interface Runbook {
  id: string;
  product: string;
  compatibility: Compatibility;
  category: Category;
  preset: string; // Preset.id
  /** other presets the runbook names for a workflow of its own */
  alternative_presets?: AlternativePreset[];
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
  /** false: the key may hold more than `scopes` (its linked keys are not listed), so it is never said to lack one */
  scopesKnown?: boolean;
  models: string[]; // allowlisted published names
  /** false: the target file does not give the key's whole allowlist (no models, or a list per route that leaves out a route the key may call) */
  modelsKnown?: boolean;
  /** the published names that serve each route, where the target file or seed says so (else `models` serve all) */
  modelsByRoute?: Record<string, string[]>;
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
  /** false: the run may create nothing on the tenant (no upload, no conversation): a live target without writes: allowed */
  writes?: boolean;
  /** a dataset id that exists on no key's allowlist */
  foreignDataset?: string;
  /** a file the tenant refuses or fails to process (the target file's or seed's failing_upload); absent: an empty file */
  failingUpload?: FailingUpload;
}

/** A sample upload that must fail: GT documents no content that fails processing, so the operator names one. */
export interface FailingUpload {
  /** where the sample is on this machine (absolute) */
  file: string;
  /** what it is uploaded as */
  filename: string;
  contentType: string;
  /** what the tenant must do with it: refuse it at upload (4xx), or end it failed with a reason; absent: either */
  expect?: 'refused' | 'failed';
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

/** A probe's kind: what it sends and how it judges the answers (src/probes). */
export type ProbeKindName =
  | 'call'
  | 'denied'
  | 'unauthorized'
  | 'lowercase-bearer'
  | 'hidden-model'
  | 'foreign-dataset'
  | 'foreign-conversation'
  | 'unknown-conversation'
  | 'bad-request'
  | 'create'
  | 'upload'
  | 'poll'
  | 'failed-upload'
  | 'conversation'
  | 'served'
  | 'documented-call'
  | 'negative'
  | 'model-names';

export interface ProbeParams {
  /** a variant of the kind (bad-request: malformed-json, missing-field, missing-header), part of the probe id */
  variant?: string;
  /** call: replay this client profile's requests (fixtures/clients/<id>.yaml) */
  profile?: string;
  /** call via ai-sdk: which provider package */
  aiSdkProvider?: 'openai' | 'openai-compatible';
  /** served: the documented path and method */
  path?: string;
  method?: string;
  /** documented-call: the product's name, for the finding's words */
  product?: string;
  /** negative: the generated cases to send */
  cases?: number;
}

export interface Probe {
  id: string; // stable, e.g. chat:call:openai-chat
  route: string;
  kind: ProbeKindName;
  key: string | SpecialKey; // TargetKey.name or a special key
  keyPreset?: string; // for messages: the preset of the key, never the secret
  expect: ExpectKind;
  driver: DriverId;
  params?: ProbeParams;
  dependsOn?: string[]; // probe ids whose output this probe needs
}

export type CheckGroup = 'route' | 'validation' | 'cross-cutting' | 'finding';
export type Severity = 'blocker' | 'critical' | 'normal' | 'minor';

export interface Check {
  id: string; // unique in the plan, stable across runs: product/route/kind
  /** the check kind (src/kinds) that made it */
  kind: string;
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
  /** cannot run against this target, with why and what would enable it */
  skip?: string;
  /** a manual checklist item, listed but not run */
  manual?: boolean;
  /** a runbook finding known before the run (group 'finding') */
  finding?: Finding;
  /** which key the check uses and why, when it is not the product's own preset key */
  keyNote?: string;
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

/**
 * not_run: the run stopped before the probe (its budget or deadline); never a failure of the tenant.
 * not_exercised: no problem, but the answer could not show what the probe is for (an empty file processed to ready).
 */
export type ProbeStatus = 'passed' | 'failed' | 'blocked' | 'skipped' | 'not_run' | 'not_exercised';

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
  | 'not_run'
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

/** What a run is: written once per run to <outDir>/run-context.json, read by the suites' workers and the reporters. */
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
  /** the plan's probes: every process of the run runs them as planned, without planning again */
  probes: Probe[];
  /** the requests the plan's probes send, as their kinds estimate them (src/plan/estimate.ts) */
  estimatedRequests?: number;
  /** the target as planned against: base URL, keys, allowlists, env var names; never a secret */
  targetSpec: Target;
  limits: RunLimits;
  /** what the checks' outcomes are settled by: --fail-on-findings and the waiver file */
  rules: { failOnFindings: boolean; waivers?: string };
  /** names every object the run creates on the tenant (file names and titles carry it) */
  runId: string;
  /** a shard of a sharded run: "i/n" */
  shard?: string;
  /** a live target's preflight: one request per key before the matrix */
  preflight?: { requests: number; keys: Record<string, string> };
}

/** The limits of one run: from the flags, else the target file, else the defaults (src/run/options.ts). */
export interface RunLimits {
  concurrency: number;
  timeoutMs: number;
  pollDeadlineMs: number;
  runDeadlineMs: number;
  budget: number;
  /** stop once this many probes failed (--max-failures) */
  maxFailures?: number;
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
  /** the negative group's check: what its probe generated (src/probes/negative.ts) */
  generated?: { seed: number; cases: number; requests: number };
}
