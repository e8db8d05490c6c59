// What the mutation run of src/checks/sse.ts found untested (docs/testing.md, "Mutation scores"): the WHATWG
// event-stream rules at a chunk that decodes to nothing and at the end of the stream, the line bound after a
// line end, the reader hanging up on a stream it stopped reading (and only then), and chunks whose JSON is
// null or whose choices are not objects.
import { describe, expect, it } from 'vitest';
import { checkChatStream, readSse, SseParser, type SseEvent, type SseResult } from '../../src/checks/sse.ts';
import { contractValidator } from '../../src/checks/contract-validator.ts';
import { chunk, enc } from './sse-fixtures.ts';

const parse = (...chunks: (string | number[])[]) => {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e), 10);
  for (const c of chunks) parser.feed(typeof c === 'string' ? enc.encode(c) : Uint8Array.from(c));
  return { events, pending: parser.end() };
};

describe('SseParser: chunk and stream ends', () => {
  it('keeps a CR and the LF after it one line end when an empty chunk comes between them', () => {
    expect(parse('data: a\r', '', '\ndata: b\n\n').events).toEqual([{ data: 'a\nb' }]);
  });

  it('decodes a character cut by the end of the stream as U+FFFD (the UTF-8 decoder is flushed)', () => {
    expect(parse('data: a', [0xe2, 0x82]).pending).toBe('a\uFFFD');
  });

  it('hands back the data of an event whose last line ended but no blank line followed', () => {
    const { events, pending } = parse('data: a\n');
    expect([events, pending]).toEqual([[], 'a']);
  });

  it('bounds the rest of a chunk after a line end by its own length', () => {
    expect(parse('data: 1\n\n123456789').events).toEqual([{ data: '1' }]); // the 9 characters after the blank line fit in 10
  });
});

/** A stream of these parts that then ends, or never answers again; it counts the reader's calls to return(). */
function spiedStream(parts: string[], then: 'end' | 'stall', returns: 'ok' | 'rejects' | 'absent' = 'ok') {
  const calls = { returned: 0 };
  let i = 0;
  const iterator: AsyncIterator<Uint8Array> = {
    next: () => {
      if (i < parts.length) return Promise.resolve({ done: false, value: enc.encode(parts[i++]) });
      return then === 'end' ? Promise.resolve({ done: true, value: undefined }) : new Promise(() => undefined);
    },
  };
  if (returns !== 'absent') {
    iterator.return = () => {
      calls.returned++;
      return returns === 'ok' ? Promise.resolve({ done: true, value: undefined }) : Promise.reject(new Error('socket already gone'));
    };
  }
  return { stream: { [Symbol.asyncIterator]: () => iterator }, calls };
}

describe('readSse: hanging up', () => {
  const quick = { idleTimeoutMs: 20, deadlineMs: 5000 };

  it('does not hang up on a stream that ended by itself', async () => {
    const { stream, calls } = spiedStream(['data: a\n\n'], 'end');
    expect((await readSse(stream, quick)).ended).toBe('eof');
    expect(calls.returned).toBe(0);
  });

  it('hangs up once on a stream it stopped waiting for, or cut at a limit', async () => {
    const idle = spiedStream(['data: a\n\n'], 'stall');
    expect((await readSse(idle.stream, quick)).ended).toBe('idle-timeout');
    expect(idle.calls.returned).toBe(1);
    const cut = spiedStream(['data: a\n\n', 'data: b\n\n'], 'end');
    expect((await readSse(cut.stream, { ...quick, maxBytes: 12 })).ended).toBe('limit');
    expect(cut.calls.returned).toBe(1);
  });

  it('takes a stream without return(), and one whose return() fails, as hung up', async () => {
    const absent = spiedStream(['data: a\n\n'], 'stall', 'absent');
    expect((await readSse(absent.stream, quick)).events).toEqual(['a']);
    const rejects = spiedStream(['data: a\n\n'], 'stall', 'rejects');
    expect((await readSse(rejects.stream, quick)).ended).toBe('idle-timeout');
    await new Promise((resolve) => setTimeout(resolve, 10)); // an unhandled rejection would fail the run here
    expect(rejects.calls.returned).toBe(1);
  });
});

describe('checkChatStream: chunks that are JSON but not chunk-shaped', () => {
  const validator = contractValidator();
  const stream = (...data: string[]): SseResult => {
    const records = [...data.map((d) => ({ data: d })), { data: '[DONE]' }];
    return { events: records.map((r) => r.data), records, done: true, afterDone: 0, ended: 'eof', bytes: 0 };
  };
  const choices = (list: unknown[]) => JSON.stringify({ ...JSON.parse(chunk(null)), choices: list });

  it('names a data: null chunk as not an object', () => {
    expect(checkChatStream('text/event-stream', stream(chunk('hi'), 'null'), validator)).toEqual(['event 2: (body): must be object']);
  });

  it('names a choice that is null or has no delta, and counts the content of the others', () => {
    expect(checkChatStream('text/event-stream', stream(choices([null, { index: 1, delta: { content: 'x' } }])), validator)).toEqual(['event 1: choices[0]: must be object']);
    expect(checkChatStream('text/event-stream', stream(choices([{ index: 0 }, { index: 1, delta: { content: 'x' } }])), validator)).toEqual([
      "event 1: choices[0]: must have required property 'delta'",
    ]);
  });
});
