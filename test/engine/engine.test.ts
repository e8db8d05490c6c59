// The engine with stub probes: a plan of probes of one stub kind, whose behaviour each test writes, run by
// the real scheduler (createEngine's `kinds` seam). Time is vitest's fake clock: the deadline is one the
// test sets and moves past, never a wall-clock guess.
import { setTimeout as realDelay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chainLengths, createEngine, type EngineOptions } from '../../src/engine/engine.ts';
import { PROBE_KINDS, type ProbeContext, type ProbeEnvironment, type ProbeVerdict } from '../../src/probes/index.ts';
import { BudgetSpent } from '../../src/probes/budget.ts';
import type { Exchange, Probe } from '../../src/model.ts';

type Behaviour = (ctx: ProbeContext, probe: Probe) => ProbeVerdict | Promise<ProbeVerdict>;

const probe = (id: string, dependsOn?: string[], over: Partial<Probe> = {}): Probe => ({ id, route: 'chat', kind: 'call', key: 'k1', keyPreset: 'openai-chat', expect: 'success', driver: 'http', ...(dependsOn ? { dependsOn } : {}), ...over });

const exchange = (label: string, status: number, headers: Record<string, string> = {}): Exchange => ({
  label,
  request: { method: 'POST', url: 'http://127.0.0.1:1/api/tenant/v1/chat/completions', headers: {} },
  response: { status, headers, bytes: 0 },
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1,
});

/** A stub environment: the engine reads `counter` (and marks it stopped under --max-failures); the rest is passed on to the probe kinds untouched. */
const env = (sent = 0): ProbeEnvironment => ({ counter: { sent, budget: 100 } }) as unknown as ProbeEnvironment;

function engineOf(probes: Probe[], behaviours: Record<string, Behaviour>, options: Partial<EngineOptions> = {}, environment = env()) {
  const calls: string[] = [];
  const contexts = new Map<string, ProbeContext>();
  const stub = {
    run: async (p: Probe, ctx: ProbeContext) => {
      calls.push(p.id);
      contexts.set(p.id, ctx);
      const behaviour = behaviours[p.id] ?? (() => ({ problems: [] }));
      return behaviour(ctx, p);
    },
  };
  const progress: Array<[string, number, number]> = [];
  const engine = createEngine({ probes }, environment, {
    runDeadlineMs: 60_000,
    strict: false,
    onResult: (r, done, total) => progress.push([r.probeId, done, total]),
    kinds: { ...PROBE_KINDS, call: stub },
    ...options,
  });
  return { engine, calls, contexts, progress };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createEngine: each probe once, after its prerequisites', () => {
  it('runs a prerequisite once however many probes depend on it, and hands its output to each', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { engine, calls, contexts, progress } = engineOf(
      [probe('upload'), probe('poll-a', ['upload']), probe('poll-b', ['upload']), probe('poll-c', ['upload', 'poll-a'])],
      {
        upload: async () => {
          await gate;
          return { problems: [], output: { fileId: 'file-1' }, summary: 'uploaded' };
        },
        'poll-a': () => ({ problems: [], output: { state: 'ready' } }),
      },
    );
    const all = engine.runAll();
    const again = engine.run('upload'); // asked again while it runs: the same run
    await Promise.resolve();
    expect(calls).toEqual(['upload']);
    release();
    const results = await all;
    expect(calls.filter((id) => id === 'upload')).toHaveLength(1);
    expect(calls.slice(1).sort()).toEqual(['poll-a', 'poll-b', 'poll-c']);
    expect(await again).toBe(results.get('upload'));
    expect(await engine.run('upload')).toBe(results.get('upload'));
    expect(contexts.get('upload')!.inputs).toEqual({});
    expect(contexts.get('poll-b')!.inputs).toEqual({ fileId: 'file-1' });
    expect(contexts.get('poll-c')!.inputs).toEqual({ fileId: 'file-1', state: 'ready' });
    expect([...results.keys()]).toEqual(['upload', 'poll-a', 'poll-b', 'poll-c']);
    expect([...results.values()].map((r) => r.status)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(progress.map(([, done, total]) => [done, total])).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
    expect(progress[0][0]).toBe('upload');
  });

  it('says what passed: the route, the key and its preset (where it is another name), and the summary', async () => {
    const { engine } = engineOf([probe('a'), probe('b', undefined, { keyPreset: undefined, key: '@none' })], { a: () => ({ problems: [], summary: '2 models listed' }) });
    const results = await engine.runAll();
    expect(results.get('a')).toEqual({ probeId: 'a', status: 'passed', message: 'chat with key k1 (openai-chat): 2 models listed', exchanges: [], output: undefined, strictNotes: undefined });
    expect(results.get('b')!.message).toBe('chat with key @none: as expected');
  });

  it('fails a probe with its problems, and keeps its evidence and output', async () => {
    const { engine } = engineOf([probe('a')], {
      a: (ctx) => {
        ctx.exchanges.push(exchange('chat', 500));
        return { problems: ['answered 500', 'no error body'], output: { partial: true } };
      },
    });
    const result = await engine.run('a');
    expect(result).toMatchObject({ status: 'failed', message: 'chat with key k1 (openai-chat): answered 500; no error body', output: { partial: true } });
    expect(result.exchanges.map((e) => e.response?.status)).toEqual([500]);
  });

  it('turns a probe kind that throws into a failed probe, never a crash', async () => {
    const { engine } = engineOf([probe('a'), probe('b')], {
      a: () => {
        throw new Error('no secret for key k1 (set its secret_env variable)');
      },
      b: () => {
        throw 'a bare string';
      },
    });
    const results = await engine.runAll();
    expect(results.get('a')).toMatchObject({ status: 'failed', message: 'chat with key k1 (openai-chat): no secret for key k1 (set its secret_env variable)' });
    expect(results.get('b')).toMatchObject({ status: 'failed', message: 'chat with key k1 (openai-chat): a bare string' });
  });

  it('answers an unknown probe id with a failure, and blocks what depends on it', async () => {
    const { engine, calls } = engineOf([probe('b', ['ghost'])], {});
    expect(await engine.run('ghost')).toEqual({ probeId: 'ghost', status: 'failed', message: 'unknown probe ghost', exchanges: [] });
    expect(await engine.run('b')).toMatchObject({ status: 'blocked', message: 'blocked: prerequisite ghost failed: unknown probe ghost' });
    expect(calls).toEqual([]);
  });

  it('needs no progress callback', async () => {
    const { engine } = engineOf([probe('a')], {}, { onResult: undefined });
    expect((await engine.run('a')).status).toBe('passed');
  });

  it('counts the requests the environment counted', () => {
    expect(engineOf([], {}, {}, env(7)).engine.requestsSent()).toBe(7);
  });
});

