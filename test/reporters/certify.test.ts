// Vendor certificates: a detached Ed25519 signature over the exact bytes of the signed file. The untouched
// file verifies; any changed byte, an added field, another product, an expired or future certificate do not.
import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildReport, type TestRun } from '../../src/report/build.ts';
import {
  certificateFileName,
  certificateHeader,
  generateSigningKeys,
  loadPrivateKey,
  loadPublicKey,
  productReport,
  signatureFileName,
  signCertificate,
  verifyCertificate,
  writeCertificates,
  type ProductReport,
} from '../../src/report/certify.ts';
import { OUT_DIR_MARKER } from '../../src/report/out-dir.ts';
import { main } from '../../src/cli/main.ts';
import { defaultScenario, metaOf } from '../fixtures/reports/scenario.ts';
import { tempDir } from './fixture-run.ts';
import { productFile } from '../fixtures/products.ts';

let dir: string;
let keys: ReturnType<typeof generateSigningKeys>;
let other: ReturnType<typeof generateSigningKeys>;
let signedFile: string;
let bytes: Buffer;
let signature: Buffer;

const CHANGED = { valid: false, reason: 'the signature does not match the file: it was changed after it was signed' };

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

const verifyWith = (fileBytes: Buffer, options: { product?: string; now?: Date } = {}, sig = signature) => verifyCertificate(fileBytes, sig, loadPublicKey(keys.publicKey), options);

