// cross-cutting/dataset-files/undecodable-file: a file that must fail is the target's failing_upload sample,
// else an empty file; a 4xx at upload or `failed` with a reason passes, `ready` leaves the check not exercised.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Check, CheckResult, FailingUpload, Probe, ProbeResult, Target } from '../../src/model.ts';
import { loadContract } from '../../src/contract/load.ts';
import { createSession } from '../../src/engine/session.ts';
import { checkOutcome } from '../../src/outcome/check-outcome.ts';
import { runAgainst } from '../../src/run/direct.ts';
import { startTenant, type TenantOptions } from '../../src/tenant/index.ts';
import { loadTargetFile } from '../../src/targets/live.ts';
import { loadSeedFile, SeedError, validateSeed } from '../../src/tenant/seed.ts';
import { defaultSeedPath } from '../../src/tenant/seed.ts';
import { filesDir } from '../../src/paths.ts';

const contract = loadContract();
const CHECK_ID = 'cross-cutting/dataset-files/undecodable-file';
const dir = mkdtempSync(path.join(tmpdir(), 'gt-failing-upload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The default seed without its sample: the check uploads an empty file. */
function seedWithout(): TenantOptions['seed'] {
  const seed = loadSeedFile(defaultSeedPath, contract);
  delete seed.failing_upload;
  return seed;
}

/** The undecodable-file check alone (the cross-cutting checks of dataset-files, no product) against an embedded tenant. */
async function undecodableCheck(tenant: TenantOptions, failingUpload?: FailingUpload | null): Promise<CheckResult> {
  const running = await startTenant({ freshSecrets: true, processingMs: 50, ...tenant });
  try {
    const target: Target = { ...running.target };
    if (failingUpload === null) delete target.failingUpload;
    else if (failingUpload) target.failingUpload = failingUpload;
    const run = await runAgainst(target, running.secrets, { runbookFiles: [], routes: ['dataset-files'], pollDeadlineMs: 10_000 });
    return run.results.find((r) => r.checkId === CHECK_ID)!;
  } finally {
    await running.close();
  }
}

describe('the failing upload against the embedded tenant', () => {
  it('uses the seed\'s sample: undecodable.pdf ends failed with a reason, in both profiles', async () => {
    const [clean, tolerant] = await Promise.all([undecodableCheck({}), undecodableCheck({ profile: 'tolerant' })]);
    expect(clean).toMatchObject({ outcome: 'passed', message: expect.stringMatching(/failed/) });
    expect(tolerant.outcome).toBe('passed');
    expect(clean.exchanges[0].request.body).toMatch(/undecodable\.pdf/);
  });

  it('uploads an empty file without a sample: ended failed (default profile) or refused at upload (tolerant), both pass', async () => {
    const seed = seedWithout();
    const [clean, tolerant] = await Promise.all([undecodableCheck({ seed }), undecodableCheck({ seed, profile: 'tolerant' })]);
    expect(clean.outcome).toBe('passed');
    expect(clean.exchanges[0].request.body).toMatch(/empty\.txt/);
    // "processing → failed", or "failed on …" when processing had ended before the first poll
    expect(clean.message).toMatch(/→ failed|: failed on \/v1\/files\//);
    expect(tolerant).toMatchObject({ outcome: 'passed', message: expect.stringMatching(/an empty file refused at upload: 422/) });
  });

  it('fails a tenant whose failed file carries no reason, with or without a sample', async () => {
    const [sample, empty] = await Promise.all([undecodableCheck({ defects: ['failed-without-reason'] }), undecodableCheck({ seed: seedWithout(), defects: ['failed-without-reason'] })]);
    for (const result of [sample, empty]) expect(result).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/"failed" without a reason/) });
  });

  it('holds the tenant to what the sample says it does', async () => {
    const pdf = path.join(filesDir, 'undecodable.pdf');
    const refused = await undecodableCheck({}, { file: pdf, filename: 'undecodable.pdf', contentType: 'application/pdf', expect: 'refused' });
    expect(refused).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/was accepted \(201\); the tenant seed says it is refused at upload/) });
    const brief = path.join(filesDir, 'brief.txt');
    const ready = await undecodableCheck({}, { file: brief, filename: 'brief.txt', contentType: 'text/plain', expect: 'failed' });
    expect(ready).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/ended ready; the tenant seed says this tenant fails it/) });
  });
});