describe('createEngine: prerequisites that are not met', () => {
  it('blocks the dependants of a failed probe, and theirs, without running them', async () => {
    const { engine, calls } = engineOf([probe('upload'), probe('poll', ['upload']), probe('reread', ['poll']), probe('other')], { upload: () => ({ problems: ['answered 500'] }) });
    const results = await engine.runAll();
    expect(calls.sort()).toEqual(['other', 'upload']);
    expect(results.get('poll')).toEqual({ probeId: 'poll', status: 'blocked', message: 'blocked: prerequisite upload failed: chat with key k1 (openai-chat): answered 500', exchanges: [] });
    expect(results.get('reread')!.message).toBe('blocked: prerequisite poll blocked: blocked: prerequisite upload failed: chat with key k1 (openai-chat): answered 500');
    expect(results.get('other')!.status).toBe('passed');
  });

  it('blocks on the first unmet prerequisite in the order they are listed', async () => {
    const { engine } = engineOf([probe('a'), probe('b'), probe('c', ['a', 'b'])], { b: () => ({ problems: ['b broke'] }) });
    expect((await engine.runAll()).get('c')!.message).toBe('blocked: prerequisite b failed: chat with key k1 (openai-chat): b broke');
  });

  it('blocks the dependants of a probe the budget stopped', async () => {
    const { engine, calls } = engineOf([probe('upload'), probe('poll', ['upload'])], {
      upload: () => {
        throw new BudgetSpent(40);
      },
    });
    const results = await engine.runAll();
    expect(results.get('upload')).toEqual({ probeId: 'upload', status: 'not_run', message: 'not run: the request budget of 40 requests was spent', exchanges: [] });
    expect(results.get('poll')).toMatchObject({ status: 'blocked', message: 'blocked: prerequisite upload not_run: not run: the request budget of 40 requests was spent' });
    expect(calls).toEqual(['upload']);
  });
});

