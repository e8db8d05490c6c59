// --max-failures with stub probes (createEngine's `kinds` seam): once N probes failed the run stops. A stub
// "sends" by spending from the run's request counter, as the HTTP client and the SDK fetch do once a request
// has its connection slot; gates the test opens stand for an answer on the wire and a slot coming free.
import { describe, expect, it } from 'vitest';
import { createEngine, type EngineOptions } from '../../src/engine/engine.ts';
import { PROBE_KINDS, type ProbeContext, type ProbeEnvironment, type ProbeVerdict } from '../../src/probes/index.ts';
import { BudgetSpent, spend, type RequestCounter } from '../../src/probes/budget.ts';
import type { Probe, ProbeResult } from '../../src/model.ts';

type Behaviour = (ctx: ProbeContext) => Promise<ProbeVerdict>;

const probe = (id: string, dependsOn?: string[]): Probe => ({ id, route: 'chat', kind: 'call', key: 'k1', keyPreset: 'openai-chat', expect: 'success', driver: 'http', ...(dependsOn ? { dependsOn } : {}) });

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** Sends one request (spends from the counter), then waits for `answer` if given, then judges. */
const sends = (problems: string[], answer?: Promise<void>): Behaviour => async (ctx) => {
  spend(ctx.counter);
  await answer;
  return { problems };
};

/** Waits for a connection slot, then sends: what a probe queued behind the concurrency bound does. */
const queued = (slot: Promise<void>, problems: string[] = []): Behaviour => async (ctx) => {
  await slot;
  return sends(problems)(ctx);
};

/** `behaviour` once `event` has happened: a failure that comes only after the other probes are under way. */
const after = (event: Promise<void>, behaviour: Behaviour): Behaviour => async (ctx) => {
  await event;
  return behaviour(ctx);
};

/**
 * The engine starts its probes one turn of the event loop after another: `started` is the moment every probe
 * of `startedOf` has been started (its kind called), so a test can fail the run only once they are under way.
 */
function engineOf(probes: Probe[], behaviours: (started: Promise<void>) => Record<string, Behaviour>, { startedOf = [], ...options }: Partial<EngineOptions> & { startedOf?: string[] } = {}) {
  const counter: RequestCounter = { sent: 0, budget: 100 };
  const called: string[] = [];
  const started = gate();
  const table = behaviours(started.opened);
  const stub = {
    run: (p: Probe, ctx: ProbeContext) => {
      called.push(p.id);
      if (startedOf.every((id) => called.includes(id))) started.open();
      return (table[p.id] ?? sends([]))(ctx);
    },
  };
  const engine = createEngine({ probes }, { counter } as unknown as ProbeEnvironment, { runDeadlineMs: 60_000, strict: false, kinds: { ...PROBE_KINDS, call: stub }, ...options });
  return { engine, counter, called };
}

const statuses = (results: Map<string, ProbeResult>) => Object.fromEntries([...results].map(([id, r]) => [id, r.status]));

const STOPPED_AT_2 = 'not run: the run stopped once 2 probes had failed (--max-failures 2)';

