// gt-conformance plan: what a run would check, per product and route, and what it would send; nothing is sent.
import type { Command } from '../command.ts';
import { loadContract, routeLabel } from '../../contract/load.ts';
import { formatInputError } from '../../runbook/load.ts';
import { loadTargetFile } from '../../targets/live.ts';
import { createTenant } from '../../tenant/index.ts';
import type { Check, Plan, Probe, Target } from '../../model.ts';
import { loadRunbooksOrThrow, planRun } from '../../run/prepare.ts';
import { PROBE_KINDS } from '../../probes/index.ts';
import { estimateRequests, requestsPerRoute } from '../../plan/estimate.ts';
import { inputProblems, parseRunFlags } from './run.ts';
import { keyCoverage, renderCoverage } from '../../report/coverage.ts';
import { consoleTraits } from '../../report/terminal.ts';
import { terminalSafe } from '../../report/sanitize.ts';

const usage = `Usage: gt-conformance plan [--product ID]... [--route ID]... [--verdict V]... [--target FILE] [--json] [runbook files...]

Prints, per product, each route with its verdict and the checks it will get (which key, what
expectation), the cross-cutting checks, and how many requests each route will get. Nothing is sent.
Without --target the plan is made for the embedded tenant's keys; with --target for the keys the
target file lists (env vars need not be set for a plan).

It starts with the key coverage table: each key of the target with the checks it serves (by check
kind and route), the keys that serve nothing, and the checks skipped with what would enable them.

  --json       the plan as JSON: { target, keyCoverage, probes, checks, findings, requestsPerRoute }
  Other flags as for gt-conformance run (--no-uploads, --skip-route, ...).`;

const expectWords: Record<Probe['expect'], string> = {
  success: 'succeeds and matches the contract',
  denied: 'is refused (403, or 404 where existence may be hidden)',
  unauthorized: 'is refused with 401',
  bad_request: 'is rejected with 400 or 422, never 5xx',
  ready: 'reaches ready on /v1/files/{id} and /v1/uploads/{id}',
  failed_with_reason: 'is refused or ends failed with a reason',
  served: 'is served',
};

const specialKeyWords: Record<string, string> = { '@none': 'no key', '@malformed': 'a malformed key', '@unknown': 'an unknown key' };

function describeProbe(p: Probe): string {
  const key = specialKeyWords[p.key] ?? `key ${p.key}${p.keyPreset && p.keyPreset !== p.key ? ` (${p.keyPreset.replace(' (revoked)', '')})` : ''}`;
  const via = p.driver !== 'http' ? ` via ${p.driver}` : p.params?.profile ? ` as ${String(p.params.profile)} sends it` : '';
  const does = PROBE_KINDS[p.kind].describe;
  // Probes that record what happens rather than expect an answer say so whole.
  if (p.expect === 'served' || p.kind === 'documented-call') return `${key}${via}: ${does}`;
  const variant = p.kind === 'bad-request' ? `${String(p.params?.variant).replace('-', ' ')}, which ` : '';
  return `${key}${via}: ${does}${variant}${expectWords[p.expect]}`;
}

