// The planner: runbooks × contract × target → probes (deduplicated requests) and checks (what each product
// is told). One generic loop over the check kinds of src/kinds: runbook rows × row kinds, checklist items ×
// checklist kinds, runbooks × product kinds, routes × cross-cutting kinds. It names no route, preset or kind.
import { machineChecksOf, type Check, type CheckGroup, type Contract, type Finding, type Plan, type RouteSpec, type Runbook, type Severity, type Target, type Verdict } from '../model.ts';
import { CHECKLIST_KINDS, PRODUCT_KINDS, ROUTE_KINDS, ROW_KINDS } from '../kinds/index.ts';
import { Unmet, type Planned, type PlanTools, type Subject } from '../kinds/kind.ts';
import { keyFinder } from './key-finder.ts';
import { ProbeBook } from './probe-book.ts';
import { countEvent } from '../instrument.ts';

export interface PlanFilters {
  products?: string[];
  routes?: string[];
  verdicts?: Verdict[];
  skipRoutes?: string[];
  uploads?: boolean; // false: no upload probes (--no-uploads)
  /** --fuzz N: generated cases per route for the negative group */
  fuzz?: number;
}

interface CheckDraft {
  id: string;
  kind: string;
  group: CheckGroup;
  title: string;
  severity: Severity;
  denial?: boolean;
  product?: string;
  route?: string;
  verdict?: Verdict;
  finding?: Finding;
}

export function buildPlan(runbooks: Runbook[], contract: Contract, target: Target, filters: PlanFilters = {}, findings: Finding[] = []): Plan {
  countEvent('plan');
  const book = new ProbeBook(contract, target, { skipRoutes: filters.skipRoutes, uploads: filters.uploads });
  const tools: PlanTools = {
    key: keyFinder(target, contract),
    probe: book,
    settings: { live: target.kind === 'live', fuzz: filters.fuzz },
    contract,
    route: (id) => {
      const route = contract.routes.find((r) => r.id === id);
      if (!route) throw new Error(`route ${id} is not in the contract`);
      return route;
    },
    routesThat: (role, object) => contract.routes.filter((r) => r[role] === object),
  };
  const checks: Check[] = [];

  /** One check: its probes as its kind plans them, or skipped with the reason when the target cannot meet a need. */
  const add = (draft: CheckDraft, plan: () => Planned) => {
    const before = book.snapshot();
    const { denial, ...fields } = draft;
    const base: Check = { ...fields, probes: [], ...(denial ? { denial } : {}) };
    try {
      const planned = plan();
      checks.push({
        ...base,
        ...(planned.titleNote ? { title: `${base.title} (${planned.titleNote})` } : {}),
        probes: planned.probes ?? [],
        ...(planned.notExercised ? { notExercised: planned.notExercised } : {}),
        ...(planned.keyNote ? { keyNote: planned.keyNote } : {}),
      });
    } catch (err) {
      if (!(err instanceof Unmet)) throw err;
      book.rollback(before);
      checks.push({ ...base, skip: err.message });
    }
  };
  const severityOf = <S extends Subject>(severity: Severity | ((s: S) => Severity), subject: S) => (typeof severity === 'function' ? severity(subject) : severity);
  const routeOf = (id: string): RouteSpec => tools.route(id);
  const filtered = !!(filters.routes || filters.verdicts);

  for (const runbook of runbooks.filter((r) => !filters.products || filters.products.includes(r.id))) {
    for (const row of runbook.routes) {
      if (filters.routes && !filters.routes.includes(row.route)) continue;
      if (filters.verdicts && !filters.verdicts.includes(row.verdict)) continue;
      const subject = { scope: 'row', runbook, row, route: routeOf(row.route) } as const;
      for (const kind of ROW_KINDS.filter((k) => k.appliesTo(subject))) {
        const id = `${runbook.id}/${row.route}/${kind.name}`;
        add({ id, kind: kind.name, group: kind.group, title: kind.title(subject), severity: severityOf(kind.severity, subject), denial: kind.denial, product: runbook.id, route: row.route, verdict: row.verdict }, () => kind.plan(subject, tools));
      }
    }

    runbook.checklist.forEach((item, index) => {
      const machine = machineChecksOf(item);
      if (!machine.length) {
        checks.push({ id: `${runbook.id}/checklist/${index + 1}`, kind: 'manual', group: 'validation', product: runbook.id, title: item.text, severity: 'normal', probes: [], manual: true });
        return;
      }
      if (filtered) return; // checklist items belong to the whole product
      for (const check of machine) {
        const subject = { scope: 'checklist', runbook, item: { ...item, check }, index } as const;
        for (const kind of CHECKLIST_KINDS.filter((k) => k.appliesTo(subject))) {
          const id = `${runbook.id}/checklist/${index + 1}-${check}`;
          add({ id, kind: kind.name, group: kind.group, title: kind.title(subject), severity: severityOf(kind.severity, subject), denial: kind.denial, product: runbook.id, route: kind.route }, () => kind.plan(subject, tools));
        }
      }
    });

    if (filtered) continue; // findings too
    const subject = { scope: 'product', runbook, findings: findings.filter((f) => f.product === runbook.id) } as const;
    for (const kind of PRODUCT_KINDS) {
      for (const check of kind.checks(subject, tools)) {
        add({ id: `${runbook.id}/${kind.group}/${check.name}`, kind: kind.name, group: kind.group, title: check.title, severity: severityOf(kind.severity, subject), denial: kind.denial, product: runbook.id, finding: check.finding }, check.plan);
      }
    }
  }

  for (const route of contract.routes.filter((r) => !filters.routes || filters.routes.includes(r.id))) {
    const subject = { scope: 'route', route } as const;
    for (const kind of ROUTE_KINDS.filter((k) => k.appliesTo(subject))) {
      add({ id: `cross-cutting/${route.id}/${kind.name}`, kind: kind.name, group: kind.group, title: kind.title(subject), severity: severityOf(kind.severity, subject), denial: kind.denial, route: route.id }, () => kind.plan(subject, tools));
    }
  }

  book.keepOnly(checks.flatMap((c) => c.probes));
  const products = new Set(runbooks.filter((r) => !filters.products || filters.products.includes(r.id)).map((r) => r.id));
  return { probes: book.all, checks, findings: findings.filter((f) => products.has(f.product)) };
}