describe('createEngine: the run deadline', () => {
  const START = Date.parse('2026-05-01T10:00:00Z');

  it('does not start a probe once the deadline has passed, and blocks what depends on it', async () => {
    vi.useFakeTimers({ now: START, toFake: ['Date'] });
    const { engine, calls, contexts } = engineOf([probe('upload'), probe('poll', ['upload']), probe('reread', ['poll'])], {
      upload: () => {
        vi.setSystemTime(START + 1_001); // the upload took the run past its deadline
        return { problems: [], output: { fileId: 'f' } };
      },
    }, { runDeadlineMs: 1_000 });
    const results = await engine.runAll();
    expect(contexts.get('upload')!.deadline).toBe(START + 1_000);
    expect(calls).toEqual(['upload']);
    expect(results.get('upload')!.status).toBe('passed');
    expect(results.get('poll')).toEqual({ probeId: 'poll', status: 'not_run', message: 'not run: the run deadline of 1000 ms was reached', exchanges: [] });
    expect(results.get('reread')!.message).toBe('blocked: prerequisite poll not_run: not run: the run deadline of 1000 ms was reached');
  });

  it('still starts a probe at the deadline itself', async () => {
    vi.useFakeTimers({ now: START, toFake: ['Date'] });
    const { engine, calls } = engineOf([probe('a'), probe('b', ['a'])], { a: () => (vi.setSystemTime(START + 1_000), { problems: [] }) }, { runDeadlineMs: 1_000 });
    expect((await engine.runAll()).get('b')!.status).toBe('passed');
    expect(calls).toEqual(['a', 'b']);
  });

  it('counts the deadline from the engine\'s creation', async () => {
    vi.useFakeTimers({ now: START, toFake: ['Date'] });
    const { engine, calls } = engineOf([probe('a')], {}, { runDeadlineMs: 500 });
    vi.setSystemTime(START + 501);
    expect(await engine.run('a')).toMatchObject({ status: 'not_run', message: 'not run: the run deadline of 500 ms was reached' });
    expect(calls).toEqual([]);
  });
});

describe('createEngine: the request budget', () => {
  it('reports a probe the budget stopped as not run, with what it had sent, however an SDK wrapped the stop', async () => {
    const wrapped = new Error('Connection error.', { cause: new TypeError('fetch failed', { cause: new BudgetSpent(3) }) });
    const { engine } = engineOf([probe('sdk')], {
      sdk: (ctx) => {
        ctx.exchanges.push(exchange('openai: chat', 200));
        throw wrapped;
      },
    });
    const result = await engine.run('sdk');
    expect(result.status).toBe('not_run');
    expect(result.message).toBe('not run: the request budget of 3 requests was spent');
    expect(result.exchanges.map((e) => e.label)).toEqual(['openai: chat']);
  });
});

