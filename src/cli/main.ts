// The gt-conformance command line: finds the verb, runs it, turns bad input into one line and exit 2.
import { UsageError, type Command } from './command.ts';
import { isCompiledModule } from '../paths.ts';

interface Verb {
  summary: string; // the verb list of the general help; test/cli/main.test.ts keeps it equal to the module's own
  load: () => Promise<{ default: Command }>;
  /** work that can start before the command's modules load (the compiled CLI only) */
  warmUp?: () => Promise<void>;
}

/** Every verb, and how to load it: only the verb asked for is loaded, so `--help` and `--version` load none. */
const VERBS: Record<string, Verb> = {
  mock: { summary: 'start the embedded GT tenant alone, for pointing a product at it', load: () => import('./commands/mock.ts') },
  plan: { summary: 'print the checks a run would make, per product and route, and the requests it would send', load: () => import('./commands/plan.ts') },
  report: { summary: 'merge sharded runs, render the Allure HTML report, make signing keys', load: () => import('./commands/report.ts') },
  run: {
    summary: 'run the conformance suites against the embedded tenant or a live one (--target)',
    load: () => import('./commands/run.ts'),
    warmUp: async () => (await import('../run/warm-worker.ts')).warmUpWorker(),
  },
  selftest: { summary: 'run the checks against the embedded tenant with each named defect and print what caught it', load: () => import('./commands/selftest.ts') },
  validate: { summary: 'check runbooks against their schema and the contract', load: () => import('./commands/validate.ts') },
  'verify-client': { summary: 'check traffic recorded from a real product (mock JSON lines or HAR) against its runbook (vendor mode)', load: () => import('./commands/verify-client.ts') },
  'verify-report': { summary: 'check a vendor certificate: its detached signature, expiry, product and digests', load: () => import('./commands/verify-report.ts') },
};

export const verbNames = Object.keys(VERBS);

export function verbSummary(verb: string): string | undefined {
  return Object.hasOwn(VERBS, verb) ? VERBS[verb].summary : undefined;
}

/** The command module of a verb (loaded on demand). */
export async function loadCommand(verb: string): Promise<Command> {
  return (await VERBS[verb].load()).default;
}

function generalHelp(): string {
  const width = Math.max(...verbNames.map((n) => n.length));
  return [
    'gt-conformance: conformance harness for the GT tenant API',
    '',
    'Usage: gt-conformance <command> [options]',
    '',
    'Commands:',
    ...verbNames.map((n) => `  ${n.padEnd(width)}  ${VERBS[n].summary}`),
    '',
    'Run `gt-conformance <command> --help` for the options of a command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    console.log(generalHelp());
    return verb ? 0 : 2;
  }
  if (verb === '--version') {
    const { harnessVersion } = await import('../version.ts');
    console.log(harnessVersion());
    return 0;
  }
  if (!Object.hasOwn(VERBS, verb)) {
    console.error(`gt-conformance: unknown command "${verb}"; commands: ${verbNames.join(', ')}`);
    return 2;
  }
  try {
    const wantsHelp = rest.includes('--help') || rest.includes('-h');
    if (!wantsHelp && isCompiledModule(import.meta.url)) await VERBS[verb].warmUp?.();
    const command = await loadCommand(verb);
    if (wantsHelp) {
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