beforeAll(() => {
  dir = tempDir('certify');
  keys = generateSigningKeys(path.join(dir, 'keys'));
  other = generateSigningKeys(path.join(dir, 'other'));
  [signedFile] = writeCertificates(report(), ['alpha'], keys.privateKey, path.join(dir, 'out'));
  bytes = readFileSync(signedFile);
  signature = readFileSync(signatureFileName(signedFile));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a certificate', () => {
  it("holds the product's part of the report and a certificate header, and the untouched file verifies", () => {
    const certificate = JSON.parse(bytes.toString('utf8')) as ProductReport;
    expect(path.basename(signedFile)).toBe(certificateFileName('alpha'));
    expect(certificate.certificate).toMatchObject({ kind: 'run-report', product: 'alpha' });
    const days = (Date.parse(certificate.certificate.expiresAt) - Date.parse(certificate.certificate.issuedAt)) / 86_400_000;
    expect(days).toBe(365);
    expect(new Set(certificate.checks.map((c) => c.product ?? 'cross-cutting'))).toEqual(new Set(['alpha', 'cross-cutting']));
    expect(certificate.runbook).toMatchObject({ id: 'alpha', digest: 'b'.repeat(64) });
    expect(JSON.parse(signature.toString('utf8'))).toMatchObject({ algorithm: 'ed25519', file: certificateFileName('alpha'), keyFingerprint: keys.fingerprint });
    expect(verifyWith(bytes)).toMatchObject({ valid: true, fingerprint: keys.fingerprint, certificate: { product: { id: 'alpha' } } });
  });

  it('fails when any one byte changes: every 97th byte, each flipped on its own, and the last newline', () => {
    const positions = [...Array(Math.ceil(bytes.length / 97)).keys()].map((i) => i * 97).concat(bytes.length - 1);
    expect(positions.length).toBeGreaterThan(50);
    for (const at of positions) {
      const changed = Buffer.from(bytes);
      changed[at] ^= 1;
      expect(verifyWith(changed), `byte ${at}`).toEqual(CHANGED);
    }
    expect(verifyWith(bytes.subarray(0, bytes.length - 1))).toEqual(CHANGED);
  });

  it('fails with an added field, re-formatted, with a key twice, or with an escape for a plain letter', () => {
    const text = bytes.toString('utf8');
    const certificate = JSON.parse(text) as Record<string, unknown>;
    const tampered = [
      `${JSON.stringify({ ...certificate, extra: 'unsigned' }, null, 2)}\n`,
      text.replace('{\n', '{\n  "extra": "unsigned",\n'),
      JSON.stringify(certificate),
      text.replace(/\n}\n$/, `,\n  "seed": ${String(certificate.seed)}\n}\n`),
      text.replace('"alpha"', '"\\u0061lpha"'),
    ];
    for (const t of tampered) {
      expect(t).not.toBe(text);
      expect(verifyWith(Buffer.from(t))).toEqual(CHANGED);
    }
  });

  it('refuses a file the signer wrote in another form, even with a good signature', () => {
    const minified = Buffer.from(JSON.stringify(JSON.parse(bytes.toString('utf8'))));
    const key = createPrivateKey(readFileSync(keys.privateKey, 'utf8'));
    const sig = JSON.parse(signature.toString('utf8')) as Record<string, string>;
    sig.sha256 = createHash('sha256').update(minified).digest('hex');
    sig.value = sign(null, minified, key).toString('base64');
    expect(verifyWith(minified, {}, Buffer.from(`${JSON.stringify(sig, null, 2)}\n`))).toEqual({
      valid: false,
      reason: 'the signed file is not in the form gt-conformance writes (re-formatted, a key twice, or escaped differently)',
    });
  });

  it('refuses another product, an expired certificate and one dated in the future', () => {
    expect(verifyWith(bytes, { product: 'beta' })).toEqual({ valid: false, reason: 'a certificate for product "alpha", not for --product beta' });
    expect(verifyWith(bytes, { product: 'alpha' }).valid).toBe(true);
    const old = new Date(Date.now() - 40 * 86_400_000);
    const expired = signCertificate(productReport(report(), 'alpha', certificateHeader('run-report', 'alpha', 30, old)), 'x.json', loadPrivateKey(keys.privateKey));
    expect(verifyWith(expired.bytes, {}, expired.signature)).toMatchObject({ valid: false, reason: expect.stringMatching(/^the certificate expired on \d{4}-/) });
    const future = signCertificate(productReport(report(), 'alpha', certificateHeader('run-report', 'alpha', 30, new Date(Date.now() + 86_400_000))), 'x.json', loadPrivateKey(keys.privateKey));
    expect(verifyWith(future.bytes, {}, future.signature)).toMatchObject({ valid: false, reason: expect.stringMatching(/^the certificate is dated in the future/) });
    // the same certificate, checked on a day inside its validity, verifies: the expiry is what failed
    expect(verifyWith(expired.bytes, { now: new Date(old.getTime() + 86_400_000) }, expired.signature).valid).toBe(true);
  });

  it('refuses another key, a changed signature value and a re-formatted signature file', () => {
    expect(verifyCertificate(bytes, signature, loadPublicKey(other.publicKey))).toMatchObject({ valid: false, reason: expect.stringMatching(/^signed with another key/) });
    const sig = JSON.parse(signature.toString('utf8')) as Record<string, string>;
    const value = Buffer.from(sig.value, 'base64');
    value[10] ^= 1;
    expect(verifyWith(bytes, {}, Buffer.from(`${JSON.stringify({ ...sig, value: value.toString('base64') }, null, 2)}\n`))).toEqual(CHANGED);
    expect(verifyWith(bytes, {}, Buffer.from(JSON.stringify(sig)))).toMatchObject({ valid: false, reason: expect.stringMatching(/^the signature file is not a gt-conformance-signature\/1 file/) });
  });

  it('refuses a key that is not Ed25519, with one line', () => {
    const rsa = path.join(dir, 'rsa.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => loadPrivateKey(rsa)).toThrow(`${rsa}: an rsa key; certificates need an Ed25519 key`);
    expect(() => loadPrivateKey(path.join(dir, 'missing.pem'))).toThrow(/missing\.pem: cannot read the private key: ENOENT/);
  });
});