describe('createEngine: what a verdict becomes', () => {
  it('strict notes fail a probe only under --strict, and are kept on the result either way', async () => {
    const notes = { a: () => ({ problems: [], strictNotes: ['answered 404 where 403 is the default'] }) };
    const lenient = await engineOf([probe('a')], notes).engine.run('a');
    expect(lenient).toMatchObject({ status: 'passed', strictNotes: ['answered 404 where 403 is the default'] });
    const strict = await engineOf([probe('a')], notes, { strict: true }).engine.run('a');
    expect(strict).toMatchObject({ status: 'failed', message: 'chat with key k1 (openai-chat): strict: answered 404 where 403 is the default', strictNotes: ['answered 404 where 403 is the default'] });
    expect((await engineOf([probe('a')], { a: () => ({ problems: [] }) }, { strict: true }).engine.run('a')).status).toBe('passed');
  });

  it('says when a failure came with a 429 that had no Retry-After, and only then', async () => {
    const behaviours = {
      one: (ctx: ProbeContext) => (ctx.exchanges.push(exchange('chat', 429)), { problems: ['answered 429'] }),
      two: (ctx: ProbeContext) => (ctx.exchanges.push(exchange('chat', 429), exchange('chat', 429, { 'x-other': '1' })), { problems: ['answered 429'] }),
      told: (ctx: ProbeContext) => (ctx.exchanges.push(exchange('chat', 429, { 'Retry-After': '2' })), { problems: ['answered 429'] }),
      passed: (ctx: ProbeContext) => (ctx.exchanges.push(exchange('chat', 429)), { problems: [] }),
      other: (ctx: ProbeContext) => (ctx.exchanges.push(exchange('chat', 503)), { problems: ['answered 503'] }),
      unanswered: (ctx: ProbeContext) => (ctx.exchanges.push({ ...exchange('chat', 0), response: undefined, error: 'connection reset' }), { problems: ['connection reset'] }),
    };
    const results = await engineOf(Object.keys(behaviours).map((id) => probe(id)), behaviours).engine.runAll();
    expect(results.get('one')!.message).toBe('chat with key k1 (openai-chat): answered 429; a 429 came without Retry-After, so it was not retried');
    expect(results.get('two')!.message).toBe('chat with key k1 (openai-chat): answered 429; 2 answers 429 came without Retry-After, so it was not retried');
    expect(results.get('told')!.message).toBe('chat with key k1 (openai-chat): answered 429');
    expect(results.get('passed')).toMatchObject({ status: 'passed', message: 'chat with key k1 (openai-chat): as expected' });
    expect(results.get('other')!.message).toBe('chat with key k1 (openai-chat): answered 503');
    expect(results.get('unanswered')!.message).toBe('chat with key k1 (openai-chat): connection reset');
  });

  it('clips a problem to 1000 characters and says how many it left out', async () => {
    const exact = 'x'.repeat(1_000);
    const long = `${'y'.repeat(1_000)}${'z'.repeat(234)}`;
    const results = await engineOf([probe('exact'), probe('long')], { exact: () => ({ problems: [exact] }), long: () => ({ problems: [long] }) }).engine.runAll();
    expect(results.get('exact')!.message).toBe(`chat with key k1 (openai-chat): ${exact}`);
    expect(results.get('long')!.message).toBe(`chat with key k1 (openai-chat): ${'y'.repeat(1_000)}… (234 more characters)`);
  });

  it('gives each probe the environment, its own evidence list and the run deadline', async () => {
    const environment = env();
    const { engine, contexts } = engineOf([probe('a'), probe('b')], {}, {}, environment);
    await engine.runAll();
    const [a, b] = [contexts.get('a')!, contexts.get('b')!];
    expect(a.counter).toBe(environment.counter);
    expect(a.exchanges).not.toBe(b.exchanges);
    expect(a.deadline).toBe(b.deadline);
  });
});

describe('createEngine: --max-failures', () => {
  it('does not start a probe once that many probes failed; passed and blocked probes do not count', async () => {
    const behaviours = { bad: () => ({ problems: ['answered 500'] }), worse: () => ({ problems: ['answered 502'] }) };
    const probes = [probe('ok'), probe('bad'), probe('blocked', ['bad']), probe('worse'), probe('later'), probe('last')];
    const { engine, calls } = engineOf(probes, behaviours, { maxFailures: 2 });
    expect((await engine.run('ok')).status).toBe('passed');
    expect((await engine.run('bad')).status).toBe('failed');
    expect((await engine.run('blocked')).status).toBe('blocked');
    expect((await engine.run('later')).status).toBe('passed'); // one failure of two allowed
    expect((await engine.run('worse')).status).toBe('failed');
    expect(await engine.run('last')).toEqual({ probeId: 'last', status: 'not_run', message: 'not run: the run stopped once 2 probes had failed (--max-failures 2)', exchanges: [] });
    expect(calls).toEqual(['ok', 'bad', 'later', 'worse']);
  });

  it('runs everything without the option', async () => {
    const { engine } = engineOf([probe('bad'), probe('next')], { bad: () => ({ problems: ['x'] }) });
    await engine.run('bad');
    expect((await engine.run('next')).status).toBe('passed');
  });
});

describe('createEngine: a probe that could not exercise its route', () => {
  it('is not exercised, with what it saw and why', async () => {
    const { engine } = engineOf([probe('a')], { a: () => ({ problems: [], notExercised: 'no key holds inference:image', summary: 'answered 403' }) });
    expect(await engine.run('a')).toMatchObject({ status: 'not_exercised', message: 'chat with key k1 (openai-chat): answered 403; not exercised: no key holds inference:image' });
  });

  it('a problem wins over not exercised', async () => {
    const { engine } = engineOf([probe('a')], { a: () => ({ problems: ['answered 500'], notExercised: 'n/a' }) });
    expect(await engine.run('a')).toMatchObject({ status: 'failed', message: 'chat with key k1 (openai-chat): answered 500' });
  });
});

