// Prints the fault matrix of docs/robustness.md: for each fault of cases.ts (and connection refused), the
// checks it reaches, what their messages say, and how long the probes it hit took to fail.
//
//   npx tsx test/faults/fault-matrix.ts
import type { Plan } from '../../src/model.ts';
import { faultCases, T } from './cases.ts';
import type { FaultRule } from './fault-proxy.ts';
import { FAULT_LIMITS, probeSpanMs, reachedChecks, runAgainstClosedPort, runThroughProxy, type FaultRun } from './fault-run.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function row(name: string, run: FaultRun, plan: Plan, reach: ReturnType<typeof reachedChecks>): string {
  const outcomes = run.results.filter((r) => reach.checks.has(r.checkId));
  const failed = outcomes.filter((r) => r.outcome === 'failed').length;
  const blocked = outcomes.filter((r) => r.outcome === 'blocked').length;
  const spans = (driver: 'http' | 'sdk') =>
    [...reach.hit]
      .filter((id) => (plan.probes.find((p) => p.id === id)?.driver === 'http') === (driver === 'http'))
      .map((id) => probeSpanMs(run.probeResults.get(id)!));
  const http = spans('http');
  const sdk = spans('sdk');
  const example = [...reach.hit].map((id) => run.probeResults.get(id)!).find((r) => !r.probeId.includes(':profile=') && plan.probes.find((p) => p.id === r.probeId)?.driver === 'http');
  const time = `${http.length ? seconds(Math.max(...http)) : '-'} / ${sdk.length ? seconds(Math.max(...sdk)) : '-'}`;
  return `| ${name} | ${reach.checks.size} (${failed} failed, ${blocked} blocked) | ${example ? `\`${example.message.slice(0, 140).replace(/\|/g, '\\|')}\`` : ''} | ${time} | ${seconds(run.wallMs)} |`;
}

const clean = await runThroughProxy(undefined);
console.log(`limits: timeout ${T} ms per request, poll deadline ${FAULT_LIMITS.pollDeadlineMs} ms, run deadline ${FAULT_LIMITS.runDeadlineMs} ms; clean run ${seconds(clean.wallMs)}, ${clean.results.length} checks\n`);
console.log('| fault | checks reached | message of a plain-HTTP probe | time to fail, longest probe (HTTP / SDK) | run |');
console.log('|---|---|---|---|---|');
for (const c of faultCases) {
  const reach = reachedChecks(clean.plan, clean.probeResults, c.rule, c.affects);
  const run = await runThroughProxy(c.rule, c.runOptions);
  console.log(row(c.name, run, clean.plan, reach));
}
const everything: FaultRule = { matches: () => true, fault: { kind: 'hang' } };
console.log(row('connection refused (the whole target)', await runAgainstClosedPort(), clean.plan, reachedChecks(clean.plan, clean.probeResults, everything)));
