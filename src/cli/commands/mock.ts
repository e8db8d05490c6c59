// gt-conformance mock: the embedded GT tenant on its own, for pointing a product at it.
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { parseFlags, UsageError, type Command } from '../command.ts';
import { writeOwnFile } from '../own-file.ts';
import { DEFAULT_MOCK_PORT, shellQuote } from '../../report/curl.ts';
import { keyEnvName } from '../../targets/key-env.ts';
import { wholeNumber } from '../flags.ts';
import { recordFileProblem } from '../../tenant/record.ts';
import { DEFECTS, SeedError, startTenant, TenantOptionError, UnknownDefectError, type RunningTenant, type TenantOptions } from '../../tenant/index.ts';

const DEFAULT_PORT = DEFAULT_MOCK_PORT;
/** The first line of an --export-keys file: how a later start knows the file is its own to overwrite. */
const KEYS_FILE_HEADER = '# gt-conformance mock: the secrets of its keys, for the reports\' curl commands (source this file)';

const usage = `Usage: gt-conformance mock [--port N] [--host H] [--seed FILE] [--latency MS] [--processing MS]
                           [--defect ID]... [--profile default|tolerant] [--record FILE]
                           [--rate-limit N[:SECONDS]] [--body-limit BYTES] [--upload-limit BYTES]
                           [--export-keys FILE]
       gt-conformance mock --list-defects

Starts the embedded GT tenant and serves until Ctrl-C (SIGINT) or SIGTERM. Prints the base URL and,
once, a table of the provisioned keys with their secrets.

  --port N            port to listen on, 0 to 65535 (default ${DEFAULT_PORT}; 0 picks a free port)
  --host H            address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
  --seed FILE         provisioning seed, YAML or JSON (default fixtures/tenant/default-seed.yaml)
  --latency MS        delay added before every answer, 0 to 60000 (default 0)
  --processing MS     time an upload takes to reach ready or failed, 0 to 600000 (default 300)
  --defect ID         switch on a named defect; repeatable; see --list-defects
  --profile P         default, or tolerant: the other allowed choice on every open point of the contract
  --record FILE       append one redacted JSON line per request to FILE (a new file, or an
                      earlier recording: any other file is refused, never written)
  --rate-limit N[:S]  answer every Nth request 429 with Retry-After: S (N 1 to 1000000, S 0 to 3600, default 1)
  --body-limit BYTES  largest JSON body, 1 to 1073741824 (default 1048576); larger gets 413
  --upload-limit BYTES  largest uploaded file, 1 to 1073741824 (default 26214400); larger gets 413
  --export-keys FILE  write "export GT_KEY_<NAME>='<secret>'" lines (mode 600), the names the reports'
                      curl commands use (. FILE in a shell); removed again when the mock stops
  --list-defects      print the defect ids and what each breaks, then exit`;

function parseRateLimit(value: string | undefined): TenantOptions['rateLimit'] {
  if (value === undefined) return undefined;
  const match = /^(\d{1,7})(?::(\d{1,4}))?$/.exec(value);
  const every = Number(match?.[1]);
  const retryAfterSeconds = match?.[2] === undefined ? 1 : Number(match[2]);
  if (!match || every < 1 || every > 1_000_000 || retryAfterSeconds > 3600)
    throw new UsageError(`--rate-limit must be N or N:SECONDS with N from 1 to 1000000 and SECONDS from 0 to 3600, got ${JSON.stringify(value)}`);
  return { every, retryAfterSeconds };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]))).join('  ')).join('\n');
}

function listDefects(): string {
  return table([['DEFECT', 'WHAT IT BREAKS'], ...DEFECTS.map((d) => [d.id, d.description])]);
}

/** Writes the key exports; refuses to overwrite a file that an earlier mock did not write. */
function writeKeysFile(file: string, tenant: RunningTenant): void {
  const text = [KEYS_FILE_HEADER, ...tenant.target.keys.map((k) => `export ${keyEnvName(k)}=${shellQuote(tenant.secrets[k.name])}`), ''].join('\n');
  writeOwnFile('--export-keys', file, KEYS_FILE_HEADER, text, 0o600);
}

