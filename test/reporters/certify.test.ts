// Vendor certificates: a signed product report verifies; any change to it does not.
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildReport, type TestRun } from '../../src/report/build.ts';
import { canonicalJson } from '../../src/report/canonical-json.ts';
import {
  certificateFileName,
  generateSigningKeys,
  loadPrivateKey,
  loadPublicKey,
  signProductReport,
  verifySignedReport,
  writeCertificates,
  type SignedReport,
} from '../../src/report/certify.ts';
import { main } from '../../src/cli/main.ts';
import { defaultScenario, metaOf } from '../fixtures/reports/scenario.ts';
import { tempDir } from './fixture-run.ts';

let dir: string;
let keys: ReturnType<typeof generateSigningKeys>;
let other: ReturnType<typeof generateSigningKeys>;
let signedFile: string;

function report() {
  const scenario = defaultScenario();
  const tests: TestRun[] = scenario.checks.filter((c) => c.outcome).map((c) => ({ name: c.check.title, meta: metaOf(c), state: 'passed', errors: [] }));
  return buildReport({ context: scenario.context, tests, routeCatalog: [], now: new Date('2025-01-01T01:00:00Z') });
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

beforeAll(() => {
  dir = tempDir('certify');
  keys = generateSigningKeys(path.join(dir, 'keys'));
  other = generateSigningKeys(path.join(dir, 'other'));
  [signedFile] = writeCertificates(report(), ['alpha'], keys.privateKey, dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('signProductReport', () => {
  it("signs the product's part of the report: its checks, the cross-cutting ones, and the digests", () => {
    const signed = JSON.parse(readFileSync(signedFile, 'utf8')) as SignedReport;
    expect(path.basename(signedFile)).toBe(certificateFileName('alpha'));
    expect(signed.report.product.id).toBe('alpha');
    expect(new Set(signed.report.checks.map((c) => c.product ?? 'cross-cutting'))).toEqual(new Set(['alpha', 'cross-cutting']));
    expect(signed.report.digests).toMatchObject({ contract: 'a'.repeat(64), runbook: 'b'.repeat(64) });
    expect(signed.publicKey.fingerprint).toMatch(/^SHA256:[0-9a-f]{64}$/);
    expect(verifySignedReport(signed, loadPublicKey(keys.publicKey))).toEqual({ valid: true, product: 'alpha', fingerprint: keys.fingerprint });
  });

  it('fails verification when one byte of the content changes, wherever it is', () => {
    const text = readFileSync(signedFile, 'utf8');
    const publicKey = loadPublicKey(keys.publicKey);
    const flips = ['"listed 2 models"', '"passed"', '"seed": 4242', '"runbooks/alpha.yaml"'].map((needle) => {
      const at = text.indexOf(needle) + needle.length - 2;
      expect(at).toBeGreaterThan(needle.length);
      const changed = text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ 1) + text.slice(at + 1);
      return verifySignedReport(JSON.parse(changed), publicKey);
    });
    for (const result of flips) expect(result).toEqual({ valid: false, reason: 'the signature does not match the report: it was changed after it was signed' });
  });

  it('fails with another key, a changed signature, or digests that disagree with the content', () => {
    const signed = JSON.parse(readFileSync(signedFile, 'utf8')) as SignedReport;
    expect(verifySignedReport(signed, loadPublicKey(other.publicKey))).toMatchObject({ valid: false, reason: expect.stringMatching(/^signed with another key/) });
    const sig = Buffer.from(signed.signature.value, 'base64');
    sig[10] ^= 1;
    expect(verifySignedReport({ ...signed, signature: { ...signed.signature, value: sig.toString('base64') } }, loadPublicKey(keys.publicKey))).toMatchObject({ valid: false });
    // a signer that wrote inconsistent digests is caught even though the signature holds
    const bad = signProductReport(report(), 'alpha', loadPrivateKey(keys.privateKey));
    bad.report.digests.checks = '0'.repeat(64);
    bad.signature.value = sign(null, Buffer.from(canonicalJson(bad.report)), createPrivateKey(readFileSync(keys.privateKey, 'utf8'))).toString('base64');
    expect(verifySignedReport(bad, loadPublicKey(keys.publicKey))).toEqual({ valid: false, reason: 'the checks digest does not match the checks in the report' });
  });

  it('refuses a key that is not Ed25519, with one line', () => {
    const rsa = path.join(dir, 'rsa.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => loadPrivateKey(rsa)).toThrow(`${rsa}: an rsa key; certificates need an Ed25519 key`);
    expect(() => loadPrivateKey(path.join(dir, 'missing.pem'))).toThrow(/missing\.pem: cannot read the private key: ENOENT/);
  });
});

describe('gt-conformance verify-report', () => {
  it('exits 0 for a valid report and names the product and the key', async () => {
    const result = await cli(['verify-report', signedFile, '--public-key', keys.publicKey]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^valid: Alpha <b>Chat<\/b> \(alpha\) report signed by SHA256:[0-9a-f]{64}; run 2025-01-01T00:00:00.000Z against embedded 127.0.0.1:9/);
  });

  it('exits 1 with one line when one byte changed', async () => {
    const changed = path.join(dir, 'changed.json');
    writeFileSync(changed, readFileSync(signedFile, 'utf8').replace('"listed 2 models"', '"listed 3 models"'));
    const result = await cli(['verify-report', changed, '--public-key', keys.publicKey]);
    expect(result).toEqual({ code: 1, out: '', err: `invalid: ${changed}: the signature does not match the report: it was changed after it was signed` });
  });

  it('with --check-digests compares the runbook file found under --root', async () => {
    const root = path.join(dir, 'root');
    mkdirSync(path.join(root, 'runbooks'), { recursive: true });
    writeFileSync(path.join(root, 'runbooks', 'alpha.yaml'), 'id: alpha\n');
    const result = await cli(['verify-report', signedFile, '--public-key', keys.publicKey, '--check-digests', '--root', root]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^invalid: .*: runbooks\/alpha\.yaml differs from the runbook the report was made with/);
  });

  it('exits 2 for bad usage', async () => {
    expect((await cli(['verify-report', signedFile])).code).toBe(2);
    expect((await cli(['verify-report', signedFile, '--public-key', path.join(dir, 'nope.pem')])).code).toBe(2);
  });

  it('report --keygen writes a key pair that signs and verifies', async () => {
    const result = await cli(['report', '--keygen', path.join(dir, 'fresh')]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('fingerprint: SHA256:');
    const signed = signProductReport(report(), 'beta', loadPrivateKey(path.join(dir, 'fresh', 'conformance-signing.key')));
    expect(verifySignedReport(signed, loadPublicKey(path.join(dir, 'fresh', 'conformance-signing.pub.pem'))).valid).toBe(true);
    expect((await cli(['report', '--keygen', path.join(dir, 'fresh')])).code).toBe(2); // never overwrites a key
  });
});
