// What the mutation run of src/http's small modules found untested (docs/testing.md, "Mutation scores"):
// the documented default limits, Retry-After values of more than one digit (RFC 9110: delay-seconds is
// 1*DIGIT), retry-after-ms with a two-digit fraction, and a body whose last UTF-8 lead byte has one
// continuation byte too many.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_EVENTS, DEFAULT_MAX_LINE_CHARS, DEFAULT_MAX_RESPONSE_BYTES } from '../../src/http/limits.ts';
import { recordBody } from '../../src/http/record.ts';
import { retryAfterMs } from '../../src/http/retry-after.ts';

describe('limits', () => {
  it('reads 1 MiB of an answer, lines of 256 Ki characters, and 10,000 events by default', () => {
    expect([DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_LINE_CHARS, DEFAULT_MAX_EVENTS]).toEqual([1_048_576, 262_144, 10_000]);
  });
});

describe('retryAfterMs: more than one digit', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');

  it('reads delay-seconds of two and three digits', () => {
    expect(retryAfterMs({ 'retry-after': '10' }, now)).toBe(10_000);
    expect(retryAfterMs({ 'retry-after': '120' }, now)).toBe(120_000);
  });

  it('reads retry-after-ms with two decimals', () => {
    expect(retryAfterMs({ 'retry-after-ms': '1.25' }, now)).toBe(1.25);
  });
});

describe('recordBody: a lead byte and too many continuation bytes at the end', () => {
  it('calls a body binary when its last 2-byte character has a second continuation byte', () => {
    // 0xC3 0x80 is "À"; the second 0x80 continues nothing: not UTF-8, so not a character cut at the limit either.
    expect(recordBody(Uint8Array.from([0x41, 0xc3, 0x80, 0x80]), 'text/plain', [])).toBe('<4 bytes text/plain>');
  });
});
