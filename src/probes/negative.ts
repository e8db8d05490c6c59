// The negative group of one route (src/negative): generated invalid and valid requests from the contract's
// request schemas, each judged by what it must get, the failures shrunk to their smallest request. Sent
// through the run's one HTTP client, so the budget and the concurrency bound hold for it too.
import { HttpError } from '../http/http-error.ts';
import { NEGATIVE_IN_FLIGHT, runNegative, type NegativeSend } from '../negative/index.ts';
import { BudgetSpent } from './budget.ts';
import { bearerFor, keyOf, modelFor, routeOf, type ProbeKind } from './context.ts';

export const negative: ProbeKind = {
  describe: 'sends contract-generated invalid and valid requests, each of which ',
  requests: (probe) => probe.params?.cases ?? 0,
  inFlight: NEGATIVE_IN_FLIGHT,
  async run(probe, ctx) {
    const route = routeOf(ctx, probe.route);
    const key = keyOf(ctx, probe.key);
    const bearer = bearerFor(ctx, probe.key);
    let spent: BudgetSpent | undefined;
    const send: NegativeSend = async (request) => {
      try {
        const answer = await ctx.http.send({ ...request, bearer, priority: ctx.priority });
        ctx.exchanges.push(...answer.attempts);
        return answer;
      } catch (err) {
        if (err instanceof BudgetSpent) spent = err;
        if (err instanceof HttpError && err.exchange) ctx.exchanges.push(err.exchange);
        throw err;
      }
    };
    const run = await runNegative(route.id, send, {
      seed: ctx.seed,
      maxCases: probe.params?.cases ?? 0,
      writesAllowed: true, // the planner plans a route that writes only when the run may write
      inputs: { model: modelFor(ctx, probe.key, route.id), datasetId: key?.datasets[0], conversationId: ctx.inputs.conversationId as string | undefined, runId: ctx.runId },
      secrets: bearer ? [bearer] : [],
      contract: ctx.contract,
    });
    if (spent && run.failures.length === 0) throw spent;
    const problems = [
      ...(run.down ? [run.down] : []),
      // A 429 that outlasts the client's retries fails a route's check here as everywhere else.
      ...(run.rateLimited ? [`${run.rateLimited} of ${run.cases} generated cases answered 429 after the harness's retries, so the route was not judged on them`] : []),
    ];
    problems.push(...run.failures.map((f) => `${f.kind}: expected ${f.expected}; ${f.problems.join('; ')}; smallest failing request: ${f.curl} (replay: --seed ${f.seed}, case ${f.firstCase}, fast-check path ${f.replay.path})`));
    return {
      problems,
      summary: `${run.cases} generated cases (seed ${run.seed}) answered as the contract says`,
      output: { cases: run.cases, requests: run.requests, seed: run.seed, failures: run.failures.length },
    };
  },
};
