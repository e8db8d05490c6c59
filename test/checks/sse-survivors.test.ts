// The event-stream reader and the streamed chat check at the edges the mutation run of src/checks/sse.ts left
// open (docs/testing.md, "Mutation scores"): a `data:` line with nothing after the colon, the fields a result
// and an event carry only when there is something to say, the default of 10,000 events (src/http/limits.ts),
// a wait that ends exactly at the deadline, no timer left behind, a cut stream's unfinished event, and chunks
// whose JSON is not an object or that carry content in one choice of two.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkChatStream, readSse, SseLimitError, SseParser, type SseEvent, type SseResult } from '../../src/checks/sse.ts';
import { contractValidator } from '../../src/checks/contract-validator.ts';
import { chunk, enc, opts, streamOf } from './sse-fixtures.ts';

describe('SseParser: fields', () => {
  const parse = (text: string) => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    parser.feed(enc.encode(text));
    parser.end();
    return events;
  };

  it('takes "data:" with nothing after the colon as an empty data line, not a comment', () => {
    expect(parse('data:\n\n')).toStrictEqual([{ data: '' }]);
  });

  it('gives an event its event and id fields only when the stream set them', () => {
    expect(parse('data: a\n\n')).toStrictEqual([{ data: 'a' }]);
    expect(Object.keys(parse('data: a\n\n')[0])).toEqual(['data']);
  });

  it('throws its limit errors as SseLimitError, by name too', () => {
    const parser = new SseParser(() => undefined, 4);
    let error: unknown;
    try {
      parser.feed(enc.encode('data: 12345'));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SseLimitError);
    expect((error as Error).name).toBe('SseLimitError');
  });
});

describe('readSse: results and limits', () => {
  it('says nothing of an unfinished event when none was left', async () => {
    expect(await readSse(streamOf(enc.encode('data: a\n\n')), opts)).toStrictEqual({ events: ['a'], records: [{ data: 'a' }], done: false, afterDone: 0, ended: 'eof', bytes: 9 });
  });

  it('reads 10,000 events by default, and cuts the stream at the next one', async () => {
    const events = (n: number) => enc.encode('data: x\n\n'.repeat(n));
    expect((await readSse(streamOf(events(10_000)), opts)).ended).toBe('eof');
    const cut = await readSse(streamOf(events(10_001)), opts);
    expect([cut.ended, cut.limit, cut.records.length]).toEqual(['limit', 'more than 10000 events: the stream was cut there', 10_000]);
  });

  it('does not report the unfinished event of a stream it cut at a limit', async () => {
    const sse = await readSse(streamOf(enc.encode('data: a\n'), enc.encode('xxxxxxxx')), { ...opts, maxBytes: 10 });
    expect([sse.ended, sse.unterminated]).toEqual(['limit', undefined]);
  });

  describe('on a fake clock', () => {
    beforeEach(() => void vi.useFakeTimers({ now: 0 }));
    afterEach(() => void vi.useRealTimers());

    it('calls a wait that ends exactly at the deadline a deadline', async () => {
      async function* quiet(): AsyncGenerator<Uint8Array> {
        yield enc.encode('data: a\n\n');
        await new Promise(() => undefined);
      }
      const reading = readSse(quiet(), { idleTimeoutMs: 300, deadlineMs: 300 });
      await vi.advanceTimersByTimeAsync(300);
      expect((await reading).ended).toBe('deadline');
    });

    it('leaves no timer behind once the stream has ended', async () => {
      const reading = readSse(streamOf(enc.encode('data: a\n\n'), enc.encode('data: b\n\n')), opts);
      await vi.advanceTimersByTimeAsync(0);
      expect((await reading).events).toEqual(['a', 'b']);
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});

describe('checkChatStream: chunks', () => {
  const validator = contractValidator();
  const stream = (...data: string[]): SseResult => {
    const records = [...data.map((d) => ({ data: d })), { data: '[DONE]' }];
    return { events: records.map((r) => r.data), records, done: true, afterDone: 0, ended: 'eof', bytes: 0 };
  };

  it('names a chunk that is JSON but a number or a string as not an object', () => {
    expect(checkChatStream('text/event-stream', stream(chunk('hi'), '5', '"text"'), validator)).toEqual(['event 2: (body): must be object', 'event 3: (body): must be object']);
  });

  it('counts a chunk as content when one of its choices has some', () => {
    const two = JSON.stringify({ ...JSON.parse(chunk(null)), choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }, { index: 1, delta: {}, finish_reason: null }] });
    expect(checkChatStream('text/event-stream', stream(two), validator)).toEqual([]);
  });

  it('quotes data on one line, each run of white space one space', () => {
    const records = [{ data: chunk('hi') }, { data: 'oops\r\n\r\n  more', event: 'error' }, { data: '[DONE]' }];
    const sse: SseResult = { events: records.map((r) => r.data), records, done: true, afterDone: 0, ended: 'eof', bytes: 0 };
    expect(checkChatStream('text/event-stream', sse, validator)).toEqual(['event 2: an "event: error" event: oops more', 'event 2: data is not JSON: oops more']);
  });
});