function banner(tenant: RunningTenant, options: TenantOptions & { keysFile?: string }): string {
  const keys = tenant.target.keys;
  const published = [...new Set(keys.flatMap((k) => [...k.models, ...k.hidden_models]))];
  return [
    `GT tenant mock listening on ${tenant.baseUrl}`,
    `  OpenAI clients: base URL ${tenant.baseUrl}/v1`,
    `  profile ${options.profile ?? 'default'}; defects: ${tenant.defects.length ? tenant.defects.join(', ') : 'none'}; ` +
      `latency ${options.latencyMs ?? 0} ms; processing ${options.processingMs ?? 300} ms` +
      (options.rateLimit ? `; 429 every ${options.rateLimit.every} requests (Retry-After ${options.rateLimit.retryAfterSeconds})` : ''),
    `  published names: ${published.join(', ')}`,
    `  datasets on no allowlist: ${tenant.target.foreignDataset ?? 'none'}`,
    '',
    'Keys (secrets are shown this once):',
    table([
      ['NAME', 'PRESET', 'SCOPES', 'SECRET'],
      ...keys.map((k) => [k.name + (k.revoked ? ' (revoked)' : ''), k.preset ?? `(${k.purpose})`, k.scopes.join(',') || '-', tenant.secrets[k.name]]),
    ]),
    `In the reports' curl commands a key's secret is $GT_KEY_<NAME>, e.g. $${keyEnvName(keys[0])} for ${keys[0].name}` +
      (options.keysFile ? `; ${options.keysFile} exports them all` : ' (--export-keys FILE writes the exports)'),
    '',
    'Allowlists:',
    table([
      ['NAME', 'PURPOSE', 'FAMILY', 'MODELS', 'DATASETS'],
      ...keys.map((k) => [k.name, k.purpose, k.family, k.models.join(',') || '-', k.datasets.join(',') || '-']),
    ]),
    '',
    'Serving until Ctrl-C.',
  ].join('\n');
}

const command: Command = {
  name: 'mock',
  summary: 'start the embedded GT tenant alone, for pointing a product at it',
  usage,
  async run(argv) {
    const { values, positionals, numbers } = parseFlags(argv, {
      port: wholeNumber(0, 65535),
      host: { type: 'string' },
      seed: { type: 'string' },
      latency: wholeNumber(0, 60_000),
      processing: wholeNumber(0, 600_000),
      defect: { type: 'string', multiple: true },
      profile: { type: 'string' },
      record: { type: 'string' },
      'rate-limit': { type: 'string' },
      'body-limit': wholeNumber(1, 1024 ** 3),
      'upload-limit': wholeNumber(1, 1024 ** 3),
      'list-defects': { type: 'boolean' },
      'export-keys': { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (values['list-defects']) {
      console.log(listDefects());
      return 0;
    }
    if (values.profile !== undefined && values.profile !== 'default' && values.profile !== 'tolerant') {
      throw new UsageError(`--profile must be default or tolerant, got "${values.profile}"`);
    }
    const port = numbers.port ?? DEFAULT_PORT;
    const rateLimit = parseRateLimit(values['rate-limit']);

    let recordStream: WriteStream | undefined;
    if (values.record) {
      const problem = recordFileProblem(values.record);
      if (problem) throw new UsageError(`--record ${values.record}: ${problem}`);
      recordStream = createWriteStream(values.record, { flags: 'a' });
      await new Promise<void>((resolve, reject) => {
        recordStream!.once('open', () => resolve());
        recordStream!.once('error', (err: NodeJS.ErrnoException) => reject(new UsageError(`--record ${values.record}: cannot open: ${err.code ?? err.message}`)));
      });
    }
    const options: TenantOptions = {
      port,
      host: values.host ?? '127.0.0.1',
      seed: values.seed,
      latencyMs: numbers.latency,
      processingMs: numbers.processing,
      defects: values.defect ?? [],
      profile: values.profile as TenantOptions['profile'],
      rateLimit,
      bodyLimitBytes: numbers['body-limit'],
      uploadLimitBytes: numbers['upload-limit'],
      record: recordStream ? (entry) => recordStream!.write(`${JSON.stringify(entry)}\n`) : undefined,
    };

    let tenant: RunningTenant;
    try {
      tenant = await startTenant(options);
    } catch (err) {
      recordStream?.end();
      if (err instanceof UnknownDefectError || err instanceof SeedError || err instanceof TenantOptionError) throw new UsageError(err.message);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is already in use on ${options.host}; pick another with --port`);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on host ${options.host}`);
      if (code === 'EACCES') throw new UsageError(`not allowed to listen on port ${port}`);
      throw err;
    }
    // A closed stdout (piped into `head`) must not crash a server that is still serving.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
    const keysFile = values['export-keys'];
    if (keysFile) {
      try {
        writeKeysFile(keysFile, tenant);
      } catch (err) {
        await tenant.close();
        recordStream?.end();
        throw err;
      }
    }
    console.log(banner(tenant, { ...options, keysFile }));

    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        console.log(`\nReceived ${signal}; stopping.`);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await tenant.close();
    if (keysFile) rmSync(keysFile, { force: true });
    if (recordStream) await new Promise<void>((resolve) => recordStream!.end(resolve));
    console.log('Stopped.');
    return 0;
  },
};

export default command;
