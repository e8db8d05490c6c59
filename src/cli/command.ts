// The shape of one command-line verb. Each verb lives in src/cli/commands/<verb>.ts.
import { parseArgs } from 'node:util';
import { UsageError } from '../input/usage-error.ts';
import { checkFlagTokens, joinNegativeValues, type FlagConfig } from './flags.ts';

export { UsageError };

export interface Command {
  name: string;
  summary: string; // one line for the verb list
  usage: string; // the full --help text
  run(argv: string[]): Promise<number>; // exit code: 0 ok, 1 a check failed, 2 bad input
}

type WholeNumberFlags<T> = { [K in keyof T]: T[K] extends { range: readonly [number, number] } ? K : never }[keyof T];

/**
 * parseArgs with errors turned into UsageError, so no verb prints a stack trace for a bad flag, and with
 * the rules of src/cli/flags.ts: `numbers` holds the flags declared with wholeNumber(min, max), checked.
 */
export function parseFlags<T extends Record<string, FlagConfig>>(argv: string[], options: T) {
  const all: Record<string, FlagConfig> = { ...options, help: { type: 'boolean', short: 'h' } };
  const config = Object.fromEntries(Object.entries(all).map(([name, { range: _range, ...rest }]) => [name, rest]));
  try {
    const { values, positionals, tokens } = parseArgs({ args: joinNegativeValues(argv, all), options: config as T & { help: { type: 'boolean'; short: 'h' } }, allowPositionals: true, strict: true, tokens: true });
    const numbers = checkFlagTokens(tokens, all) as { [K in WholeNumberFlags<T>]?: number };
    return { values, positionals, numbers };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message.replace(/\s*\n\s*/g, ' '));
  }
}
