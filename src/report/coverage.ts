// The key coverage table: each key of the target with what it serves (the checks whose probes use it, by
// check kind and route; a probe's prerequisites count, so an upload key serves the polls of its file), and
// the checks skipped with their reason (a skip for want of a key names the key that would enable it:
// src/plan/key-finder.ts). A key that serves nothing is listed as such: an operator wants to know.
import type { Check, Probe, Purpose, Target } from '../model.ts';
import { terminalSafe } from './sanitize.ts';
import { wrapText } from './terminal.ts';

export interface KeyUse {
  /** the check kind: works, denied-without-scope, no-key, ... */
  kind: string;
  routes: string[];
  checks: number;
}

export interface KeyCoverageRow {
  key: string;
  preset?: string;
  purpose: Purpose;
  revoked?: boolean;
  /** the environment variable of a live target's key (never its value) */
  secretEnv?: string;
  /** how many checks use the key; 0: it serves nothing */
  checks: number;
  /** the routes of those checks, in the catalog's order */
  routes: string[];
  serves: KeyUse[];
}

export interface SkippedGroup {
  reason: string;
  checks: string[];
}

export interface KeyCoverage {
  keys: KeyCoverageRow[];
  /** the skipped checks, one group per reason, the largest first */
  skipped: SkippedGroup[];
}

/** Every probe a probe needs, itself first (its prerequisites, transitively). */
function withPrerequisites(id: string, probes: Map<string, Probe>, seen = new Set<string>()): Probe[] {
  const probe = probes.get(id);
  if (!probe || seen.has(id)) return [];
  seen.add(id);
  return [probe, ...(probe.dependsOn ?? []).flatMap((d) => withPrerequisites(d, probes, seen))];
}

export function keyCoverage(context: { targetSpec: Pick<Target, 'keys'>; checks: Check[]; probes: Probe[] }): KeyCoverage {
  const probes = new Map(context.probes.map((p) => [p.id, p]));
  const uses = new Map<string, Map<string, { routes: Set<string>; checks: Set<string> }>>();
  const checksOf = new Map<string, Set<string>>();
  for (const check of context.checks) {
    if (check.skip || check.manual) continue;
    const keys = new Set(check.probes.flatMap((id) => withPrerequisites(id, probes)).map((p) => p.key));
    for (const key of keys) {
      const byKind = uses.get(key) ?? uses.set(key, new Map()).get(key)!;
      const use = byKind.get(check.kind) ?? byKind.set(check.kind, { routes: new Set(), checks: new Set() }).get(check.kind)!;
      if (check.route) use.routes.add(check.route);
      use.checks.add(check.id);
      (checksOf.get(key) ?? checksOf.set(key, new Set()).get(key)!).add(check.id);
    }
  }
  // routes in the order the plan first names them (the catalog's order, as the planner walks it)
  const routeOrder = [...new Set(context.checks.map((c) => c.route).filter((r): r is string => !!r))];
  const inOrder = (routes: Set<string>) => [...routes].sort((a, b) => routeOrder.indexOf(a) - routeOrder.indexOf(b));
  const keys = (context.targetSpec?.keys ?? []).map((k): KeyCoverageRow => ({
    key: k.name,
    ...(k.preset ? { preset: k.preset } : {}),
    purpose: k.purpose,
    ...(k.revoked ? { revoked: true } : {}),
    ...(k.secret_env ? { secretEnv: k.secret_env } : {}),
    checks: checksOf.get(k.name)?.size ?? 0,
    routes: inOrder(new Set([...(uses.get(k.name)?.values() ?? [])].flatMap((u) => [...u.routes]))),
    serves: [...(uses.get(k.name) ?? new Map()).entries()]
      .map(([kind, u]) => ({ kind, routes: inOrder(u.routes), checks: u.checks.size }))
      .sort((a, b) => b.checks - a.checks || a.kind.localeCompare(b.kind)),
  }));
  const skipped = new Map<string, string[]>();
  for (const check of context.checks) if (check.skip) skipped.set(check.skip, [...(skipped.get(check.skip) ?? []), check.id]);
  return {
    keys,
    skipped: [...skipped.entries()].map(([reason, checks]) => ({ reason, checks })).sort((a, b) => b.checks.length - a.checks.length),
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function keyLabel(row: KeyCoverageRow): string {
  const facts = [row.preset && row.preset !== row.key ? `preset ${row.preset}` : row.preset ? '' : 'no preset', row.purpose, row.revoked ? 'revoked' : '', row.secretEnv ? `$${row.secretEnv}` : ''].filter(Boolean);
  return `${row.key} (${facts.join(', ')})`;
}

/**
 * The table as console lines (every name through terminalSafe: a live target file's names are the
 * operator's, but they reach a terminal). For `plan`: each key with each check kind it serves and the
 * routes; `compact`, for the run header: the keys with their check counts in one paragraph, the keys that
 * serve nothing, and one line per skip reason.
 */
export function renderCoverage(coverage: KeyCoverage, options: { width: number; compact?: boolean; maxListed?: number }): string[] {
  const { width, compact = false, maxListed = compact ? 3 : 8 } = options;
  const used = coverage.keys.filter((k) => k.checks > 0);
  const idle = coverage.keys.filter((k) => k.checks === 0);
  const nothing = `serve${idle.length === 1 ? 's' : ''} nothing`;
  const lines: string[] = [];
  if (compact) {
    const serving = used.map((k) => `${k.key} ${k.checks}`).join(', ');
    const idleText = idle.length ? `; ${idle.length} ${nothing}: ${idle.map((k) => k.key).join(', ')}` : '';
    lines.push(...wrapText(terminalSafe(`Keys (checks each serves): ${serving || 'none'}${idleText} (gt-conformance plan shows what each serves)`), width, '  '));
  } else {
    lines.push(`Keys: ${used.length} of ${coverage.keys.length} serve the run's checks${idle.length ? `, ${idle.length} ${nothing}` : ''}`);
    const nameWidth = Math.min(40, Math.max(0, ...used.map((k) => keyLabel(k).length)));
    for (const row of used) {
      lines.push(`  ${terminalSafe(keyLabel(row)).padEnd(nameWidth)}  ${plural(row.checks, 'check')}`);
      for (const use of row.serves) {
        const routes = use.routes.length ? `: ${use.routes.join(', ')}` : '';
        lines.push(...wrapText(terminalSafe(`${use.kind} (${use.checks})${routes}`), width, '        ', '      '));
      }
    }
    if (idle.length) lines.push(...wrapText(terminalSafe(`${nothing}: ${idle.map(keyLabel).join(', ')}`), width, '    ', '  '));
  }
  const skippedChecks = coverage.skipped.reduce((n, g) => n + g.checks.length, 0);
  if (skippedChecks) {
    lines.push(`Skipped: ${plural(skippedChecks, 'check')}, and what would enable them`);
    for (const group of coverage.skipped) {
      const ids = group.checks.slice(0, maxListed).join(', ') + (group.checks.length > maxListed ? `, … (${group.checks.length})` : '');
      lines.push(...wrapText(terminalSafe(`${group.reason}: ${ids}`), width, '    ', '  '));
    }
  }
  return lines;
}
