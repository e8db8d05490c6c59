// Every verb's flags are checked like the target file's fields (src/cli/flags.ts): a whole number in a stated
// range, given once, never empty; flags that contradict each other are refused. One line, exit 2, nothing sent.
import { describe, expect, it } from 'vitest';
import { parseRunFlags } from '../../src/cli/commands/run.ts';
import { limitsFor } from '../../src/run/options.ts';
import { cliInProcess } from './in-process.ts';


const range = (flag: string, min: number, max: number, got: string) => `--${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(got)}`;

// [argv, the one line after "gt-conformance <verb>: "]
const cases: Array<[string[], string]> = [
  [['run', '--concurrency', '0'], range('concurrency', 1, 64, '0')],
  [['run', '--concurrency', '65'], range('concurrency', 1, 64, '65')],
  [['run', '--timeout', '0'], range('timeout', 100, 600000, '0')],
  [['run', '--budget', '0'], range('budget', 1, 1000000, '0')],
  [['run', '--seed', '0x10'], range('seed', 0, 2147483647, '0x10')],
  [['run', '--seed', ''], range('seed', 0, 2147483647, '')],
  [['run', '--seed', '1e3'], range('seed', 0, 2147483647, '1e3')],
  [['run', '--seed', '1.5'], range('seed', 0, 2147483647, '1.5')],
  [['run', '--seed', ' 7'], range('seed', 0, 2147483647, ' 7')],
  [['run', '--seed', '99999999999999999999'], range('seed', 0, 2147483647, '99999999999999999999')],
  [['run', '--latency', '-1'], range('latency', 0, 60000, '-1')],
  [['run', '--processing', '600001'], range('processing', 0, 600000, '600001')],
  [['run', '--product', 'dify', '--certify', 'k.pem', '--valid-days', '0'], range('valid-days', 1, 3650, '0')],
  [['plan', '--budget', '-5'], range('budget', 1, 1000000, '-5')],
  [['run', '--max-failures', '0'], range('max-failures', 1, 100000, '0')],
  [['run', '--max-failures', '-1'], range('max-failures', 1, 100000, '-1')],
  [['run', '--max-failures', 'x'], range('max-failures', 1, 100000, 'x')],
  [['run', '--max-failures', '100001'], range('max-failures', 1, 100000, '100001')],
  [['run', '--max-failures', '2', '--max-failures', '3'], '--max-failures is given twice; give it once'],
  [['run', '--out', 'a', '--out', 'b'], '--out is given twice; give it once'],
  [['run', '--target', 'a.yaml', '--target', 'b.yaml'], '--target is given twice; give it once'],
  [['run', '--seed', '1', '--seed', '2'], '--seed is given twice; give it once'],
  [['run', '--strict', '--strict'], '--strict is given twice; give it once'],
  [['run', '--out', ''], '--out needs a value, got an empty one'],
  [['run', '--product', ''], '--product needs a value, got an empty one'],
  [['run', '--route', 'chat', '--skip-route', 'chat'], '--route chat and --skip-route chat contradict each other; give one of them'],
  [['run', '--no-uploads', '--route', 'file-status'], '--route file-status is only reached by uploads, which --no-uploads forbids; drop one of them'],
  [['run', '--shard', '3/2', '--seed', '1'], '--shard must be I/N with 1 <= I <= N <= 64 (e.g. 1/3), got "3/2"'],
  [['run', '--shard', '0/2', '--seed', '1'], '--shard must be I/N with 1 <= I <= N <= 64 (e.g. 1/3), got "0/2"'],
  [['run', '--valid-days', '30'], '--valid-days goes with --certify (how long the certificate is valid)'],
  [['run', '--insecure-http'], '--insecure-http goes with --target (the embedded tenant is on loopback)'],
  [['mock', '--port', '65536'], range('port', 0, 65535, '65536')],
  [['mock', '--latency', '-1'], range('latency', 0, 60000, '-1')],
  [['mock', '--body-limit', '0'], range('body-limit', 1, 1073741824, '0')],
  [['mock', '--rate-limit', '2:9999'], '--rate-limit must be N or N:SECONDS with N from 1 to 1000000 and SECONDS from 0 to 3600, got "2:9999"'],
  [['mock', '--host', ''], '--host needs a value, got an empty one'],
  [['mock', '--record', 'a', '--record', 'b'], '--record is given twice; give it once'],
  [['selftest', '--json', '--json'], '--json is given twice; give it once'],
  [['report', '--out', 'a', '--out', 'b'], '--out is given twice; give it once'],
  [['report', '--merge', 'shards', '--certify', 'k', '--valid-days', '3651'], range('valid-days', 1, 3650, '3651')],
  [['report', '--valid-days', '5'], '--valid-days goes with --certify'],
  [['report', '--allure-out', 'x'], '--allure-out goes with --allure'],
  [['validate', '--fail-on-findings', '--fail-on-findings'], '--fail-on-findings is given twice; give it once'],
  [['verify-client', '--product', 'a', '--product', 'b', 'traffic.jsonl'], '--product is given twice; give it once'],
  [['verify-client', '--product', 'openai-sdk', '--valid-days', '7', 'traffic.jsonl'], '--valid-days and --out go with --certify'],
  [['verify-client', '--product', 'openai-sdk', '--certify', 'k', '--valid-days', 'soon', 'traffic.jsonl'], range('valid-days', 1, 3650, 'soon')],
  [['verify-report', 'r.json', '--public-key', 'a.pem', '--public-key', 'b.pem'], '--public-key is given twice; give it once'],
  [['verify-report', 'r.json', '--public-key', 'a.pem', '--root', 'x'], '--root goes with --check-digests'],
  [['run', '--bogus'], `Unknown option '--bogus'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- "--bogus"`],
  [['run', '--out', '--strict'], `Option '--out' argument is ambiguous. Did you forget to specify the option argument for '--out'? To specify an option argument starting with a dash use '--out=-XYZ'.`],
];

