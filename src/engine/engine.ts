// Runs probes: each at most once, after the probes it depends on, under the run deadline and the request
// budget. It only schedules: what a probe sends and how it is judged is its kind's (src/probes).
// The order follows the critical path: every probe has the length of the chain still ahead of it (its
// round trips, a processing wait, and its longest line of dependants), the longest chains start first, and
// their requests go first among those waiting for a connection slot, so a dependant (the poll after its
// upload) never waits behind probes that depend on nothing.

// Node's own, not the global: a test that fakes the global setImmediate (vi.useFakeTimers) does not stop the run.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Exchange, Plan, Probe, ProbeKindName, ProbeResult } from '../model.ts';
import { PROBE_KINDS, type ProbeEnvironment, type ProbeKind, type ProbeVerdict } from '../probes/index.ts';
import { budgetSpentIn } from '../probes/budget.ts';

export interface EngineOptions {
  /** wall-clock deadline for the whole run, in ms from engine creation */
  runDeadlineMs: number;
  strict: boolean;
  /**
   * once this many probes failed the run stops: no further request is sent (the request counter refuses it),
   * so the probes not started yet, and a running one that wants another request, are not run; answers
   * already on their way are still judged
   */
  maxFailures?: number;
  onResult?: (result: ProbeResult, done: number, total: number) => void;
  /** what each probe kind runs: PROBE_KINDS, unless a test schedules stub probes (test/engine) */
  kinds?: Readonly<Record<ProbeKindName, Pick<ProbeKind, 'run'>>>;
}

export interface Engine {
  run(probeId: string): Promise<ProbeResult>;
  runAll(): Promise<Map<string, ProbeResult>>;
  requestsSent(): number;
}

/** A processing wait counted in round trips: far longer than one request, for the order only. */
const PROCESSING_WEIGHT = 10;

/** Each probe's chain still ahead: its own cost plus the longest chain of the probes that depend on it. */
export function chainLengths(probes: readonly Probe[]): Map<string, number> {
  const dependants = new Map<string, Probe[]>();
  for (const p of probes) for (const d of p.dependsOn ?? []) dependants.set(d, [...(dependants.get(d) ?? []), p]);
  const lengths = new Map<string, number>();
  const lengthOf = (p: Probe): number => {
    let length = lengths.get(p.id);
    if (length === undefined) {
      const kind = PROBE_KINDS[p.kind];
      // In round trips: a probe that sends its requests several at a time (the negative group) takes fewer.
      const own = Math.max(1, Math.ceil(kind.requests(p) / (kind.inFlight ?? 1))) + (kind.waits ? PROCESSING_WEIGHT : 0);
      length = own + Math.max(0, ...(dependants.get(p.id) ?? []).map(lengthOf));
      lengths.set(p.id, length);
    }
    return length;
  };
  probes.forEach(lengthOf);
  return lengths;
}