describe('chainLengths and the order of the run', () => {
  // By hand: a plain HTTP chat call sends 2 requests (plain and streamed), models 1, an upload 1; a poll
  // sends up to 6 and waits for the tenant (+10).
  const upload = probe('upload', undefined, { kind: 'upload', route: 'files' });
  const poll = probe('poll', ['upload'], { kind: 'poll', route: 'files' });
  const reread = probe('reread', ['poll'], { route: 'models' });
  const chat = probe('chat');

  it('is each probe\'s own cost plus the longest chain of its dependants', () => {
    const lengths = chainLengths([upload, poll, reread, chat, probe('second-reader', ['upload'], { route: 'models' })]);
    expect(Object.fromEntries(lengths)).toEqual({ upload: 1 + 16 + 1, poll: 16 + 1, reread: 1, chat: 2, 'second-reader': 1 });
  });

  it('counts the requests of a probe that sends four at a time (the negative group) in rounds of four', () => {
    // 40 generated cases, 4 in flight: 10 round trips, fewer than the upload chain's 17, whose poll must not
    // wait behind them for a slot; 41 cases take 11.
    const lengths = chainLengths([upload, poll, probe('neg40', undefined, { kind: 'negative', params: { cases: 40 } }), probe('neg41', undefined, { kind: 'negative', params: { cases: 41 } })]);
    expect(lengths.get('neg40')).toBe(10);
    expect(lengths.get('neg41')).toBe(11);
    expect(lengths.get('upload')).toBe(17);
  });

  it('counts a probe that sends nothing as one round trip', () => {
    expect(chainLengths([probe('none', undefined, { kind: 'negative', params: { cases: 0 } })]).get('none')).toBe(1);
  });

  it('starts the longest chains first', async () => {
    const { engine, calls } = engineOf([probe('a', undefined, { route: 'models' }), probe('b', undefined, { route: 'models' }), probe('c', ['b'], { route: 'models' }), chat], {});
    await engine.runAll();
    // chains: a 1, b 2 (itself and c), c 1, chat 2: b and chat first, in plan order, then a, then c after b
    expect(calls).toEqual(['b', 'chat', 'a', 'c']);
  });

  it('starts each probe in a turn of the event loop of its own, so what is ready to send leaves before the rest prepare', async () => {
    // A callback of the event loop (here an immediate, as a socket's "connected" would be) queued when the run
    // starts comes after the first probe's start and before the last one's: the probes' preparation does not
    // hold up the requests already made.
    const ids = ['p1', 'p2', 'p3', 'p4'];
    const { engine, calls } = engineOf(ids.map((id) => probe(id, undefined, { route: 'models' })), {});
    const all = engine.runAll();
    const seenAt = new Promise<number>((resolve) => setImmediate(() => resolve(calls.length)));
    await all;
    const startedBefore = await seenAt;
    expect(startedBefore).toBeGreaterThan(0);
    expect(startedBefore).toBeLessThan(ids.length);
  });

  it('runs every probe with the global setImmediate faked: its turn of its own comes from Node\'s timers, not the global', async () => {
    // With the turn taken from the global setImmediate, the first probe's start waits on a timer the fake
    // clock never runs. vitest's own test timeout does not fire then either, so the test has a deadline of
    // its own, on Node's timers: three stub probes finish in microseconds, the deadline only ends a hang.
    vi.useFakeTimers({ toFake: ['setImmediate'] });
    const ids = ['p1', 'p2', 'p3'];
    const { engine, calls } = engineOf(ids.map((id) => probe(id, undefined, { route: 'models' })), {});
    const hang = new AbortController();
    const stuck = realDelay(20_000, undefined, { signal: hang.signal }).then(() => {
      throw new Error('runAll did not finish with the global setImmediate faked');
    }, () => undefined);
    const results = await Promise.race([engine.runAll(), stuck]).finally(() => hang.abort());
    if (!results) throw new Error('the deadline ended the race without a result');
    expect([...results.keys()].sort()).toEqual(ids);
    expect(calls.sort()).toEqual(ids);
  });
});
