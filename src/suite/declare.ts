// Declares the conformance tests of one check group from the plan, at collection time:
// describe(product) › describe(route [verdict]) › it(check). No product or route is named in a suite file.
import { describe, inject, it, type TestContext } from 'vitest';
import type { Check, ProbeResult } from '../model.ts';
import { suiteFileOf } from './files.ts';
import { settleCheck } from '../../reporters/settle-check.ts';
import { checkResult } from '../engine/check-result.ts';
import { readRunOptions } from '../run/options.ts';
import { secretSource } from '../run/prepare.ts';
import { createSession, type Session } from '../run/session.ts';
import { routeLabel } from '../contract/load.ts';
import { keyEnvOf } from '../target/key-env.ts';

let session: Session | undefined;

/** The run's one session in this worker: every suite file shares its engine (and so its probes). */
export function currentSession(): Session {
  if (!session) {
    const target = inject('gtTarget');
    session = createSession({
      options: readRunOptions(),
      target,
      secrets: secretSource(target, inject('gtSecrets') ?? undefined),
      seed: inject('gtSeed'),
      limits: inject('gtLimits') ?? undefined,
    });
  }
  return session;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

/** Declares the checks that suites/<file>.test.ts holds (see src/suite/files.ts). */
export function declareChecks(file: string): void {
  const s = currentSession();
  const products = s.runbooks.map((r) => r.runbook.id);
  const checks = s.plan.checks.filter((c) => !c.manual && suiteFileOf(c, products) === file);
  const productName = (id: string | undefined) => (id ? (s.runbooks.find((r) => r.runbook.id === id)?.runbook.product ?? id) : 'cross-cutting');
  for (const [product, productChecks] of groupBy(checks, (c) => c.product ?? '')) {
    describe.concurrent(productName(product || undefined), () => {
      for (const [, routeChecks] of groupBy(productChecks, (c) => `${c.route ?? ''}|${c.verdict ?? ''}`)) {
        describe(routeTitle(s, routeChecks[0]), () => {
          for (const check of routeChecks) it(check.title, (ctx) => runCheck(s, check, ctx));
        });
      }
    });
  }
}

function routeTitle(s: Session, check: Check): string {
  const route = s.contract.routes.find((r) => r.id === check.route);
  const label = route ? routeLabel(route) : (check.route ?? 'product');
  const group = check.group === 'validation' ? 'checklist' : check.group === 'finding' ? 'findings' : undefined;
  return [label, check.verdict ? `[${check.verdict}]` : group ? `[${group}]` : ''].filter(Boolean).join(' ');
}

async function runCheck(s: Session, check: Check, ctx: TestContext): Promise<void> {
  const probeResults: ProbeResult[] = await Promise.all(check.probes.map((id) => s.engine.run(id)));
  const result = checkResult(check, probeResults);
  const firstProbe = s.plan.probes.find((p) => p.id === check.probes[0]);
  const meta = await settleCheck(
    ctx,
    { check, outcome: result.outcome, message: result.message, exchanges: result.exchanges, keyPreset: firstProbe?.keyPreset, keyEnv: keyEnvOf(s.target, firstProbe?.key) },
    { targetHost: new URL(s.target.baseUrl).host, secrets: s.secretValues },
  );
  if (meta.outcome === 'runbook_defect' && readRunOptions().failOnFindings) throw new Error(`runbook defect (--fail-on-findings): ${meta.message}`);
}