export function createEngine(plan: Pick<Plan, 'probes'>, env: ProbeEnvironment, options: EngineOptions): Engine {
  const probes = new Map(plan.probes.map((p) => [p.id, p]));
  const chain = chainLengths(plan.probes);
  const running = new Map<string, Promise<ProbeResult>>();
  const deadline = Date.now() + options.runDeadlineMs;
  const kinds = options.kinds ?? PROBE_KINDS;
  let done = 0;
  let failures = 0;

  async function execute(probe: Probe): Promise<ProbeResult> {
    const deps = await Promise.all((probe.dependsOn ?? []).map((id) => run(id)));
    const unmet = deps.find((d) => d.status !== 'passed');
    if (unmet) {
      return { probeId: probe.id, status: 'blocked', message: `blocked: prerequisite ${unmet.probeId} ${unmet.status}: ${unmet.message}`, exchanges: [] };
    }
    if (Date.now() > deadline) {
      return { probeId: probe.id, status: 'not_run', message: `not run: the run deadline of ${options.runDeadlineMs} ms was reached`, exchanges: [] };
    }
    if (env.counter.stopped !== undefined) return { probeId: probe.id, status: 'not_run', message: env.counter.stopped, exchanges: [] };
    const exchanges: Exchange[] = [];
    const inputs = Object.assign({}, ...deps.map((d) => d.output ?? {}));
    let verdict: ProbeVerdict;
    try {
      verdict = await kinds[probe.kind].run(probe, { ...env, inputs, exchanges, deadline, priority: chain.get(probe.id) ?? 0 });
    } catch (err) {
      const spent = budgetSpentIn(err);
      if (spent) return { probeId: probe.id, status: 'not_run', message: spent.message, exchanges };
      verdict = { problems: [(err as Error).message ?? String(err)] };
    }
    const strictProblems = options.strict ? (verdict.strictNotes ?? []).map((n) => `strict: ${n}`) : [];
    const problems = [...verdict.problems, ...strictProblems, ...(verdict.problems.length ? headerless429(exchanges) : [])].map(clipProblem);
    const who = `${probe.route} with key ${keyLabel(probe)}`;
    const status = problems.length ? 'failed' : verdict.notExercised ? 'not_exercised' : 'passed';
    const seen = verdict.summary ?? 'as expected';
    return {
      probeId: probe.id,
      status,
      message: status === 'failed' ? `${who}: ${problems.join('; ')}` : status === 'not_exercised' ? `${who}: ${seen}; not exercised: ${verdict.notExercised}` : `${who}: ${seen}`,
      exchanges,
      output: verdict.output,
      strictNotes: verdict.strictNotes,
    };
  }

  function run(probeId: string): Promise<ProbeResult> {
    let pending = running.get(probeId);
    if (!pending) {
      const probe = probes.get(probeId);
      pending = probe
        ? execute(probe).then((result) => {
            done += 1;
            if (result.status === 'failed') failures += 1;
            if (failures === options.maxFailures) env.counter.stopped ??= stoppedAfter(failures);
            options.onResult?.(result, done, probes.size);
            return result;
          })
        : Promise.resolve<ProbeResult>({ probeId, status: 'failed', message: `unknown probe ${probeId}`, exchanges: [] });
      running.set(probeId, pending);
    }
    return pending;
  }

  return {
    run,
    async runAll() {
      // The longest chains first: their first requests take the first slots.
      const order = [...probes.keys()].sort((a, b) => (chain.get(b) ?? 0) - (chain.get(a) ?? 0));
      const started: Array<Promise<ProbeResult>> = [];
      for (const id of order) {
        started.push(run(id));
        // Each probe starts in a turn of the event loop of its own. Started in one turn, every probe's
        // preparation (the negative group's cases, each request's content) ran before the first request could
        // leave, and the tenant waited on it. A probe not started yet when the run stops is not run.
        await nextTurn();
      }
      const results = await Promise.all(started);
      return new Map(results.map((r) => [r.probeId, r]));
    },
    requestsSent: () => env.counter.sent,
  };
}

function stoppedAfter(failures: number): string {
  return `not run: the run stopped once ${failures} ${failures === 1 ? 'probe had' : 'probes had'} failed (--max-failures ${failures})`;
}

/** Why a 429 was not waited out: without Retry-After the harness (like LangChain and LibreChat) does not retry. */
function headerless429(exchanges: Exchange[]): string[] {
  const bare = exchanges.filter((e) => e.response?.status === 429 && !Object.keys(e.response.headers).some((h) => h.toLowerCase() === 'retry-after'));
  return bare.length ? [`${bare.length === 1 ? 'a 429 came' : `${bare.length} answers 429 came`} without Retry-After, so it was not retried`] : [];
}

/** A problem is one line of a report: a tenant answer of megabytes (a model list of 100,000 names) must not make it megabytes long. */
const MAX_PROBLEM_CHARS = 1_000;

function clipProblem(problem: string): string {
  return problem.length <= MAX_PROBLEM_CHARS ? problem : `${problem.slice(0, MAX_PROBLEM_CHARS)}… (${problem.length - MAX_PROBLEM_CHARS} more characters)`;
}

/**
 * The key a probe presents, for its message: the key's name, and its preset where that is another name ("chat
 * (openai-chat)"), so that two keys of one preset are told apart; never the secret.
 */
function keyLabel(probe: Probe): string {
  const preset = probe.keyPreset;
  if (!preset || preset === probe.key || preset === `${probe.key} (revoked)`) return preset ?? probe.key;
  return `${probe.key} (${preset.replace(/ \(revoked\)$/, ', revoked')})`;
}