function render(plan: Plan, target: Target, productNames: Map<string, string>): string {
  const probes = new Map(plan.probes.map((p) => [p.id, p]));
  const contract = loadContract();
  const width = consoleTraits(process.stdout).width;
  const lines: string[] = [terminalSafe(`Target: ${target.kind} ${target.baseUrl}`), ''];
  // First what an operator checks before a live run: which of their keys serve what, and what is skipped for want of one.
  lines.push(...renderCoverage(keyCoverage({ targetSpec: target, checks: plan.checks, probes: plan.probes }), { width }), '');
  const section = (title: string, checks: Check[]) => {
    lines.push(title);
    let lastRoute: string | undefined;
    for (const c of checks) {
      const routeKey = `${c.group}|${c.route}|${c.verdict}`;
      if (routeKey !== lastRoute) {
        const route = contract.routes.find((r) => r.id === c.route);
        lines.push(`  ${c.group === 'validation' ? 'checklist' : route ? routeLabel(route) : c.route}${c.verdict ? ` [${c.verdict}]` : ''}`);
        lastRoute = routeKey;
      }
      const how = c.manual ? 'manual' : c.notExercised ? `not exercised: ${c.notExercised}` : c.skip ? `skipped: ${c.skip}` : c.probes.map((id) => describeProbe(probes.get(id)!)).join('; ');
      lines.push(`    - ${c.title}`, `        ${how}`);
    }
    lines.push('');
  };
  for (const [id, name] of productNames) section(`${name} (${id})`, plan.checks.filter((c) => c.product === id));
  section('Cross-cutting (once per run)', plan.checks.filter((c) => !c.product));
  if (plan.findings.length) {
    lines.push('Runbook findings');
    for (const f of plan.findings) lines.push(`  ${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}`);
    lines.push('');
  }
  const perRoute = requestsPerRoute(plan.probes);
  const total = [...perRoute.values()].reduce((a, b) => a + b, 0);
  lines.push(`Requests (estimated, each shared probe once): ${total} in all`);
  for (const route of contract.routes) lines.push(`  ${routeLabel(route).padEnd(34)} ${perRoute.get(route.id) ?? 0}`);
  lines.push(`${plan.checks.length} checks from ${plan.probes.length} probes`);
  return lines.join('\n');
}

/** What the run creates on the tenant (uploads, conversations), or would create were writes allowed. */
function writesWords(plan: Plan, contract: ReturnType<typeof loadContract>, allowed: boolean): string {
  const creators = new Map(contract.routes.filter((r) => r.creates).map((r) => [r.id, r]));
  const counts = new Map<string, number>();
  for (const p of plan.probes) if (creators.has(p.route) && p.kind !== 'denied' && p.expect !== 'denied' && p.expect !== 'unauthorized' && p.expect !== 'bad_request') counts.set(p.route, (counts.get(p.route) ?? 0) + 1);
  const what = [...counts].map(([route, n]) => `${n} × ${routeLabel(creators.get(route)!)} (${creators.get(route)!.creates})`).join(', ');
  if (!what) return 'Writes: none: this plan creates nothing on the tenant';
  if (allowed) return `Writes: this run creates ${what}, each named gt-conformance-<run id> and listed in the report`;
  return `Writes: none: the target file does not say writes: allowed. With writes: allowed (or --allow-writes) this run would create ${what}, each named gt-conformance-<run id>`;
}

const plan: Command = {
  name: 'plan',
  summary: 'print the checks a run would make, per product and route, and the requests it would send',
  usage,
  async run(argv) {
    const json = argv.includes('--json');
    const options = parseRunFlags(argv.filter((a) => a !== '--json'));
    const problems = inputProblems({ ...options, targetFile: undefined });
    const contract = loadContract();
    let target: Target;
    if (options.targetFile) {
      const { live, errors } = loadTargetFile(options.targetFile, contract, process.env, false, options);
      problems.push(...errors.map(formatInputError));
      target = live?.target as Target;
    } else {
      target = createTenant({ freshSecrets: true }).target;
    }
    if (problems.length) {
      for (const p of problems) console.error(p);
      return 2;
    }
    const runbooks = loadRunbooksOrThrow(options, contract);
    const built = planRun(options, contract, runbooks, target);
    if (json) {
      const perRoute = Object.fromEntries(requestsPerRoute(built.probes));
      const coverage = keyCoverage({ targetSpec: target, checks: built.checks, probes: built.probes });
      console.log(JSON.stringify({ target: { kind: target.kind, baseUrl: target.baseUrl }, keyCoverage: coverage, ...built, probes: built.probes.map((p) => ({ ...p, requests: estimateRequests(p) })), requestsPerRoute: perRoute }, null, 2));
      return 0;
    }
    const names = new Map(runbooks.filter((r) => !options.products || options.products.includes(r.runbook.id)).map((r) => [r.runbook.id, r.runbook.product]));
    console.log(render(built, target, names));
    console.log(writesWords(target.writes === false ? planRun(options, contract, runbooks, { ...target, writes: true }) : built, contract, target.writes !== false));
    return 0;
  },
};

export default plan;
