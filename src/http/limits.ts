// How much of an answer the harness reads: a hostile or broken tenant cannot make memory or time unbounded.
// Every answer is cut at these limits, streams included, with a reason that names the limit.

/** Most bytes read of one answer, a stream's included (a 16-token chat stream is a few KiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** Longest line of an event stream (a line is never near this in a real stream). */
export const DEFAULT_MAX_LINE_CHARS = 256 * 1024;
/** Most events read of one event stream. */
export const DEFAULT_MAX_EVENTS = 10_000;
/** setTimeout takes at most 2^31 - 1 ms; a longer wait fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Milliseconds left before `deadline` (epoch ms); Infinity without one. */
export function msUntil(deadline: number | undefined, now = Date.now()): number {
  return deadline === undefined ? Infinity : deadline - now;
}
