import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkChatStream, readSse, SseParser, type SseEvent, type SseResult } from '../../src/checks/sse.ts';
import { contractValidator } from '../../src/checks/contract-validator.ts';
import { chunk, enc, opts, streamOf } from './sse-fixtures.ts';


const usageOnly = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1_700_000_000,
  model: 'agent-alias',
  choices: [],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
});

/** One event per payload; a payload with line breaks becomes several data: lines. */
function body(payloads: string[], eol = '\n'): string {
  return payloads.map((p) => `${p.split('\n').map((line) => `data: ${line}${eol}`).join('')}${eol}`).join('');
}

const multiLine = JSON.stringify(JSON.parse(chunk('on two lines')), null, 1);
const goodPayloads = [chunk('Héllo '), chunk('wörld 🌍'), multiLine, chunk(null), usageOnly, '[DONE]'];

describe('SseParser', () => {
  it('reads the same events whatever byte offset a chunk boundary falls on (LF and CRLF)', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const bytes = enc.encode(`: keep-alive${eol}${body(goodPayloads, eol)}`);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const events: SseEvent[] = [];
        const parser = new SseParser((e) => events.push(e));
        parser.feed(bytes.subarray(0, cut));
        parser.feed(bytes.subarray(cut));
        expect(parser.end()).toBeUndefined();
        expect(events.map((e) => e.data), `eol ${JSON.stringify(eol)} cut at ${cut}`).toEqual(goodPayloads);
      }
    }
  });

  it('survives one byte per chunk, splitting every multi-byte character', () => {
    const bytes = enc.encode(body(goodPayloads, '\r\n'));
    const events: string[] = [];
    const parser = new SseParser((e) => events.push(e.data));
    for (const b of bytes) parser.feed(Uint8Array.of(b));
    parser.end();
    expect(events).toEqual(goodPayloads);
    expect(JSON.parse(events[1]).choices[0].delta.content).toBe('wörld 🌍');
  });

  it('joins multi-line data with LF and keeps event and id fields; ignores comments and unknown fields', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    parser.feed(enc.encode('id: 7\nevent: message\ndata: line one\ndata:line two\n: a comment\nretry: 10\nfoo: bar\n\nevent: lonely\n\ndata\n\n'));
    parser.end();
    expect(events).toEqual([{ data: 'line one\nline two', event: 'message', id: '7' }, { data: '', id: '7' }]);
  });

  it('reports an event that the stream ended inside of instead of dispatching it', () => {
    const events: string[] = [];
    const parser = new SseParser((e) => events.push(e.data));
    parser.feed(enc.encode(`data: ${chunk('a')}\n\ndata: [DONE]`));
    expect(parser.end()).toBe('[DONE]');
    expect(events).toHaveLength(1);
  });
});

describe('readSse', () => {
  it('counts [DONE] and the events after it', async () => {
    const sse = await readSse(streamOf(enc.encode(body([chunk('a'), '[DONE]', chunk('late'), '[DONE]']))), opts);
    expect(sse.done).toBe(true);
    expect(sse.afterDone).toBe(2);
    expect(sse.ended).toBe('eof');
    expect(sse.events).toHaveLength(4);
  });

  // The reader's clock and timers are vitest's fake ones: each bound is reached exactly when the fake clock
  // reaches it, and not a millisecond before.
  describe('on a fake clock', () => {
    beforeEach(() => void vi.useFakeTimers({ now: 0 }));
    afterEach(() => void vi.useRealTimers());

    /** Reads the stream, advances the clock to `at` ms, and says whether the read had ended 1 ms before. */
    async function readUntil(stream: AsyncIterable<Uint8Array>, options: Parameters<typeof readSse>[1], at: number) {
      let ended = false;
      const reading = readSse(stream, options).finally(() => (ended = true));
      await vi.advanceTimersByTimeAsync(at - 1);
      const endedEarly = ended;
      await vi.advanceTimersByTimeAsync(1);
      expect(ended, `ended at ${at} ms`).toBe(true);
      return { sse: await reading, endedEarly };
    }

    it('stops at the idle timeout when the server goes quiet', async () => {
      async function* stalls(): AsyncGenerator<Uint8Array> {
        yield enc.encode(body([chunk('a')]));
        await new Promise(() => undefined);
      }
      const { sse, endedEarly } = await readUntil(stalls(), { idleTimeoutMs: 80, deadlineMs: 5000 }, 80);
      expect(endedEarly).toBe(false);
      expect(sse.ended).toBe('idle-timeout');
      expect(sse.events).toHaveLength(1);
    });

    it('stops at the deadline when a stream trickles forever', async () => {
      async function* trickles(): AsyncGenerator<Uint8Array> {
        for (;;) {
          await new Promise((r) => setTimeout(r, 10));
          yield enc.encode(': ping\n');
        }
      }
      const { sse, endedEarly } = await readUntil(trickles(), { idleTimeoutMs: 1000, deadlineMs: 120 }, 120);
      expect(endedEarly).toBe(false);
      expect(sse.ended).toBe('deadline');
      expect(sse.bytes).toBe(12 * ': ping\n'.length);
    });

    it('calls a wait that the deadline cuts short a deadline, not an idle timeout', async () => {
      async function* quiet(): AsyncGenerator<Uint8Array> {
        yield enc.encode(body([chunk('a')]));
        await new Promise(() => undefined);
      }
      const { sse, endedEarly } = await readUntil(quiet(), { idleTimeoutMs: 1000, deadlineMs: 300 }, 300);
      expect(endedEarly).toBe(false);
      expect(sse.ended).toBe('deadline');
    });

    it('waits only afterDoneMs for the end once [DONE] arrived', async () => {
      async function* lingers(): AsyncGenerator<Uint8Array> {
        yield enc.encode(body([chunk('a'), '[DONE]']));
        await new Promise(() => undefined);
      }
      const { sse, endedEarly } = await readUntil(lingers(), { idleTimeoutMs: 5000, deadlineMs: 10_000, afterDoneMs: 50 }, 50);
      expect(endedEarly).toBe(false);
      expect(sse.done).toBe(true);
      expect(sse.ended).toBe('idle-timeout');
    });

    it('waits the smaller of the idle timeout and 1 s after [DONE] by default', async () => {
      async function* lingers(): AsyncGenerator<Uint8Array> {
        yield enc.encode(body([chunk('a'), '[DONE]']));
        await new Promise(() => undefined);
      }
      expect((await readUntil(lingers(), { idleTimeoutMs: 5000, deadlineMs: 10_000 }, 1000)).endedEarly).toBe(false);
      expect((await readUntil(lingers(), { idleTimeoutMs: 200, deadlineMs: 10_000 }, 200)).endedEarly).toBe(false);
    });

    it('flags a stalled stream', async () => {
      async function* stalls(): AsyncGenerator<Uint8Array> {
        yield enc.encode(body([chunk('a')]));
        await new Promise(() => undefined);
      }
      const { sse } = await readUntil(stalls(), { idleTimeoutMs: 50, deadlineMs: 5000 }, 50);
      expect(checkChatStream('text/event-stream', sse, contractValidator())).toContain('the stream stalled: no data for the idle timeout, and no [DONE] yet');
    });
  });

  it('records a broken stream as an error with the bytes read so far', async () => {
    async function* breaks(): AsyncGenerator<Uint8Array> {
      yield enc.encode(body([chunk('a')]));
      throw new Error('other side closed');
    }
    const sse = await readSse(breaks(), opts);
    expect(sse.error).toBe('other side closed');
    expect(sse.bytes).toBeGreaterThan(0);
    expect(sse.events).toHaveLength(1);
  });
});

