// What a check kind is: one typed declaration, the only place that says what checks of that kind assert,
// what they need of the target, which probes they send and which tenant defects they exist to catch.
// The planner (src/plan) loops over the kinds of src/kinds/index.ts; it knows no kind by name.
import type { Check, ChecklistItem, CheckGroup, Contract, DriverId, Finding, MachineCheck, Probe, Purpose, RouteRow, RouteSpec, Runbook, Severity, TargetKey } from '../model.ts';
import type { KeyNeed } from '../targets/capabilities.ts';

/** A runbook's route row: the route kinds of a product (works, denied without scope, preset denied). */
export interface RowSubject {
  scope: 'row';
  runbook: Runbook;
  row: RouteRow;
  route: RouteSpec;
}

/** A route of the contract: the cross-cutting kinds, once per run. */
export interface RouteSubject {
  scope: 'route';
  route: RouteSpec;
}

/** A machine-checkable item of a runbook's validation checklist. */
export interface ChecklistSubject {
  scope: 'checklist';
  runbook: Runbook;
  item: ChecklistItem & { check: MachineCheck };
  /** 0-based position in the checklist: ids number items from 1 */
  index: number;
}

/** A runbook as a whole, with the findings known before the run. */
export interface ProductSubject {
  scope: 'product';
  runbook: Runbook;
  findings: Finding[];
}

export type Subject = RowSubject | RouteSubject | ChecklistSubject | ProductSubject;

/** How a product calls a route: its driver, and its own requests where its client profile describes them. */
export interface ClientChoice {
  driver: DriverId;
  profile?: string;
  aiSdkProvider?: 'openai' | 'openai-compatible';
}

/** A requirement the target cannot meet: the check is skipped with this reason (which says what would enable it). */
export class Unmet extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'Unmet';
  }
}

/** Keys by what the check needs of them; each throws Unmet when the target has none. */
export interface KeyFinder {
  /** a key that can call the route: the product's preset key where one can, else the narrowest */
  holding(need: KeyNeed, options?: { prefer?: string; purposes?: Purpose[]; hides?: boolean; label?: string }): TargetKey;
  /** a valid key that provably cannot: the product's preset key where it lacks it, else one of the route's purposes */
  lacking(need: KeyNeed, options?: { prefer?: string; label?: string }): TargetKey;
  /** the product's own preset key, exactly as the wizard makes it (least privilege); with `need`, one that may name a model on its route where one can */
  preset(presetId: string, need?: KeyNeed): TargetKey;
  revoked(): TargetKey;
  ofPurpose(purpose: Purpose): TargetKey;
  /** a key of another family than `of` that can call the route */
  otherFamily(of: TargetKey, need: KeyNeed): TargetKey;
  /** a dataset id on no key's allowlist */
  foreignDataset(): string;
}

/** Probes by what they do; each is added once to the plan and returns its id. */
export interface ProbeMaker {
  /** a successful call of the route, with what it depends on (a poll on its upload, an upload on its conversation) */
  success(route: RouteSpec, key: TargetKey, client?: ClientChoice): string;
  /** the route refused to `key`; for a route that reads an object or works in a conversation, `owner` makes it first */
  denial(route: RouteSpec, key: TargetKey, owner?: TargetKey): string;
  /** the route refused for a missing, malformed, unknown or revoked key */
  unauthorized(route: RouteSpec, key: '@none' | '@malformed' | '@unknown' | TargetKey): string;
  /** a conversation bootstrapped by `key` */
  bootstrap(key: TargetKey): string;
  /** any other probe: its kind, expectation and parameters; `after` are the probes it needs first */
  other(route: RouteSpec, key: TargetKey, spec: Pick<Probe, 'kind' | 'expect'> & { params?: Probe['params']; after?: string[]; driver?: DriverId }): string;
  /** the client a product uses for a route (src/drivers/routes.ts, its client profile) */
  clientOf(runbook: Runbook, route: RouteSpec): ClientChoice;
}

/** What the run is, as far as planning needs to know it. */
export interface PlanSettings {
  /** a live target (someone's tenant), not the embedded one */
  live: boolean;
  /** --fuzz N: generated cases per route for the negative group; undefined: the default */
  fuzz?: number;
}

export interface PlanTools {
  key: KeyFinder;
  probe: ProbeMaker;
  settings: PlanSettings;
  contract: Contract;
  /** a route of the contract by id (kinds that pair routes: a poll after an upload) */
  route(id: string): RouteSpec;
  /** routes that create, read or work inside an object */
  routesThat(role: 'creates' | 'reads', object: 'file' | 'conversation'): RouteSpec[];
}

/** What a kind plans for one subject. */
export interface Planned {
  probes?: string[];
  /** the check cannot show its point on this target although nothing is missing (the preset holds the scope anyway) */
  notExercised?: string;
  /** which key was used and why, when it is not the product's own (shown with the check's evidence) */
  keyNote?: string;
  /** the same, in a few words the check's title ends with ("with a chat-embeddings key") */
  titleNote?: string;
}

/** What a defect catch looks at: the planned check, its probes, and its route. */
export interface CatchContext {
  check: Check;
  probes: Probe[];
  route?: RouteSpec;
  /** a key of the target by name */
  keyOf(name: string): TargetKey | undefined;
}

/** A tenant defect a kind is meant to catch, on the checks `when` selects (all of the kind's checks by default). */
export interface DefectCatch {
  defect: string;
  when?: (context: CatchContext) => boolean;
}

interface KindBase<S extends Subject> {
  /** the check id's last segment: <product>/<route>/<name>, cross-cutting/<route>/<name>, <product>/checklist/<n>-<name> */
  name: string;
  group: CheckGroup;
  /** what it asserts, in words; the check's title */
  title(subject: S): string;
  severity: Severity | ((subject: S) => Severity);
  /** the check passes when the tenant refuses ("denied as expected") */
  denial?: boolean;
  /** whether the kind has a check for this subject */
  appliesTo(subject: S): boolean;
  /** the probes of the check, from what it asks of the target; throws Unmet when the target cannot meet it */
  plan(subject: S, tools: PlanTools): Planned;
  /** the defects it exists to catch (the selftest holds every kind to them) */
  catches?: DefectCatch[];
}

export interface RowKind extends KindBase<RowSubject> {
  scope: 'row';
}
export interface RouteKind extends KindBase<RouteSubject> {
  scope: 'route';
}
export interface ChecklistKind extends KindBase<ChecklistSubject> {
  scope: 'checklist';
  /** the matrix column the item belongs to */
  route: string;
}
export interface ProductKind extends Omit<KindBase<ProductSubject>, 'title' | 'plan' | 'appliesTo'> {
  scope: 'product';
  /** a product kind may make several checks (one per finding): each with its id suffix, title and plan */
  checks(subject: ProductSubject, tools: PlanTools): Array<{ name: string; title: string; plan: () => Planned; finding?: Finding }>;
}

export type CheckKind = RowKind | RouteKind | ChecklistKind | ProductKind;

/** "inference:chat + inference:embed", or "conversation purpose" for a route that needs no scope. */
export function needWords(need: KeyNeed): string {
  return need.scopes.length ? need.scopes.join(' + ') : `${need.purposes.join(' or ')} purpose`;
}


