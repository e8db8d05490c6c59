// The gt-conformance command line: finds the verb, runs it, turns bad input into one line and exit 2.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { UsageError, type Command } from './command.ts';

const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

async function loadCommands(): Promise<Command[]> {
  const files = readdirSync(commandsDir).filter((f) => f.endsWith('.ts')).sort();
  const mods = await Promise.all(files.map((f) => import(path.join(commandsDir, f))));
  return mods.map((m) => m.default as Command);
}

function generalHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'gt-conformance: conformance harness for the GT tenant API',
    '',
    'Usage: gt-conformance <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `gt-conformance <command> --help` for the options of a command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const commands = await loadCommands();
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    console.log(generalHelp(commands));
    return verb ? 0 : 2;
  }
  if (verb === '--version') {
    const { harnessVersion } = await import('../version.ts');
    console.log(harnessVersion());
    return 0;
  }
  const command = commands.find((c) => c.name === verb);
  if (!command) {
    console.error(`gt-conformance: unknown command "${verb}"; commands: ${commands.map((c) => c.name).join(', ')}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
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
