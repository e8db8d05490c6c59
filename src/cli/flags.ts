// The rules every verb's flags follow, as the target file's fields do: a whole number is decimal digits in
// a stated range, a flag that takes one value is given once, a value is never empty, and two flags that
// contradict each other are refused. Each broken rule is one UsageError line.
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../input/usage-error.ts';

type OptionConfig = NonNullable<ParseArgsConfig['options']>[string];

/** A flag definition; `range` makes a string flag a whole number from range[0] to range[1]. */
export type FlagConfig = OptionConfig & { range?: readonly [number, number] };

/** A whole-number flag, e.g. `concurrency: wholeNumber(1, 64)`. */
export function wholeNumber(min: number, max: number) {
  return { type: 'string', range: [min, max] } as const;
}

/** `value` as a whole number in [min, max]; "0x10", "1e3", "-1", "" and "1.5" are refused with the range. */
export function parseWholeNumber(flag: string, value: string, [min, max]: readonly [number, number]): number {
  const n = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

/** `--latency -1` would read as two options; joined as `--latency=-1` it reaches the range check. */
export function joinNegativeValues(argv: string[], options: Record<string, FlagConfig>): string[] {
  const joined: string[] = [];
  for (const arg of argv) {
    const previous = joined.at(-1);
    const takesValue = previous?.startsWith('--') && !previous.includes('=') && options[previous.slice(2)]?.type === 'string';
    if (takesValue && /^-\d/.test(arg)) joined[joined.length - 1] = `${previous}=${arg}`;
    else joined.push(arg);
  }
  return joined;
}

interface OptionToken {
  kind: 'option';
  name: string;
  rawName: string;
  value?: string;
}

/**
 * Checks the flags as given (parseArgs tokens): a single-value flag given twice, an empty value, and
 * whole-number flags. Returns the whole numbers, by flag name.
 */
export function checkFlagTokens(tokens: ReadonlyArray<{ kind: string }>, options: Record<string, FlagConfig>): Record<string, number> {
  const seen = new Set<string>();
  const numbers: Record<string, number> = {};
  for (const token of tokens.filter((t): t is OptionToken => t.kind === 'option')) {
    const config = options[token.name];
    if (!config) continue;
    const flag = `--${token.name}`;
    if (!config.multiple && seen.has(token.name)) throw new UsageError(`${flag} is given twice; give it once`);
    seen.add(token.name);
    if (config.type !== 'string' || token.value === undefined) continue;
    if (config.range) numbers[token.name] = parseWholeNumber(token.name, token.value, config.range);
    else if (token.value.trim() === '') throw new UsageError(`${flag} needs a value, got an empty one`);
  }
  return numbers;
}

/** `--shard I/N` with 1 <= I <= N <= max. */
export function parseShard(value: string, max = 64): string {
  const match = /^(\d{1,3})\/(\d{1,3})$/.exec(value);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!(index >= 1 && index <= count && count <= max)) throw new UsageError(`--shard must be I/N with 1 <= I <= N <= ${max} (e.g. 1/3), got ${JSON.stringify(value)}`);
  return value;
}
