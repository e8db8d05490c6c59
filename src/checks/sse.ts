// Server-sent events: a reader that follows the WHATWG event-stream rules (CRLF/CR/LF line ends,
// multi-line data, comments, event/id fields, chunk boundaries anywhere, even inside a UTF-8
// character) under an idle timeout, a deadline and limits on bytes, line length and events,
// and the check of a streamed chat answer.
import type { ContractValidator } from './contract-validator.ts';
import { DEFAULT_MAX_EVENTS, DEFAULT_MAX_LINE_CHARS, DEFAULT_MAX_RESPONSE_BYTES } from '../http/limits.ts';

export interface SseEvent {
  data: string;
  event?: string;
  id?: string;
}

export interface SseOptions {
  /** longest wait for the next chunk */
  idleTimeoutMs: number;
  /** total time budget from the call */
  deadlineMs: number;
  /** how long to wait for the end of the stream once [DONE] arrived; default min(idleTimeoutMs, 1000) */
  afterDoneMs?: number;
  /** most bytes read; default 1 MiB */
  maxBytes?: number;
  /** longest line, and longest event data; default 256 Ki characters */
  maxLineChars?: number;
  /** most events read; default 10,000 */
  maxEvents?: number;
}

export interface SseResult {
  /** data payloads of the events, in order, [DONE] included */
  events: string[];
  /** the events with their event and id fields */
  records: SseEvent[];
  /** a data: [DONE] event was seen */
  done: boolean;
  /** events that came after the first [DONE] */
  afterDone: number;
  ended: 'eof' | 'idle-timeout' | 'deadline' | 'limit';
  /** which limit cut the stream, when ended is 'limit' */
  limit?: string;
  /** the stream broke (reset, aborted); ended is then 'eof' */
  error?: string;
  /** data of an event the stream ended inside of (no blank line after it): never dispatched */
  unterminated?: string;
  bytes: number;
}

export const DONE = '[DONE]';

const LINE_END = /[\r\n]/g;

/** Thrown by the parser at a line or an event longer than its limit. */
export class SseLimitError extends Error {
  override name = 'SseLimitError';
}

/** Incremental event-stream parser; feed bytes, get events. */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private line = '';
  private afterCR = false;
  private data: string[] = [];
  private dataChars = 0;
  private eventType: string | undefined;
  private lastId: string | undefined;

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    private readonly maxLineChars = DEFAULT_MAX_LINE_CHARS,
  ) {}

  feed(bytes: Uint8Array): void {
    this.feedText(this.decoder.decode(bytes, { stream: true }));
  }

  /** Ends the stream; returns the data of an event left without its closing blank line. */
  end(): string | undefined {
    this.feedText(this.decoder.decode());
    if (this.line !== '') {
      this.processLine(this.line);
      this.line = '';
    }
    const pending = this.data.length > 0 ? this.data.join('\n') : undefined;
    this.data = [];
    return pending;
  }

  private feedText(text: string): void {
    let i = 0;
    if (text.length === 0) return;
    if (this.afterCR && text.startsWith('\n')) i = 1; // the LF of a CRLF split across chunks
    this.afterCR = false;
    while (i < text.length) {
      LINE_END.lastIndex = i;
      const j = LINE_END.exec(text)?.index ?? -1;
      if (j === -1) {
        if (this.line.length + text.length - i > this.maxLineChars) {
          throw new SseLimitError(`a line longer than ${this.maxLineChars} characters without a line end: the stream was cut there`);
        }
        this.line += text.slice(i);
        return;
      }
      this.processLine(this.line + text.slice(i, j));
      this.line = '';
      if (text[j] === '\r' && j + 1 === text.length) {
        this.afterCR = true; // a LF may follow in the next chunk
        return;
      }
      i = text[j] === '\r' && text[j + 1] === '\n' ? j + 2 : j + 1;
    }
  }

  private processLine(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return; // comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      this.dataChars += value.length + 1;
      if (this.dataChars > this.maxLineChars) throw new SseLimitError(`an event with more than ${this.maxLineChars} characters of data: the stream was cut there`);
      this.data.push(value);
    }
    else if (field === 'event') this.eventType = value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    // retry and unknown fields are ignored
  }

  private dispatch(): void {
    if (this.data.length > 0) {
      const event: SseEvent = { data: this.data.join('\n') };
      if (this.eventType !== undefined && this.eventType !== '') event.event = this.eventType;
      if (this.lastId !== undefined) event.id = this.lastId;
      this.onEvent(event);
    }
    this.data = [];
    this.dataChars = 0;
    this.eventType = undefined;
  }
}

export function isDone(data: string): boolean {
  return data.trim() === DONE;
}

const TIMEOUT = Symbol('timeout');

