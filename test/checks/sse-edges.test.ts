// The edges of the event-stream reader and of the streamed chat check (docs/testing.md, "Mutation scores"):
// the WHATWG line and field rules, the limits at their exact values, and every problem checkChatStream names.
import { describe, expect, it } from 'vitest';
import { checkChatStream, readSse, SseParser, type SseEvent, type SseResult } from '../../src/checks/sse.ts';
import { contractValidator } from '../../src/checks/contract-validator.ts';
import { chunk, enc, opts, streamOf } from './sse-fixtures.ts';


describe('SseParser, the line rules', () => {
  const parse = (...chunks: string[]) => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    for (const c of chunks) parser.feed(enc.encode(c));
    return { events, pending: parser.end() };
  };

  it('ends lines at a lone CR too, and at a CRLF split across two chunks only once', () => {
    expect(parse('data: a\r\rdata: b\r\r').events).toEqual([{ data: 'a' }, { data: 'b' }]);
    expect(parse('data: a\r', '\ndata: b\r', '\n\r', '\n').events).toEqual([{ data: 'a\nb' }]);
    expect(parse('data: a\r', '\r').events).toEqual([{ data: 'a' }]);
    expect(parse('data: a\n', '', '\n').events).toEqual([{ data: 'a' }]);
  });

  it('drops one space after the colon, no more, and takes a field without a colon as an empty value', () => {
    expect(parse('data:  two spaces\n\ndata:none\n\ndata\ndata\n\n').events).toEqual([{ data: ' two spaces' }, { data: 'none' }, { data: '\n' }]);
  });

  it('keeps the last id for later events, ignores an id with NUL and an empty event type, and resets the type per event', () => {
    const { events } = parse('id: 1\nevent: first\ndata: a\n\ndata: b\n\nid: x\0y\nevent:\ndata: c\n\nid\ndata: d\n\n');
    expect(events).toEqual([{ data: 'a', event: 'first', id: '1' }, { data: 'b', id: '1' }, { data: 'c', id: '1' }, { data: 'd', id: '' }]);
  });

  it('dispatches nothing for a blank line without data, nor for comments', () => {
    expect(parse('\n\n: keep-alive\n\nevent: x\n\n').events).toEqual([]);
  });

  it('hands back a last line without its line end as part of the unfinished event', () => {
    expect(parse('data: a\ndata: b').pending).toBe('a\nb');
    expect(parse('data: a\n\n').pending).toBeUndefined();
    expect(parse('event: x').pending).toBeUndefined();
  });

  it('counts the data of one event across its lines against the limit, and starts again at the next event', () => {
    const limited = (text: string) => {
      const events: string[] = [];
      const parser = new SseParser((e) => events.push(e.data), 10);
      parser.feed(enc.encode(text));
      parser.end();
      return events;
    };
    expect(limited('data: 1234\ndata: 1234\n\ndata: 123456789\n\n')).toEqual(['1234\n1234', '123456789']); // 5 + 5, then 10
    expect(() => limited('data: 1234\ndata: 12345\n\n')).toThrow('an event with more than 10 characters of data: the stream was cut there');
    expect(limited('data: 12345\n\ndata: 12345\n\n')).toEqual(['12345', '12345']);
  });

  it('bounds a line that arrives in pieces by the whole line', () => {
    const parser = new SseParser(() => undefined, 10);
    parser.feed(enc.encode('data:'));
    parser.feed(enc.encode('12345'));
    expect(() => parser.feed(enc.encode('6'))).toThrow('a line longer than 10 characters without a line end: the stream was cut there');
  });
});

describe('readSse, the edges', () => {
  it('takes [DONE] with spaces around it as [DONE], and counts the bytes read', async () => {
    const sse = await readSse(streamOf(enc.encode('data:  [DONE] \n\n')), opts);
    expect([sse.done, sse.events, sse.bytes, sse.ended]).toEqual([true, [' [DONE] '], 16, 'eof']);
  });

  it('reads a stream of exactly maxBytes, and cuts one more', async () => {
    const text = 'data: 12\n\n'; // 10 bytes
    expect((await readSse(streamOf(enc.encode(text)), { ...opts, maxBytes: 10 })).ended).toBe('eof');
    const cut = await readSse(streamOf(enc.encode(text), enc.encode('x')), { ...opts, maxBytes: 10 });
    expect([cut.ended, cut.limit, cut.bytes]).toEqual(['limit', 'the stream is longer than 10 bytes, the most the harness reads: it was cut there', 11]);
    expect(cut.unterminated).toBeUndefined();
  });

  it('takes a stream error of kind limit as a limit, and any other as a break', async () => {
    async function* failing(error: unknown): AsyncGenerator<Uint8Array> {
      yield enc.encode('data: a\n\n');
      throw error;
    }
    const limit = await readSse(failing(Object.assign(new Error('cut by the client'), { kind: 'limit' })), opts);
    expect([limit.ended, limit.limit, limit.error]).toEqual(['limit', 'cut by the client', undefined]);
    const broke = await readSse(failing('not an Error'), opts);
    expect([broke.ended, broke.error, broke.events]).toEqual(['eof', 'not an Error', ['a']]);
  });

  it('stops at once for a deadline already spent', async () => {
    const sse = await readSse(streamOf(enc.encode('data: a\n\n')), { idleTimeoutMs: 1000, deadlineMs: 0 });
    expect([sse.ended, sse.events]).toEqual(['deadline', []]);
  });
});