describe('bad flags: one line, exit 2', () => {
  it.each(cases)('%j', async (argv, line) => {
    const { code, err, out } = await cliInProcess(argv);
    expect(err).toEqual([`gt-conformance ${argv[0]}: ${line}`]);
    expect(code).toBe(2);
    expect(out).toEqual([]);
  });
});

describe('good flags', () => {
  it('whole numbers at the ends of their ranges are taken', () => {
    const options = parseRunFlags(['--seed', '0', '--concurrency', '64', '--timeout', '100', '--budget', '1000000', '--latency', '0', '--processing', '600000']);
    expect(options).toMatchObject({ seed: 0, concurrency: 64, timeoutMs: 100, budget: 1_000_000, tenant: { latencyMs: 0, processingMs: 600_000 } });
    expect(parseRunFlags(['--seed=2147483647', '--target', 't.yaml', '--insecure-http'])).toMatchObject({ seed: 2147483647, insecureHttp: true });
  });

  it('--max-failures reaches the run\'s limits, and is absent unless given', () => {
    const given = parseRunFlags(['--max-failures', '1']);
    expect(given.maxFailures).toBe(1);
    expect(limitsFor(given, true).maxFailures).toBe(1);
    expect(limitsFor(parseRunFlags(['--max-failures=100000']), false).maxFailures).toBe(100_000);
    const absent = parseRunFlags([]);
    expect(absent.maxFailures).toBeUndefined();
    expect('maxFailures' in limitsFor(absent, true)).toBe(false);
  });

  it('repeatable flags may repeat', () => {
    expect(parseRunFlags(['--product', 'dify', '--product', 'librechat', '--route', 'chat', '--skip-route', 'models'])).toMatchObject({ products: ['dify', 'librechat'], routes: ['chat'], skipRoutes: ['models'] });
  });
});
