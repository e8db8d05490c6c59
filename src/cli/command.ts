// The shape of one command-line verb. Each verb lives in src/cli/commands/<verb>.ts.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../input/usage-error.ts';

export { UsageError };

export interface Command {
  name: string;
  summary: string; // one line for the verb list
  usage: string; // the full --help text
  run(argv: string[]): Promise<number>; // exit code: 0 ok, 1 a check failed, 2 bad input
}


/** parseArgs with errors turned into UsageError, so no verb prints a stack trace for a bad flag. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