describe('checkChatStream, every problem named', () => {
  const validator = contractValidator();
  const result = (over: Partial<SseResult>): SseResult => ({ events: [], records: [], done: false, afterDone: 0, ended: 'eof', bytes: 0, ...over });
  const good = () => {
    const records = [{ data: chunk('hi') }, { data: '[DONE]' }];
    return result({ records, events: records.map((r) => r.data), done: true });
  };

  it('takes the event-stream type in any case and with parameters, and names a missing one', () => {
    expect(checkChatStream('Text/Event-Stream; charset=utf-8', good(), validator)).toEqual([]);
    expect(checkChatStream(undefined, good(), validator)).toEqual(['content type is missing, expected text/event-stream']);
    expect(checkChatStream('', good(), validator)).toEqual(['content type is missing, expected text/event-stream']);
  });

  it('names a break, a limit, a stall and a deadline, the last two only before [DONE]', () => {
    const t = 'text/event-stream';
    expect(checkChatStream(t, { ...good(), error: 'connection reset', bytes: 42 }, validator)).toEqual(['the stream broke after 42 bytes: connection reset']);
    expect(checkChatStream(t, { ...good(), ended: 'limit', limit: 'more than 5 events' }, validator)).toEqual(['the stream was not read to its end: more than 5 events']);
    expect(checkChatStream(t, { ...good(), ended: 'idle-timeout' }, validator)).toEqual([]);
    expect(checkChatStream(t, { ...good(), ended: 'deadline' }, validator)).toEqual([]);
    const open = () => {
      const records = [{ data: chunk('hi') }];
      return result({ records, events: records.map((r) => r.data) });
    };
    expect(checkChatStream(t, { ...open(), ended: 'idle-timeout' }, validator)).toEqual([
      'the stream stalled: no data for the idle timeout, and no [DONE] yet',
      'no "data: [DONE]" event: clients wait for it to know the answer is complete',
    ]);
    expect(checkChatStream(t, { ...open(), ended: 'deadline' }, validator)).toEqual([
      'the stream did not finish before the deadline',
      'no "data: [DONE]" event: clients wait for it to know the answer is complete',
    ]);
    expect(checkChatStream(t, { ...open(), ended: 'limit', limit: 'L' }, validator)).toEqual(['the stream was not read to its end: L']); // no [DONE] is no news then
  });

  it('names an error event, and clips quoted data to 120 characters on one line', () => {
    const records = [{ data: chunk('hi') }, { data: `oops\n${'e'.repeat(200)}`, event: 'error' }, { data: '[DONE]' }];
    const problems = checkChatStream('text/event-stream', result({ records, events: records.map((r) => r.data), done: true }), validator);
    const clipped = `oops ${'e'.repeat(115)}…`;
    expect(problems).toEqual([`event 2: an "event: error" event: ${clipped}`, `event 2: data is not JSON: ${clipped}`]);
    const unterminated = checkChatStream('text/event-stream', { ...good(), unterminated: 'x'.repeat(120) }, validator);
    expect(unterminated).toEqual([`the stream ended inside an event (no blank line after "data: ${'x'.repeat(120)}"), so clients drop it`]);
    expect(checkChatStream('text/event-stream', { ...good(), unterminated: '' }, validator)).toEqual(['the stream ended inside an event (no blank line after "data: "), so clients drop it']);
  });

  it('describes the first 10 bad events and counts the rest', () => {
    const bad = Array.from({ length: 13 }, (_, i) => ({ data: `bad ${i + 1}` }));
    const records = [{ data: chunk('hi') }, ...bad, { data: '[DONE]' }];
    const problems = checkChatStream('text/event-stream', result({ records, events: records.map((r) => r.data), done: true }), validator);
    expect(problems).toEqual([...Array.from({ length: 10 }, (_, i) => `event ${i + 2}: data is not JSON: bad ${i + 1}`), '… and 3 more events with problems']);
    const ten = [{ data: chunk('hi') }, ...bad.slice(0, 10), { data: '[DONE]' }];
    expect(checkChatStream('text/event-stream', result({ records: ten, events: ten.map((r) => r.data), done: true }), validator)).toHaveLength(10);
  });

  it('counts only a non-empty string delta as content', () => {
    const stream = (...chunks: string[]) => {
      const records = [...chunks.map((data) => ({ data })), { data: '[DONE]' }];
      return result({ records, events: records.map((r) => r.data), done: true });
    };
    const none = 'no chunk carries a non-empty choices[].delta.content';
    expect(checkChatStream('text/event-stream', stream(chunk('')), validator)).toEqual([none]);
    expect(checkChatStream('text/event-stream', stream(chunk(null), chunk('x')), validator)).toEqual([]);
    expect(checkChatStream('text/event-stream', stream(JSON.stringify({ ...JSON.parse(chunk(null)), choices: [{ index: 0, delta: { content: 5 }, finish_reason: null }] })), validator)).toContain(none);
  });

  it('names a stream with no events at all, besides the missing [DONE]', () => {
    expect(checkChatStream('text/event-stream', result({}), validator)).toEqual(['no "data: [DONE]" event: clients wait for it to know the answer is complete', 'the stream has no events']);
  });
});
