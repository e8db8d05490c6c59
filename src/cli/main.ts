// The gt-conformance command line: finds the verb, runs it, turns bad input into one line and exit 2.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { UsageError, type Command } from './command.ts';

const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

function verbs(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** Only the verb asked for is loaded, so one command's dependencies never break another. */
async function loadCommand(verb: string): Promise<Command> {
  return ((await import(path.join(commandsDir, `${verb}.ts`))) as { default: Command }).default;
}

async function generalHelp(): Promise<string> {
  const names = verbs();
  const width = Math.max(...names.map((n) => n.length));
  const rows = await Promise.all(
    names.map(async (n) => {
      const summary = await loadCommand(n).then((c) => c.summary, (err: Error) => `(cannot load: ${err.message.split('\n')[0]})`);
      return `  ${n.padEnd(width)}  ${summary}`;
    }),
  );
  return [
    'gt-conformance: conformance harness for the GT tenant API',
    '',
    'Usage: gt-conformance <command> [options]',
    '',
    'Commands:',
    ...rows,
    '',
    'Run `gt-conformance <command> --help` for the options of a command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    console.log(await generalHelp());
    return verb ? 0 : 2;
  }
  if (verb === '--version') {
    const { harnessVersion } = await import('../version.ts');
    console.log(harnessVersion());
    return 0;
  }
  if (!verbs().includes(verb)) {
    console.error(`gt-conformance: unknown command "${verb}"; commands: ${verbs().join(', ')}`);
    return 2;
  }
  try {
    const command = await loadCommand(verb);
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(command.usage);
      return 0;
    }
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`gt-conformance ${verb}: ${err.message}`);
      return 2;
    }
    console.error(`gt-conformance ${verb}: internal error: ${(err as Error)?.message ?? String(err)}`);
    if (process.env.GT_CONFORMANCE_DEBUG) console.error((err as Error)?.stack);
    return 3;
  }
}