describe('gt-conformance verify-report', () => {
  it('exits 0 for the untouched file and names the product, the key and the expiry', async () => {
    const result = await cli(['verify-report', signedFile, '--public-key', keys.publicKey, '--product', 'alpha']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^valid: Alpha <b>Chat<\/b> \(alpha\) report signed by SHA256:[0-9a-f]{64}; run 2025-01-01T00:00:00.000Z against embedded 127.0.0.1:9: .*; valid until \d{4}-/);
  });

  it('exits 1 with one line when one byte changed, or for another --product', async () => {
    const changed = path.join(dir, 'changed.json');
    writeFileSync(changed, bytes.toString('utf8').replace('"listed 2 models"', '"listed 3 models"'));
    const result = await cli(['verify-report', changed, '--public-key', keys.publicKey, '--signature', signatureFileName(signedFile)]);
    expect(result).toEqual({ code: 1, out: '', err: `invalid: ${changed}: ${CHANGED.reason}` });
    const wrong = await cli(['verify-report', signedFile, '--public-key', keys.publicKey, '--product', 'beta']);
    expect(wrong).toEqual({ code: 1, out: '', err: `invalid: ${signedFile}: a certificate for product "alpha", not for --product beta` });
  });

  it('with --check-digests compares the runbook file found under --root', async () => {
    const root = path.join(dir, 'root');
    mkdirSync(path.join(root, 'runbooks'), { recursive: true });
    writeFileSync(path.join(root, 'runbooks', 'alpha.yaml'), 'id: alpha\n');
    const result = await cli(['verify-report', signedFile, '--public-key', keys.publicKey, '--check-digests', '--root', root]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^invalid: .*: runbooks\/alpha\.yaml differs from the runbook the certificate was made with/);
  });

  it('exits 2 with one line for bad usage and for files it cannot read', async () => {
    const lonely = path.join(dir, 'lonely.json');
    writeFileSync(lonely, bytes);
    const cases: Array<[string[], RegExp]> = [
      [['verify-report', signedFile], /^gt-conformance verify-report: --public-key KEY is required$/],
      [['verify-report', signedFile, '--public-key', path.join(dir, 'nope.pem')], /nope\.pem: cannot read the public key: ENOENT$/],
      [['verify-report', path.join(dir, 'nope.json'), '--public-key', keys.publicKey], /nope\.json: file not found$/],
      [['verify-report', dir, '--public-key', keys.publicKey], /: is a folder, not a file$/],
      [['verify-report', lonely, '--public-key', keys.publicKey], /lonely\.json\.sig: file not found \(the certificate's detached signature; give another with --signature SIG\)$/],
    ];
    for (const [argv, line] of cases) {
      const result = await cli(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err.split('\n'), argv.join(' ')).toEqual([expect.stringMatching(line)]);
    }
  });
});

describe('verify-client --certify', () => {
  it("signs the verdict in the same format, next to the harness's other output; verify-report checks it", async () => {
    const traffic = path.join(dir, 'traffic.jsonl');
    const entry = { at: '2025-01-01T00:00:00.000Z', method: 'GET', path: '/api/tenant/v1/models', route: 'models', headers: { authorization: 'Bearer gtak_****abcd' }, status: 200, response: { bytes: 10 }, durationMs: 1 };
    writeFileSync(traffic, `${JSON.stringify(entry)}\n`);
    const out = path.join(dir, 'verdict-out');
    const result = await cli(['verify-client', '--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), '--certify', keys.privateKey, '--valid-days', '30', '--out', out, traffic]);
    expect(result.code, result.err).toBe(0);
    const file = path.join(out, 'client-verdict.openai-sdk.signed.json');
    expect(result.out).toContain(`certificate: ${file} (signature client-verdict.openai-sdk.signed.json.sig)`);
    expect(readFileSync(path.join(out, OUT_DIR_MARKER), 'utf8')).toContain('gt-conformance');

    const valid = await cli(['verify-report', file, '--public-key', keys.publicKey, '--product', 'openai-sdk']);
    expect(valid.code, valid.err).toBe(0);
    expect(valid.out).toMatch(/^valid: OpenAI SDK \/ curl \(openai-sdk\) client verdict signed by SHA256:[0-9a-f]{64}; traffic traffic\.jsonl \(1 requests\): conforms; valid until /);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"conforms": true', '"conforms": false'));
    expect((await cli(['verify-report', file, '--public-key', keys.publicKey])).code).toBe(1);
  });
});

describe('report --keygen', () => {
  it('writes a key pair that signs and verifies, never overwrites a key, and refuses a folder of other files', async () => {
    const fresh = path.join(dir, 'fresh');
    const result = await cli(['report', '--keygen', fresh]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('fingerprint: SHA256:');
    const signed = signCertificate(productReport(report(), 'beta'), 'b.json', loadPrivateKey(path.join(fresh, 'conformance-signing.key')));
    expect(verifyCertificate(signed.bytes, signed.signature, loadPublicKey(path.join(fresh, 'conformance-signing.pub.pem'))).valid).toBe(true);
    const key = readFileSync(path.join(fresh, 'conformance-signing.key'));
    const again = await cli(['report', '--keygen', fresh]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/conformance-signing\.key already exists; not overwriting a key$/);
    expect(readFileSync(path.join(fresh, 'conformance-signing.key')).equals(key)).toBe(true);

    const mine = path.join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(path.join(mine, 'notes.txt'), 'mine');
    const refused = await cli(['report', '--keygen', mine]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/--keygen .*mine: the folder holds files gt-conformance did not write \(notes\.txt\)/);
  });
});