describe('checkChatStream', () => {
  const validator = contractValidator();
  const read = (text: string) => readSse(streamOf(enc.encode(text)), opts);
  const check = (sse: SseResult, ct = 'text/event-stream; charset=utf-8') => checkChatStream(ct, sse, validator);

  it('accepts a well-formed stream with a usage-only chunk', async () => {
    expect(check(await read(body(goodPayloads)))).toEqual([]);
    expect(check(await read(body(goodPayloads, '\r\n')))).toEqual([]);
  });

  it('flags a missing [DONE]', async () => {
    const problems = check(await read(body([chunk('a'), chunk(null)])));
    expect(problems).toEqual([expect.stringContaining('no "data: [DONE]" event')]);
  });

  it('flags events after [DONE] and a second [DONE]', async () => {
    const problems = check(await read(body([chunk('a'), '[DONE]', chunk('b'), '[DONE]'])));
    expect(problems).toContain('2 "data: [DONE]" events, expected exactly one');
    expect(problems).toContain('2 event(s) after "data: [DONE]", which must be last');
  });

  it('flags a single event after [DONE], such as a usage chunk sent late', async () => {
    const sse = await read(body([chunk('a'), chunk(null), '[DONE]', usageOnly]));
    expect(sse.afterDone).toBe(1);
    expect(check(sse)).toEqual(['1 event(s) after "data: [DONE]", which must be last']);
  });

  it('flags a single event after [DONE] that arrives in a later chunk of the stream', async () => {
    const sse = await readSse(streamOf(enc.encode(body([chunk('a'), '[DONE]'])), enc.encode(body([chunk('late')]))), opts);
    expect(check(sse)).toEqual(['1 event(s) after "data: [DONE]", which must be last']);
  });

  it('flags a JSON answer to a stream request', async () => {
    const completion = JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [] });
    const problems = check(await read(completion), 'application/json');
    expect(problems[0]).toBe('content type is "application/json", expected text/event-stream');
    expect(problems).toContain('the stream has no events');
  });

  it('flags chunks that are not JSON, not chunk-shaped, or carry an error', async () => {
    const wrongObject = chunk('x').replace('chat.completion.chunk', 'chat.completion');
    const problems = check(await read(body([chunk('a'), 'not json', wrongObject, JSON.stringify({ error: { message: 'upstream failed' } }), '[DONE]'])));
    expect(problems).toEqual([
      'event 2: data is not JSON: not json',
      'event 3: object: must be equal to constant "chat.completion.chunk"',
      'event 4: the chunk carries an error: {"message":"upstream failed"}',
    ]);
  });

  it('flags a stream with no content delta', async () => {
    expect(check(await read(body([chunk(null), '[DONE]'])))).toEqual(['no chunk carries a non-empty choices[].delta.content']);
  });

  it('flags a [DONE] left without its closing blank line', async () => {
    const problems = check(await read(`${body([chunk('a')])}data: [DONE]\n`));
    expect(problems).toContain('the stream ended inside an event (no blank line after "data: [DONE]"), so clients drop it');
  });

});