describe('--max-failures: the run stops once N probes failed', () => {
  it('sends nothing more: the probes waiting for a slot are not run, the one already answering is judged', async () => {
    const wire = gate();
    const slot = gate();
    const { engine, counter, called } = engineOf([probe('f1'), probe('f2'), probe('on-the-wire'), probe('waiting-1'), probe('waiting-2')], (started) => ({
      f1: after(started, sends(['answered 500'])),
      f2: after(started, sends(['answered 500'])),
      'on-the-wire': sends([], wire.opened),
      'waiting-1': queued(slot.opened),
      'waiting-2': queued(slot.opened),
    }), { maxFailures: 2, startedOf: ['on-the-wire', 'waiting-1', 'waiting-2'] });
    const all = engine.runAll();
    await engine.run('f1');
    await engine.run('f2');
    expect(counter.stopped).toBe(STOPPED_AT_2);
    slot.open();
    wire.open();
    const results = await all;
    expect(statuses(results)).toEqual({ f1: 'failed', f2: 'failed', 'on-the-wire': 'passed', 'waiting-1': 'not_run', 'waiting-2': 'not_run' });
    expect(results.get('waiting-1')).toEqual({ probeId: 'waiting-1', status: 'not_run', message: STOPPED_AT_2, exchanges: [] });
    expect(results.get('waiting-2')!.message).toBe(STOPPED_AT_2);
    expect(counter.sent).toBe(3); // f1, f2 and the one on the wire; the two refused were never counted
    expect(called.sort()).toEqual(['f1', 'f2', 'on-the-wire', 'waiting-1', 'waiting-2']);
  });

  it('does not start a probe whose prerequisite passes after the stop; what depends on a failure is blocked', async () => {
    const wire = gate();
    const { engine, called } = engineOf(
      [probe('f1'), probe('f2'), probe('upload'), probe('poll', ['upload']), probe('reread', ['poll']), probe('after-f1', ['f1'])],
      (started) => ({ f1: after(started, sends(['answered 500'])), f2: after(started, sends(['answered 500'])), upload: sends([], wire.opened) }),
      { maxFailures: 2, startedOf: ['upload'] },
    );
    const all = engine.runAll();
    await engine.run('f2');
    wire.open();
    const results = await all;
    expect(statuses(results)).toEqual({ f1: 'failed', f2: 'failed', upload: 'passed', poll: 'not_run', reread: 'blocked', 'after-f1': 'blocked' });
    expect(results.get('poll')).toEqual({ probeId: 'poll', status: 'not_run', message: STOPPED_AT_2, exchanges: [] });
    expect(results.get('reread')!.message).toBe(`blocked: prerequisite poll not_run: ${STOPPED_AT_2}`);
    expect(results.get('after-f1')!.message).toBe('blocked: prerequisite f1 failed: chat with key k1 (openai-chat): answered 500');
    expect(called.sort()).toEqual(['f1', 'f2', 'upload']);
  });

  it('a running probe that wants another request after the stop is not run, and keeps the evidence it had', async () => {
    const second = gate();
    const { engine } = engineOf([probe('f1'), probe('two-requests')], (started) => ({
      f1: after(started, sends(['answered 500'])),
      'two-requests': async (ctx) => {
        spend(ctx.counter);
        ctx.exchanges.push({ label: 'first', request: { method: 'GET', url: 'http://127.0.0.1:1/v1/models', headers: {} }, response: { status: 200, headers: {}, bytes: 0 }, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1 });
        await second.opened;
        spend(ctx.counter);
        return { problems: [] };
      },
    }), { maxFailures: 1, startedOf: ['two-requests'] });
    const all = engine.runAll();
    await engine.run('f1');
    second.open();
    const result = (await all).get('two-requests')!;
    expect(result.status).toBe('not_run');
    expect(result.message).toBe('not run: the run stopped once 1 probe had failed (--max-failures 1)');
    expect(result.exchanges.map((e) => e.label)).toEqual(['first']);
  });

  it('a probe on the wire that fails after the stop is failed; the reason keeps naming the threshold', async () => {
    const wire = gate();
    const slot = gate();
    const { engine, counter } = engineOf([probe('f1'), probe('f2'), probe('late-failure'), probe('waiting')], (started) => ({
      f1: after(started, sends(['answered 500'])),
      f2: after(started, sends(['answered 500'])),
      'late-failure': sends(['answered 502'], wire.opened),
      waiting: queued(slot.opened),
    }), { maxFailures: 2, startedOf: ['late-failure', 'waiting'] });
    const all = engine.runAll();
    await engine.run('f2');
    wire.open();
    await engine.run('late-failure');
    slot.open();
    const results = await all;
    expect(statuses(results)).toEqual({ f1: 'failed', f2: 'failed', 'late-failure': 'failed', waiting: 'not_run' });
    expect(results.get('waiting')!.message).toBe(STOPPED_AT_2);
    expect(counter.stopped).toBe(STOPPED_AT_2);
  });

  it('counts failed probes only: blocked and not-run probes do not stop the run', async () => {
    const slot = gate();
    const { engine, counter } = engineOf(
      [probe('f1'), probe('dep-1', ['f1']), probe('dep-2', ['f1']), probe('over-budget'), probe('waiting')],
      () => ({
        f1: sends(['answered 500']),
        'over-budget': async () => {
          throw new BudgetSpent(9);
        },
        waiting: queued(slot.opened),
      }),
      { maxFailures: 2 },
    );
    const all = engine.runAll();
    await Promise.all(['f1', 'dep-1', 'dep-2', 'over-budget'].map((id) => engine.run(id)));
    expect(counter.stopped).toBeUndefined();
    slot.open();
    const results = await all;
    expect(statuses(results)).toEqual({ f1: 'failed', 'dep-1': 'blocked', 'dep-2': 'blocked', 'over-budget': 'not_run', waiting: 'passed' });
  });

  it('without --max-failures everything runs, however many failed', async () => {
    const wire = gate();
    const slot = gate();
    const { engine, counter, called } = engineOf([probe('f1'), probe('f2'), probe('f3'), probe('on-the-wire'), probe('waiting'), probe('after', ['on-the-wire'])], () => ({
      f1: sends(['answered 500']),
      f2: sends(['answered 500']),
      f3: sends(['answered 500']),
      'on-the-wire': sends([], wire.opened),
      waiting: queued(slot.opened),
    }));
    const all = engine.runAll();
    await Promise.all(['f1', 'f2', 'f3'].map((id) => engine.run(id)));
    slot.open();
    wire.open();
    const results = await all;
    expect(statuses(results)).toEqual({ f1: 'failed', f2: 'failed', f3: 'failed', 'on-the-wire': 'passed', waiting: 'passed', after: 'passed' });
    expect(counter.stopped).toBeUndefined();
    expect(counter.sent).toBe(6);
    expect(called.sort()).toEqual(['after', 'f1', 'f2', 'f3', 'on-the-wire', 'waiting']);
  });
});
