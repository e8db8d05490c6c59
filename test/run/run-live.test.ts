// The live path for real: a tenant started separately, a target file that describes it, secrets only in env vars.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startTenant, type RunningTenant } from '../../src/tenant/index.ts';
import { gtConformance, readReport, type CliResult } from './cli.ts';
import { productFiles } from '../fixtures/products.ts';

let tenant: RunningTenant;
let dir: string;
const envName = (key: string) => `GT_TEST_KEY_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

function targetFile(name: string, keep: (key: string) => boolean = () => true): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    stringify({
      base_url: tenant.target.baseUrl,
      foreign_dataset: tenant.target.foreignDataset,
      limits: { concurrency: 3 },
      keys: tenant.target.keys.filter((k) => keep(k.name)).map((k) => ({
        name: k.name,
        ...(k.preset ? { preset: k.preset } : {}),
        purpose: k.purpose,
        scopes: k.scopes,
        secret_env: envName(k.name),
        models: k.models,
        hidden_models: k.hidden_models,
        datasets: k.datasets,
        family: k.family,
        ...(k.revoked ? { revoked: true } : {}),
      })),
    }),
  );
  return file;
}

const secretEnv = () => Object.fromEntries(Object.entries(tenant.secrets).map(([name, secret]) => [envName(name), secret]));

beforeAll(async () => {
  tenant = await startTenant({ freshSecrets: true });
  dir = mkdtempSync(path.join(tmpdir(), 'gt-live-'));
});
afterAll(async () => {
  await tenant.close();
  rmSync(dir, { recursive: true, force: true });
});

let writes: Promise<{ run: CliResult; out: string }> | undefined;
/**
 * The run with --allow-writes, on a target file that lists no key holding inference:speech. Two tests read it: what
 * it skipped, and what it created (speech creates nothing on the tenant, so the keys left out cost the writes test
 * nothing). Spawned by the first test that asks for it.
 */
function writesRun(): Promise<{ run: CliResult; out: string }> {
  return (writes ??= (async () => {
    const out = path.join(dir, 'out-writes');
    const file = targetFile('partial.yaml', (name) => !name.startsWith('voice-audio') && !name.startsWith('openai-chat+speech'));
    const run = await gtConformance(['run', '--target', file, '--out', out, '--product', 'generic-openai-http', '--allow-writes', ...productFiles()], secretEnv());
    return { run, out };
  })());
}

describe('gt-conformance run --target (live mode)', () => {
  it('passes against a tenant described by a target file, with the secrets only in env vars, and writes none of them; creates nothing unless writes are allowed', async () => {
    const out = path.join(dir, 'out-full');
    // every route, through the plain-HTTP product; the whole matrix on target files is test/layouts' job
    const run = await gtConformance(['run', '--target', targetFile('target.yaml'), '--out', out, '--product', 'generic-openai-http', ...productFiles()], secretEnv());
    expect(run.code).toBe(0);
    const report = readReport(out);
    expect(report.target.host).toBe(new URL(tenant.baseUrl).host);
    expect(report.checks.filter((c) => c.outcome === 'failed' || c.outcome === 'blocked')).toEqual([]);
    const written = [run.stdout, run.stderr, ...readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8'))].join('\n');
    for (const secret of Object.values(tenant.secrets)) expect(written).not.toContain(secret);
    // the target file does not say writes: allowed, so the checks that would upload or open a conversation are skipped with the reason
    const skipped = report.checks.filter((c) => c.outcome === 'skipped' && /writes are not allowed on this target/.test(c.message ?? ''));
    expect(skipped.map((c) => c.id)).toContain('generic-openai-http/dataset-files/works');
    expect(tenant.stored()).toEqual({ files: [], conversations: [] });
    expect((report as unknown as { created: unknown[] }).created).toEqual([]);
    expect(run.stdout).toContain('created nothing on the tenant');
  });

  it('skips, with the reason, the checks whose key the target file does not list', async () => {
    const { run, out } = await writesRun();
    expect(run.code).toBe(0);
    const speech = readReport(out).checks.find((c) => c.id === 'generic-openai-http/speech/works')!;
    expect(speech.outcome).toBe('skipped');
    expect(speech.message).toMatch(/no key that holds inference:speech/);
  });

  it('refuses to start, exit 2 and one positioned line, when an env var of the target file is missing', async () => {
    const env = secretEnv();
    delete env[envName('chat-embeddings')];
    const run = await gtConformance(['run', '--target', targetFile('target.yaml'), '--out', path.join(dir, 'never'), ...productFiles()], { ...env, [envName('chat-embeddings')]: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/target\.yaml:\d+:\d+: keys\[\d+\]\.secret_env: environment variable GT_TEST_KEY_CHAT_EMBEDDINGS is not set/);
    expect(run.stderr).toMatch(/nothing was sent/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('with --allow-writes, names everything it creates after the run id', async () => {
    const { run, out } = await writesRun();
    expect(run.code).toBe(0);
    const report = readReport(out);
    expect(report.checks.find((c) => c.id === 'generic-openai-http/dataset-files/works')?.outcome).toBe('passed');
    const { files, conversations } = tenant.stored();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file.filename).toMatch(/^gt-conformance-[\w-]+/);
    for (const conversation of conversations) expect(conversation.title).toMatch(/^gt-conformance [\w-]+: /);
    // the report lists every object the tenant holds now (it held none before this run), and nothing else
    const listed = (report as unknown as { created: Array<{ id: string }> }).created.map((c) => c.id).sort();
    expect(listed).toEqual([...files, ...conversations].map((o) => o.id).sort());
    expect(run.stdout).toMatch(new RegExp(`created on the tenant: ${files.length} files, ${conversations.length} conversation`));
  });

  it('stops before the matrix, exit 2 and one line, when the tenant cannot be reached', async () => {
    const file = path.join(dir, 'closed.yaml');
    writeFileSync(file, readFileSync(targetFile('target.yaml'), 'utf8').replace(tenant.target.baseUrl, 'http://127.0.0.1:9/api/tenant'));
    const run = await gtConformance(['run', '--target', file, '--out', path.join(dir, 'out-closed')], secretEnv());
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/the tenant cannot be reached: .*nothing else was sent/);
  });
});