describe('a tenant that processes the empty file to ready', () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    // A stub GT tenant: every upload is stored and reads as ready on both status paths.
    server = createServer((req, res) => {
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      req.resume().on('end', () => {
        if (req.method === 'POST' && /\/v1\/datasets\/[^/]+\/files$/.test(req.url ?? '')) return json(201, { id: 'file-1', object: 'file', status: 'uploaded' });
        if (req.method === 'GET' && /\/v1\/(files|uploads)\/file-1$/.test(req.url ?? '')) return json(200, { id: 'file-1', object: 'file', status: 'ready' });
        json(404, { error: { message: 'not found', type: 'not_found', code: null } });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/tenant`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function probeAgainstStub(failingUpload?: FailingUpload): Promise<{ check: Check; result: ProbeResult }> {
    const target: Target = {
      kind: 'live',
      baseUrl,
      uploads: true,
      keys: [{ name: 'uploads', preset: 'dataset-upload', purpose: 'upload', scopes: ['datasets:write'], models: [], datasets: ['briefs'], hidden_models: [], family: 'uploads', secret_env: 'GT_STUB' }],
      ...(failingUpload ? { failingUpload } : {}),
    };
    const probe: Probe = { id: 'dataset-files:failed-upload:uploads', route: 'dataset-files', kind: 'failed-upload', key: 'uploads', expect: 'failed_with_reason', driver: 'http' };
    const check: Check = { id: CHECK_ID, kind: 'undecodable-file', group: 'cross-cutting', route: 'dataset-files', title: 't', probes: [probe.id], severity: 'critical' };
    const limits = { concurrency: 1, timeoutMs: 5_000, pollDeadlineMs: 5_000, runDeadlineMs: 30_000, budget: 50 };
    const session = createSession({ contract, plan: { probes: [probe] }, target, secrets: { secretOf: () => 'gtak_stubstubstubstubstub' }, seed: 1, strict: false, limits });
    try {
      return { check, result: await session.engine.run(probe.id) };
    } finally {
      await session.close();
    }
  }

  it('is not exercised (neither failed nor passed), and the message asks for a failing_upload sample in the target file', async () => {
    const { check, result } = await probeAgainstStub();
    expect(result.status).toBe('not_exercised');
    const outcome = checkOutcome(check, [result]);
    expect(outcome.outcome).toBe('not_exercised');
    expect(outcome.message).toMatch(/processed an empty file to ready.*add a failing_upload sample .* to the target file/);
  });

  it('fails when the target file\'s sample, which it says fails, ends ready', async () => {
    const { result } = await probeAgainstStub({ file: path.join(filesDir, 'undecodable.pdf'), filename: 'undecodable.pdf', contentType: 'application/pdf' });
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/the failing_upload sample undecodable\.pdf ended ready; the target file says this tenant refuses or fails it/);
  });
});

describe('a not-exercised probe in a check', () => {
  const check: Check = { id: 'c', kind: 'k', group: 'cross-cutting', title: 't', probes: ['a', 'b'], severity: 'normal' };
  const result = (probeId: string, status: ProbeResult['status']): ProbeResult => ({ probeId, status, message: `${probeId} ${status}`, exchanges: [] });

  it('leaves the check not exercised beside passed probes, and loses to every worse status', () => {
    expect(checkOutcome(check, [result('a', 'passed'), result('b', 'not_exercised')])).toMatchObject({ outcome: 'not_exercised', message: 'b not_exercised' });
    expect(checkOutcome(check, [result('a', 'failed'), result('b', 'not_exercised')]).outcome).toBe('failed');
    expect(checkOutcome(check, [result('a', 'skipped'), result('b', 'not_exercised')]).outcome).toBe('skipped');
    expect(checkOutcome({ ...check, denial: true }, [result('a', 'passed'), result('b', 'passed')]).outcome).toBe('denied_as_expected');
  });
});

describe('the failing_upload field', () => {
  it('loads from a target file, its path relative to the file, its content type from the extension', () => {
    writeFileSync(path.join(dir, 'bad.pdf'), 'not a pdf');
    const file = path.join(dir, 'target.yaml');
    writeFileSync(file, stringify({ base_url: 'https://tenant.example.com/api/tenant', failing_upload: { file: 'bad.pdf', expect: 'refused' }, keys: [{ name: 'chat', preset: 'openai-chat', secret_env: 'GT_KEY_CHAT', models: ['m'] }] }));
    const { live, errors } = loadTargetFile(file, contract, {}, false);
    expect(errors).toEqual([]);
    expect(live!.target.failingUpload).toEqual({ file: path.join(dir, 'bad.pdf'), filename: 'bad.pdf', contentType: 'application/pdf', expect: 'refused' });
  });

  it('refuses a sample that is not there, or an unknown expectation, with the line', () => {
    const file = path.join(dir, 'missing.yaml');
    writeFileSync(file, stringify({ base_url: 'https://tenant.example.com/api/tenant', failing_upload: { file: 'nope.pdf' }, keys: [{ name: 'chat', preset: 'openai-chat', secret_env: 'GT_KEY_CHAT' }] }));
    expect(loadTargetFile(file, contract, {}, false).errors).toEqual([expect.objectContaining({ line: 3, path: 'failing_upload.file', message: expect.stringMatching(/nope\.pdf: file not found/) })]);
    const bad = path.join(dir, 'bad-expect.yaml');
    writeFileSync(bad, stringify({ base_url: 'https://tenant.example.com/api/tenant', failing_upload: { file: 'bad.pdf', expect: 'ready' }, keys: [{ name: 'chat', preset: 'openai-chat', secret_env: 'GT_KEY_CHAT' }] }));
    expect(loadTargetFile(bad, contract, {}, false).errors[0].message).toMatch(/refused, failed/);
  });

  it('loads from a seed, relative to the seed, and says what is wrong with a bad one', () => {
    const seed = loadSeedFile(defaultSeedPath, contract);
    expect(seed.failing_upload).toEqual({ file: path.join(filesDir, 'undecodable.pdf'), expect: 'failed' });
    const base = { published: ['m'], datasets: [], keys: [{ name: 'k', preset: 'openai-chat', models: ['m'] }] };
    expect(() => validateSeed({ ...base, failing_upload: { file: 'nope.pdf' } }, contract, 'inline', undefined, dir)).toThrow(/failing_upload\.file: nope\.pdf: file not found/);
    expect(() => validateSeed({ ...base, failing_upload: { file: 'bad.pdf', expect: 'maybe' } }, contract, 'inline', undefined, dir)).toThrow(SeedError);
  });
});