/** Reads a whole event stream, bounded by an idle timeout, a deadline, and its size in bytes, line length and events. */
export async function readSse(stream: AsyncIterable<Uint8Array>, opts: SseOptions): Promise<SseResult> {
  const result: SseResult = { events: [], records: [], done: false, afterDone: 0, ended: 'eof', bytes: 0 };
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxEvents = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
  const parser = new SseParser((event) => {
    if (result.records.length >= maxEvents) throw new SseLimitError(`more than ${maxEvents} events: the stream was cut there`);
    if (result.done) result.afterDone++;
    result.records.push(event);
    result.events.push(event.data);
    if (isDone(event.data)) result.done = true;
  }, opts.maxLineChars);
  const afterDoneMs = opts.afterDoneMs ?? Math.min(opts.idleTimeoutMs, 1000);
  const deadline = Date.now() + opts.deadlineMs;
  const iterator = stream[Symbol.asyncIterator]();
  const cut = (reason: string) => {
    result.ended = 'limit';
    result.limit = reason;
  };
  try {
    for (;;) {
      const remaining = deadline - Date.now();
      const idle = result.done ? afterDoneMs : opts.idleTimeoutMs;
      if (remaining <= 0) {
        result.ended = 'deadline';
        break;
      }
      const next = await withTimeout(iterator.next(), Math.min(idle, remaining));
      if (next === TIMEOUT) {
        result.ended = remaining <= idle ? 'deadline' : 'idle-timeout';
        break;
      }
      if (next.done) break;
      result.bytes += next.value.byteLength;
      if (result.bytes > maxBytes) {
        cut(`the stream is longer than ${maxBytes} bytes, the most the harness reads: it was cut there`);
        break;
      }
      parser.feed(next.value);
    }
  } catch (err) {
    if (err instanceof SseLimitError || (err as { kind?: string }).kind === 'limit') cut((err as Error).message);
    else result.error = err instanceof Error ? err.message : String(err);
  }
  if (result.ended !== 'eof') void Promise.resolve(iterator.return?.()).catch(() => undefined);
  if (result.ended !== 'limit') {
    const pending = parser.end();
    if (pending !== undefined) result.unterminated = pending;
  }
  return result;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  promise.catch(() => undefined); // a late rejection after the timeout is not unhandled
  try {
    return await Promise.race([promise, new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** A flood of bad events is described by its first few. */
const MAX_EVENTS_DESCRIBED = 10;

/** Problems of a streamed chat completion answer; empty when it is what OpenAI clients expect. */
export function checkChatStream(contentType: string | undefined, sse: SseResult, validator: ContractValidator): string[] {
  const problems: string[] = [];
  if (!contentType || !contentType.toLowerCase().includes('text/event-stream')) {
    problems.push(`content type is ${contentType ? `"${contentType}"` : 'missing'}, expected text/event-stream`);
  }
  if (sse.error) problems.push(`the stream broke after ${sse.bytes} bytes: ${sse.error}`);
  if (sse.ended === 'limit') problems.push(`the stream was not read to its end: ${sse.limit}`);
  if (!sse.done && sse.ended === 'idle-timeout') problems.push(`the stream stalled: no data for the idle timeout, and no [DONE] yet`);
  if (!sse.done && sse.ended === 'deadline') problems.push(`the stream did not finish before the deadline`);
  if (sse.unterminated !== undefined) {
    problems.push(`the stream ended inside an event (no blank line after "data: ${clip(sse.unterminated)}"), so clients drop it`);
  }
  let contentDeltas = 0;
  const eventProblems: string[] = [];
  let badEvents = 0;
  sse.records.forEach((record, i) => {
    if (isDone(record.data)) return;
    const where = `event ${i + 1}`;
    const found: string[] = [];
    if (record.event === 'error') found.push(`${where}: an "event: error" event: ${clip(record.data)}`);
    let chunk: unknown;
    try {
      chunk = JSON.parse(record.data);
    } catch {
      found.push(`${where}: data is not JSON: ${clip(record.data)}`);
    }
    if (chunk && typeof chunk === 'object' && 'error' in chunk) {
      found.push(`${where}: the chunk carries an error: ${clip(JSON.stringify((chunk as { error: unknown }).error))}`);
    } else if (chunk !== undefined) {
      for (const p of validator.validateBody('ChatCompletionChunk', chunk)) found.push(`${where}: ${p}`);
      const choices = (chunk as { choices?: unknown } | null)?.choices; // `data: null` is JSON too
      if (Array.isArray(choices) && choices.some((c) => typeof c?.delta?.content === 'string' && c.delta.content !== '')) contentDeltas++;
    }
    if (found.length) badEvents++;
    if (badEvents <= MAX_EVENTS_DESCRIBED) eventProblems.push(...found);
  });
  problems.push(...eventProblems);
  if (badEvents > MAX_EVENTS_DESCRIBED) problems.push(`… and ${badEvents - MAX_EVENTS_DESCRIBED} more events with problems`);
  const dones = sse.events.filter(isDone).length;
  if (dones === 0 && sse.ended !== 'limit') problems.push('no "data: [DONE]" event: clients wait for it to know the answer is complete');
  if (dones > 1) problems.push(`${dones} "data: [DONE]" events, expected exactly one`);
  if (sse.afterDone > 0) problems.push(`${sse.afterDone} event(s) after "data: [DONE]", which must be last`);
  if (sse.events.length > 0 && contentDeltas === 0) problems.push('no chunk carries a non-empty choices[].delta.content');
  if (sse.events.length === 0) problems.push('the stream has no events');
  return problems;
}

function clip(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
