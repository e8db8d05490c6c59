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
});
