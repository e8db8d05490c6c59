// The negative group of one route (src/negative): generated invalid and valid requests from the contract's
// request schemas, each judged by what it must get, the failures shrunk to their smallest request. Sent
// through the run's one HTTP client, so the budget and the concurrency bound hold for it too.
import type { Exchange } from '../model.ts';
import { runNegative, type NegativeSend } from '../negative/index.ts';
import { BudgetSpent, spend } from './budget.ts';
import { bearerFor, keyOf, modelFor, routeOf, type ProbeKind } from './context.ts';

/** Evidence of a failing kind: its last few exchanges (the shrunk request among them), not every case sent. */
const EXCHANGES_PER_FAILURE = 3;

export const negative: ProbeKind = {
  describe: 'sends contract-generated invalid and valid requests, each of which ',
  requests: (probe) => probe.params?.cases ?? 0,
  async run(probe, ctx) {
    const route = routeOf(ctx, probe.route);
    const key = keyOf(ctx, probe.key);
    const bearer = bearerFor(ctx, probe.key);
    const sent: Exchange[] = [];
    let spent: BudgetSpent | undefined;
    const send: NegativeSend = async (request) => {
      try {
        spend(ctx.counter);
      } catch (err) {
        spent = err as BudgetSpent;
        throw err;
      }
      const answer = await ctx.http.send({ ...request, bearer });
      sent.push(...answer.attempts);
      return answer;
    };
    const run = await runNegative(route.id, send, {
      seed: ctx.seed,
      maxCases: probe.params?.cases ?? 0,
      writesAllowed: true, // the planner plans a route that writes only when the run may write
      inputs: { model: modelFor(ctx, probe.key, route.id), datasetId: key?.datasets[0], conversationId: ctx.inputs.conversationId as string | undefined },
      secrets: bearer ? [bearer] : [],
      contract: ctx.contract,
    });
    for (const failure of run.failures) ctx.exchanges.push(...sent.filter((e) => e.label.includes(`/${failure.kind}`)).slice(-EXCHANGES_PER_FAILURE));
    if (spent && run.failures.length === 0) throw spent;
    const problems = run.failures.map((f) => `${f.kind}: expected ${f.expected}; ${f.problems.join('; ')}; smallest failing request: ${f.curl} (replay: --seed ${f.seed}, case ${f.firstCase}, fast-check path ${f.replay.path})`);
    return {
      problems,
      summary: `${run.cases} generated cases (seed ${run.seed}) answered as the contract says${run.rateLimited ? `; ${run.rateLimited} rate limited, not judged` : ''}`,
      output: { cases: run.cases, requests: run.requests, seed: run.seed, failures: run.failures.length },
    };
  },
};
