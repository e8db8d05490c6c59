import { describe, expect, it, vi } from 'vitest';
import { failureReason, pollFile, type PollOptions, type StatusAnswer } from '../../src/checks/file-status.ts';

const T0 = Date.parse('2026-06-01T12:00:00Z');

/** A fake clock whose sleep moves time forward at once. */
function fakeClock() {
  const clock = { t: T0, sleeps: [] as number[] };
  return {
    clock,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
}

type Script = (path: string, elapsedMs: number, call: number) => StatusAnswer;

function tenant(script: Script, clock: { t: number }) {
  let call = 0;
  return async (path: string) => script(path, clock.t - T0, call++);
}

const ok = (body: Record<string, unknown>): StatusAnswer => ({ status: 200, headers: { 'content-type': 'application/json' }, body });
const file = (status: string, extra: Record<string, unknown> = {}) => ok({ id: 'file-1', object: 'file', status, ...extra });

function options(clock: ReturnType<typeof fakeClock>, more: Partial<PollOptions> = {}): PollOptions {
  return { deadlineMs: 10_000, initialDelayMs: 100, maxDelayMs: 1600, now: clock.now, sleep: clock.sleep, ...more };
}

describe('pollFile', () => {
  it('reaches ready, alternating both paths with exponential backoff, then reads it once more on the other path', async () => {
    const c = fakeClock();
    const get = tenant((_p, elapsed) => file(elapsed < 1000 ? 'uploaded' : elapsed < 3000 ? 'processing' : 'ready'), c.clock);
    const result = await pollFile(get, 'file-1', options(c));
    expect(result.final).toBe('ready');
    expect(result.problems).toEqual([]);
    expect(c.clock.sleeps).toEqual([100, 200, 400, 800, 1600]);
    const paths = result.history.map((h) => h.path);
    expect(paths.slice(0, 4)).toEqual(['/v1/files/file-1', '/v1/uploads/file-1', '/v1/files/file-1', '/v1/uploads/file-1']);
    expect(result.history.slice(-3).map((h) => [h.path, h.fileStatus])).toEqual([
      ['/v1/files/file-1', 'processing'],
      ['/v1/uploads/file-1', 'ready'],
      ['/v1/files/file-1', 'ready'],
    ]);
  });

  it('times out on a file stuck in processing, without sleeping past the deadline', async () => {
    const c = fakeClock();
    const result = await pollFile(tenant(() => file('processing'), c.clock), 'file-1', options(c, { deadlineMs: 5000 }));
    expect(result.final).toBe('timeout');
    expect(result.problems).toEqual(['the file is still "processing" after 5000 ms (deadline 5000 ms)']);
    expect(c.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(5000);
  });

  it('flags a ready file that goes back to processing', async () => {
    const c = fakeClock();
    const result = await pollFile(tenant((_p, _e, call) => file(call === 0 ? 'ready' : 'processing'), c.clock), 'file-1', options(c));
    expect(result.final).toBe('ready');
    expect(result.problems).toEqual(['GET /v1/uploads/file-1 says "processing" after GET /v1/files/file-1 said "ready": a terminal state must stay, and the alias must answer the same']);
  });

  it('flags a ready file that turns failed: a change to the other terminal state is a change too', async () => {
    const c = fakeClock();
    const result = await pollFile(tenant((_p, _e, call) => (call === 0 ? file('ready') : file('failed', { reason: 'indexing failed' })), c.clock), 'file-1', options(c));
    expect(result.final).toBe('ready');
    expect(result.problems).toEqual(['GET /v1/uploads/file-1 says "failed" after GET /v1/files/file-1 said "ready": a terminal state must stay, and the alias must answer the same']);
  });

  it('flags a failed file that turns ready on the re-read', async () => {
    const c = fakeClock();
    const result = await pollFile(tenant((_path, _e, call) => (call === 0 ? file('failed', { reason: 'undecodable' }) : file('ready')), c.clock), 'file-1', options(c));
    expect(result.final).toBe('failed');
    expect(result.reason).toBe('undecodable');
    expect(result.problems).toEqual(['GET /v1/uploads/file-1 says "ready" after GET /v1/files/file-1 said "failed": a terminal state must stay, and the alias must answer the same']);
  });

  it('re-reads the one path there is when the route has no alias', async () => {
    const c = fakeClock();
    const result = await pollFile(tenant((_p, _e, call) => file(call === 0 ? 'ready' : 'processing'), c.clock), 'file-1', options(c, { paths: ['/v1/files/{id}'] }));
    expect(result.history.map((h) => h.path)).toEqual(['/v1/files/file-1', '/v1/files/file-1']);
    expect(result.problems).toEqual(['GET /v1/files/file-1 said "ready", then "processing": a terminal state must stay']);
  });

  it('waits as long as an in-progress answer asks (retry-after-ms), and no longer', async () => {
    const c = fakeClock();
    const readyAt = 1_150;
    const get = tenant((_p, elapsed) => (elapsed < readyAt ? { ...file('processing'), headers: { 'content-type': 'application/json', 'retry-after-ms': String(readyAt - elapsed) } } : file('ready')), c.clock);
    const result = await pollFile(get, 'file-1', options(c));
    expect(c.clock.sleeps).toEqual([readyAt]);
    expect(result.history.map((h) => h.fileStatus)).toEqual(['processing', 'ready', 'ready']);
  });

  it('flags an alias that disagrees, and one that does not answer', async () => {
    const c = fakeClock();
    const disagreeing = await pollFile(
      tenant((path) => file(path.startsWith('/v1/uploads') ? 'processing' : 'ready'), c.clock),
      'file-1',
      options(c),
    );
    expect(disagreeing.problems).toEqual([
      'GET /v1/uploads/file-1 says "processing" after GET /v1/files/file-1 said "ready": a terminal state must stay, and the alias must answer the same',
    ]);

    const c2 = fakeClock();
    const missing = await pollFile(
      tenant((path, elapsed) => (path.startsWith('/v1/uploads') ? { status: 404, headers: {}, body: { error: { message: 'no route' } } } : file(elapsed > 0 ? 'ready' : 'queued')), c2.clock),
      'file-1',
      options(c2),
    );
    expect(missing.final).toBe('error');
    expect(missing.problems).toEqual(['GET /v1/uploads/file-1 answered 404: {"error":{"message":"no route"}}']);
  });

  it('requires a reason on a failed file, and notes the field it was found in', async () => {
    const c = fakeClock();
    const silent = await pollFile(tenant(() => file('failed'), c.clock), 'file-1', options(c));
    expect(silent.final).toBe('failed');
    expect(silent.problems).toEqual(['the file is "failed" without a reason (looked at reason, error, error.message, status_details)']);

    const c2 = fakeClock();
    const explained = await pollFile(tenant(() => file('failed', { error: { message: 'not a PDF' } }), c2.clock), 'file-1', options(c2, { expectTerminal: 'failed' }));
    expect(explained.problems).toEqual([]);
    expect(explained.reason).toBe('not a PDF');
    expect(explained.strictNotes).toEqual(['the failure reason is in "error.message", not "reason" (the field name is not documented)']);

    const c3 = fakeClock();
    const plain = await pollFile(tenant(() => file('failed', { reason: 'not a PDF' }), c3.clock), 'file-1', options(c3));
    expect(plain).toMatchObject({ problems: [], strictNotes: [], reason: 'not a PDF', reasonField: 'reason' });
  });

  it('finds the reason under every field name seen in the wild, and ignores blank ones', () => {
    expect(failureReason({ reason: 'bad' })).toEqual({ field: 'reason', reason: 'bad' });
    expect(failureReason({ reason: ' ', error: 'corrupt' })).toEqual({ field: 'error', reason: 'corrupt' });
    expect(failureReason({ status_details: 'too large' })).toEqual({ field: 'status_details', reason: 'too large' });
    expect(failureReason({ error: null, status_details: '' })).toBeUndefined();
  });

  it('reports a terminal state other than the one expected', async () => {
    const c = fakeClock();
    const result = await pollFile(tenant(() => file('failed', { reason: 'virus found' }), c.clock), 'file-1', options(c, { expectTerminal: 'ready' }));
    expect(result.problems).toEqual(['expected the file to become "ready", it became "failed" (reason: virus found)']);
  });

  it('honours Retry-After in seconds and as an HTTP date, counting the wait against the deadline', async () => {
    const c = fakeClock();
    const script: Script = (_p, _elapsed, call) => {
      if (call === 1) return { status: 429, headers: { 'Retry-After': '3' }, body: '' };
      // at 3300 ms, an HTTP date (whole seconds) 6 s after the start: wait 2700 ms
      if (call === 3) return { status: 429, headers: { 'retry-after': new Date(T0 + 6000).toUTCString() }, body: '' };
      return file(call < 5 ? 'processing' : 'ready');
    };
    const result = await pollFile(tenant(script, c.clock), 'file-1', options(c));
    expect(result.final).toBe('ready');
    expect(result.problems).toEqual([]);
    expect(c.clock.sleeps).toEqual([100, 3000, 200, 2700, 400]);
    expect(result.history.filter((h) => h.status === 429)).toHaveLength(2);
  });

  it('stops when Retry-After goes past the deadline', async () => {
    const c = fakeClock();
    const result = await pollFile(tenant(() => ({ status: 429, headers: { 'retry-after': '30' }, body: '' }), c.clock), 'file-1', options(c));
    expect(result.final).toBe('timeout');
    expect(result.problems).toEqual(['GET /v1/files/file-1 answered 429 asking to wait 30 s, past the deadline']);
    expect(c.clock.sleeps).toEqual([]);
  });

  it('turns a failed request and a body without status into errors, and runs validate on every body', async () => {
    const c = fakeClock();
    const thrown = await pollFile(async () => Promise.reject(new Error('connection refused')), 'file-1', options(c));
    expect(thrown).toMatchObject({ final: 'error', problems: ['GET /v1/files/file-1 failed: connection refused'] });

    const c2 = fakeClock();
    const validated = await pollFile(tenant(() => ok({ id: 'file-2' }), c2.clock), 'file-1', options(c2, { validate: () => ['status: is required'] }));
    expect(validated.final).toBe('error');
    expect(validated.problems).toEqual([
      'GET /v1/files/file-1: status: is required',
      'GET /v1/files/file-1 describes file "file-2", not "file-1"',
      'GET /v1/files/file-1 answered without a status field',
    ]);
  });

  it('uses Date.now and setTimeout by default (here vitest\'s fake ones)', async () => {
    vi.useFakeTimers({ now: T0 });
    try {
      let calls = 0;
      const polling = pollFile(async () => file(++calls > 2 ? 'ready' : 'processing'), 'file-1', { deadlineMs: 2000, initialDelayMs: 5, maxDelayMs: 10 });
      await vi.runAllTimersAsync();
      const result = await polling;
      expect(result.final).toBe('ready');
      expect(result.history.map((h) => h.atMs)).toEqual([0, 5, 15, 15]); // processing twice, ready, one confirming read
      expect(Date.now() - T0).toBe(15); // slept 5, then 10: nothing more
    } finally {
      vi.useRealTimers();
    }
  });

  it('says which deadline stopped it: the run deadline when it comes first, else the poll deadline', async () => {
    const c = fakeClock();
    const early = await pollFile(tenant(() => file('processing'), c.clock), 'file-1', options(c, { deadlineMs: 5000, runDeadline: T0 + 2000 }));
    expect(early.problems).toEqual(['the file is still "processing" after 2000 ms (the run deadline)']);
    const c2 = fakeClock();
    const same = await pollFile(tenant(() => file('processing'), c2.clock), 'file-1', options(c2, { deadlineMs: 5000, runDeadline: T0 + 5000 }));
    expect(same.problems).toEqual(['the file is still "processing" after 5000 ms (deadline 5000 ms)']);
  });

  it('gives up after maxPolls requests, against a clock that does not move', async () => {
    const stuck = { now: () => T0, sleep: async () => undefined };
    const result = await pollFile(async () => file('processing'), 'file-1', { deadlineMs: 10_000, initialDelayMs: 100, maxDelayMs: 100, maxPolls: 3, ...stuck });
    expect(result).toMatchObject({ final: 'timeout', problems: ['gave up after 3 requests'] });
    expect(result.history).toHaveLength(3);
  });

  it('waits out a Retry-After that ends exactly at the deadline', async () => {
    const c = fakeClock();
    const result = await pollFile(tenant((_p, _e, call) => (call === 0 ? { status: 429, headers: { 'retry-after': '10' }, body: '' } : file('ready')), c.clock), 'file-1', options(c));
    expect(result).toMatchObject({ final: 'ready', problems: [] });
    expect(c.clock.sleeps).toEqual([10_000]);
  });

  it('accepts any 2xx answer and nothing outside 200..299', async () => {
    for (const [status, final] of [[200, 'ready'], [299, 'ready'], [199, 'error'], [300, 'error']] as const) {
      const c = fakeClock();
      const result = await pollFile(tenant(() => ({ ...file('ready'), status }), c.clock), 'file-1', options(c));
      expect(result.final, String(status)).toBe(final);
      if (final === 'error') expect(result.problems[0]).toBe(`GET /v1/files/file-1 answered ${status}: {"id":"file-1","object":"file","status":"ready"}`);
    }
  });

  it('reads a body that is JSON text, and refuses one that is not a JSON object', async () => {
    const c = fakeClock();
    const text = await pollFile(tenant(() => ({ status: 200, headers: {}, body: '{"id":"file-1","status":"ready"}' }), c.clock), 'file-1', options(c));
    expect(text).toMatchObject({ final: 'ready', problems: [] });
    for (const [body, shown] of [['oops', 'oops'], [[{ status: 'ready' }], '[{"status":"ready"}]'], [42, '42'], [null, 'null'], ['"ready"', '"ready"']] as const) {
      const c2 = fakeClock();
      const result = await pollFile(tenant(() => ({ status: 200, headers: {}, body }), c2.clock), 'file-1', options(c2));
      expect(result, shown).toMatchObject({ final: 'error', problems: [`GET /v1/files/file-1 answered 200 with a body that is not a JSON object: ${shown}`] });
    }
  });

  it('flattens the whitespace of a body it quotes and cuts it after 160 characters', async () => {
    const quote = async (body: string) => {
      const c = fakeClock();
      return (await pollFile(tenant(() => ({ status: 500, headers: {}, body }), c.clock), 'file-1', options(c))).problems[0];
    };
    expect(await quote('internal \n\n  error')).toBe('GET /v1/files/file-1 answered 500: internal error');
    expect(await quote('x'.repeat(160))).toBe(`GET /v1/files/file-1 answered 500: ${'x'.repeat(160)}`);
    expect(await quote(`${'y'.repeat(160)}z`)).toBe(`GET /v1/files/file-1 answered 500: ${'y'.repeat(160)}…`);
  });

  it('treats an empty status as none, and checks the id only when it is a string', async () => {
    const c = fakeClock();
    expect(await pollFile(tenant(() => file(''), c.clock), 'file-1', options(c))).toMatchObject({ final: 'error', problems: ['GET /v1/files/file-1 answered without a status field'] });
    const c2 = fakeClock();
    const numeric = await pollFile(tenant(() => ok({ id: 7, status: 'ready' }), c2.clock), 'file-1', options(c2));
    expect(numeric).toMatchObject({ final: 'ready', problems: [] });
  });

  it('records the file status only of the answers that have one', async () => {
    const c = fakeClock();
    const result = await pollFile(tenant((_p, _e, call) => (call === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: '' } : file('ready')), c.clock), 'file-1', options(c));
    expect(Object.keys(result.history[0])).toEqual(['path', 'status', 'atMs']);
    expect(result.history[1]).toEqual({ path: '/v1/files/file-1', status: 200, fileStatus: 'ready', atMs: 1000 });
  });

  it('says a problem once however many answers show it', async () => {
    const c = fakeClock();
    const result = await pollFile(tenant((_p, _e, call) => file(call < 2 ? 'processing' : 'ready'), c.clock), 'file-1', options(c, { paths: ['/v1/files/{id}'], validate: () => ['bytes: is required'] }));
    expect(result.history).toHaveLength(4);
    expect(result.problems).toEqual(['GET /v1/files/file-1: bytes: is required']);
  });

  it('re-reads within a grace past the poll deadline, but never past the run deadline', async () => {
    // ready at 5000 ms, the poll deadline; the alias then asks to wait 5 s
    const script: Script = (path, elapsed) => (path.startsWith('/v1/uploads') && elapsed === 5000 ? { status: 429, headers: { 'retry-after': '5' }, body: '' } : file(elapsed < 5000 ? 'processing' : 'ready'));
    const c = fakeClock();
    const graced = await pollFile(tenant(script, c.clock), 'file-1', options(c, { deadlineMs: 5000, initialDelayMs: 5000, maxDelayMs: 5000, paths: ['/v1/files/{id}', '/v1/files/{id}', '/v1/uploads/{id}'] }));
    expect(graced).toMatchObject({ final: 'ready', problems: [] });
    expect(c.clock.sleeps).toEqual([5000, 5000]);

    const c2 = fakeClock();
    const capped = await pollFile(tenant(script, c2.clock), 'file-1', options(c2, { deadlineMs: 5000, initialDelayMs: 5000, maxDelayMs: 5000, runDeadline: T0 + 8000, paths: ['/v1/files/{id}', '/v1/files/{id}', '/v1/uploads/{id}'] }));
    expect(capped.final).toBe('ready');
    expect(capped.problems).toEqual(['could not confirm "ready": GET /v1/uploads/file-1 answered 429 asking to wait 5 s, past the deadline']);
  });

  it('reports the terminal state expected without a reason when the file has none', async () => {
    const c = fakeClock();
    const result = await pollFile(tenant(() => file('ready'), c.clock), 'file-1', options(c, { expectTerminal: 'failed' }));
    expect(result.problems).toEqual(['expected the file to become "failed", it became "ready"']);
  });
});
