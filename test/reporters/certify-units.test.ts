// Vendor certificates, every step inside its own test (certify.test.ts signs once in beforeAll, where a
// mutant that breaks signing fails a hook, which Stryker's vitest runner does not count as a failed test).
// Expected values from src/report/certify.ts's comments: Ed25519 over the exact bytes, <file>.sig with its six
// fields in order, SHA256:<hex of the SPKI DER> fingerprints, a 5-minute clock skew, key files never overwritten.
import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConformanceReport, ReportCheck, ReportProduct } from '../../src/report/report-model.ts';
import { handReport } from './hand-report.ts';
import {
  certificateFileName,
  certificateHeader,
  fingerprint,
  generateSigningKeys,
  loadPrivateKey,
  loadPublicKey,
  localDigestProblems,
  productReport,
  signatureFileName,
  signCertificate,
  verifyCertificate,
  writeCertificates,
  type Certificate,
} from '../../src/report/certify.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'gt-certify-units-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(root, `k${++n}`);
const serialise = (v: unknown) => Buffer.from(`${JSON.stringify(v, null, 2)}\n`, 'utf8');
const NOW = new Date('2025-06-01T00:00:00.000Z');

const product = (id: string): ReportProduct => ({
  id,
  product: id.toUpperCase(),
  file: `runbooks/${id}.yaml`,
  digest: 'f'.repeat(64),
  compatibility: 'Native OpenAI-compatible',
  category: 'SDK and HTTP',
  preset: 'p',
  driver: 'http',
  outcome: 'passed',
  counts: {} as ReportProduct['counts'],
  routes: [],
  validation: [],
  findings: [],
  checks: [],
});
const check = (id: string, fields: Partial<ReportCheck>): ReportCheck => ({ id, group: 'route', title: id, severity: 'normal', outcome: 'passed', message: '', ran: true, exchanges: [], ...fields });
const report = (): ConformanceReport =>
  handReport([check('alpha/chat/works', { product: 'alpha' }), check('beta/chat/works', { product: 'beta' }), check('x', { group: 'cross-cutting' }), check('v', { group: 'validation' })], {
    contract: { digest: 'c'.repeat(64) },
    routes: [{ id: 'chat' }],
    products: [product('alpha'), product('beta')],
    crossCutting: { routes: [], checks: ['x'] },
  });

function keys() {
  return generateSigningKeys(fresh());
}

describe('keys', () => {
  it('writes a PKCS#8 private key (mode 600) and an SPKI public key, and returns their fingerprint', () => {
    const dir = fresh();
    const k = generateSigningKeys(dir);
    expect(k.privateKey).toBe(path.join(dir, 'conformance-signing.key'));
    expect(k.publicKey).toBe(path.join(dir, 'conformance-signing.pub.pem'));
    expect(readFileSync(k.privateKey, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(readFileSync(k.publicKey, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(statSync(k.privateKey).mode & 0o777).toBe(0o600);
    const der = createPublicKey(readFileSync(k.publicKey, 'utf8')).export({ type: 'spki', format: 'der' });
    expect(k.fingerprint).toBe(`SHA256:${createHash('sha256').update(der).digest('hex')}`);
    expect(fingerprint(loadPrivateKey(k.privateKey))).toBe(k.fingerprint);
    expect(fingerprint(loadPublicKey(k.publicKey))).toBe(k.fingerprint);
    expect(fingerprint(loadPublicKey(k.privateKey))).toBe(k.fingerprint);
    expect(() => generateSigningKeys(dir)).toThrow(`${k.privateKey} already exists; not overwriting a key`);
  });

  it('never overwrites the public key either', () => {
    const dir = fresh();
    generateSigningKeys(dir);
    rmSync(path.join(dir, 'conformance-signing.key'));
    expect(() => generateSigningKeys(dir)).toThrow(`${path.join(dir, 'conformance-signing.pub.pem')} already exists; not overwriting a key`);
  });

  it('refuses what is not a PEM key, and a public key that is not Ed25519', () => {
    const junk = path.join(root, 'junk.pem');
    writeFileSync(junk, 'not a key');
    expect(() => loadPrivateKey(junk)).toThrow(new Error(`${junk}: not a PEM private key`));
    expect(() => loadPublicKey(junk)).toThrow(new Error(`${junk}: not a PEM public key`));
    const rsa = path.join(root, 'rsa.pub.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }));
    expect(() => loadPublicKey(rsa)).toThrow(new Error(`${rsa}: an rsa key; certificates use Ed25519`));
    expect(() => loadPublicKey(path.join(root, 'none.pem'))).toThrow(new Error(`${path.join(root, 'none.pem')}: cannot read the public key: ENOENT`));
  });
});

describe('productReport and writeCertificates', () => {
  it("holds the product's checks, then the cross-cutting ones", () => {
    const header = certificateHeader('run-report', 'beta', 10, NOW);
    expect(header).toStrictEqual({ kind: 'run-report', product: 'beta', issuedAt: '2025-06-01T00:00:00.000Z', expiresAt: '2025-06-11T00:00:00.000Z' });
    const p = productReport(report(), 'beta', header);
    expect(p.checks.map((c) => c.id)).toEqual(['beta/chat/works', 'x']);
    expect(p.product.id).toBe('beta');
    expect(p.runbook).toStrictEqual({ id: 'beta', file: 'runbooks/beta.yaml', digest: 'f'.repeat(64) });
    expect(p).toMatchObject({ format: 'gt-conformance-certificate/2', certificate: header, seed: 1, routes: [{ id: 'chat' }], crossCutting: { checks: ['x'] } });
  });

  it('names the products the report has when asked for another', () => {
    expect(() => productReport(report(), 'gamma')).toThrow(new Error('the report has no product "gamma"; it has alpha, beta'));
    expect(() => productReport({ ...report(), products: [] }, 'gamma')).toThrow(new Error('the report has no product "gamma"; it has none'));
  });

  it('writes conformance-report.<product>.signed.json and its .sig for each product, which verify', () => {
    const k = keys();
    const out = fresh();
    const files = writeCertificates(report(), ['alpha', 'beta'], k.privateKey, out, 30, NOW);
    expect(files).toEqual([
      path.join(out, 'conformance-report.alpha.signed.json'),
      path.join(out, 'conformance-report.alpha.signed.json.sig'),
      path.join(out, 'conformance-report.beta.signed.json'),
      path.join(out, 'conformance-report.beta.signed.json.sig'),
    ]);
    expect(certificateFileName('x')).toBe('conformance-report.x.signed.json');
    expect(signatureFileName('/a/b.json')).toBe('/a/b.json.sig');
    const bytes = readFileSync(files[2]);
    const sig = JSON.parse(readFileSync(files[3], 'utf8'));
    expect(Object.keys(sig)).toEqual(['format', 'algorithm', 'file', 'sha256', 'keyFingerprint', 'value']);
    expect(sig).toMatchObject({ format: 'gt-conformance-signature/1', algorithm: 'ed25519', file: 'conformance-report.beta.signed.json', sha256: createHash('sha256').update(bytes).digest('hex'), keyFingerprint: k.fingerprint });
    expect(Buffer.from(sig.value, 'base64')).toHaveLength(64);
    expect(bytes.toString('utf8').endsWith('}\n')).toBe(true);
    const result = verifyCertificate(bytes, readFileSync(files[3]), loadPublicKey(k.publicKey), { product: 'beta', now: NOW });
    expect(result).toMatchObject({ valid: true, fingerprint: k.fingerprint, certificate: { certificate: { product: 'beta' } } });
  });
});

describe('verifyCertificate', () => {
  function signed(certificate: unknown) {
    const k = keys();
    const key = loadPrivateKey(k.privateKey);
    const { bytes, signature } = signCertificate(certificate as Certificate, 'c.json', key);
    const verify = (b = bytes, s = signature, options = { now: NOW }) => verifyCertificate(b, s, loadPublicKey(k.publicKey), options);
    // a signature file as the signer would write it, with some fields changed
    const resign = (b: Buffer, fields: Record<string, unknown> = {}) =>
      serialise({ format: 'gt-conformance-signature/1', algorithm: 'ed25519', file: 'c.json', sha256: createHash('sha256').update(b).digest('hex'), keyFingerprint: k.fingerprint, value: sign(null, b, key).toString('base64'), ...fields });
    return { bytes, signature, verify, resign, key };
  }
  const good = () => productReport(report(), 'alpha', certificateHeader('run-report', 'alpha', 30, NOW));

  it('refuses signature files that are not JSON, not an object, or not in the six fields, in order', () => {
    const { verify, bytes, resign } = signed(good());
    const reason = 'the signature file is not a gt-conformance-signature/1 file as gt-conformance writes it';
    expect(verify(bytes, Buffer.from('nope'))).toStrictEqual({ valid: false, reason: 'the signature file is not JSON' });
    for (const s of ['null', '[]', '"x"', '{}']) expect(verify(bytes, serialise(JSON.parse(s))), s).toStrictEqual({ valid: false, reason });
    const sig = JSON.parse(resign(bytes).toString('utf8'));
    const { format, ...rest } = sig;
    expect(verify(bytes, serialise({ ...rest, format }))).toStrictEqual({ valid: false, reason });
    expect(verify(bytes, serialise(Object.values(sig)))).toStrictEqual({ valid: false, reason });
  });

  it('names an unknown format or algorithm', () => {
    const { verify, bytes, resign } = signed(good());
    expect(verify(bytes, resign(bytes, { format: 'x/1' }))).toStrictEqual({ valid: false, reason: 'unknown signature format "x/1"' });
    expect(verify(bytes, resign(bytes, { algorithm: 'rsa' }))).toStrictEqual({ valid: false, reason: 'unknown signature algorithm "rsa"' });
  });

  it('refuses a signature value that is not 64 bytes of canonical base64, and a sha256 that does not match', () => {
    const { verify, bytes, resign } = signed(good());
    const value = JSON.parse(resign(bytes).toString('utf8')).value as string;
    const not = { valid: false, reason: 'the signature is not a base64 Ed25519 signature' };
    expect(verify(bytes, resign(bytes, { value: value.slice(0, -4) }))).toStrictEqual(not);
    expect(verify(bytes, resign(bytes, { value: `${value.slice(0, -2)}=` }))).toStrictEqual(not);
    expect(verify(bytes, resign(bytes, { sha256: '0'.repeat(64) }))).toStrictEqual({ valid: false, reason: 'the signature does not match the file: it was changed after it was signed' });
    expect(verify(bytes, resign(bytes))).toMatchObject({ valid: true });
  });

  it('refuses signed bytes that are not JSON, or not a certificate', () => {
    const { verify, resign } = signed(good());
    const text = Buffer.from('not json');
    expect(verify(text, resign(text))).toStrictEqual({ valid: false, reason: 'the signed file is not JSON' });
    const other = serialise({ format: 'other/1' });
    expect(verify(other, resign(other))).toStrictEqual({ valid: false, reason: 'unknown certificate format "other/1"' });
    const nul = serialise(null);
    expect(verify(nul, resign(nul))).toStrictEqual({ valid: false, reason: 'unknown certificate format undefined' });
  });

  it('refuses a header without kind, product, issuedAt or expiresAt', () => {
    const { verify, resign } = signed(good());
    const reason = 'the certificate has no kind, product, issuedAt and expiresAt';
    const g = good();
    for (const certificate of [
      { ...g, certificate: undefined },
      { ...g, certificate: { ...g.certificate, kind: 'other' } },
      { ...g, certificate: { ...g.certificate, product: 5 } },
      { ...g, certificate: { ...g.certificate, issuedAt: 'soon' } },
      { ...g, certificate: { ...g.certificate, expiresAt: 'later' } },
    ]) {
      const b = serialise(certificate);
      expect(verify(b, resign(b)), JSON.stringify(certificate.certificate)).toStrictEqual({ valid: false, reason });
    }
  });

  it("refuses a certificate whose results are another product's, for either kind", () => {
    const { verify, resign } = signed(good());
    const g = good();
    const reason = 'the certificate names product "alpha" but holds another product\'s results';
    for (const certificate of [
      { ...g, product: product('beta') },
      { ...g, runbook: { ...g.runbook, id: 'beta' } },
      { ...g, product: undefined },
      { ...g, runbook: undefined },
    ]) {
      const b = serialise(certificate);
      expect(verify(b, resign(b))).toStrictEqual({ valid: false, reason });
    }
    const verdict = { ...g, certificate: { ...g.certificate, kind: 'client-verdict' }, product: { id: 'alpha', name: 'Alpha' } };
    const b = serialise(verdict);
    expect(verify(b, resign(b))).toMatchObject({ valid: true });
    const noProduct = serialise({ ...verdict, product: undefined });
    expect(verify(noProduct, resign(noProduct))).toStrictEqual({ valid: false, reason });
  });

  it('is valid up to its expiry instant, and when issued up to five minutes ahead of the clock', () => {
    const { verify, bytes, signature } = signed(good());
    const expires = Date.parse('2025-07-01T00:00:00.000Z');
    expect(verify(bytes, signature, { now: new Date(expires) })).toMatchObject({ valid: true });
    expect(verify(bytes, signature, { now: new Date(expires + 1) })).toStrictEqual({ valid: false, reason: 'the certificate expired on 2025-07-01T00:00:00.000Z' });
    const issued = NOW.getTime();
    expect(verify(bytes, signature, { now: new Date(issued - 5 * 60_000) })).toMatchObject({ valid: true });
    expect(verify(bytes, signature, { now: new Date(issued - 5 * 60_000 - 1) })).toStrictEqual({ valid: false, reason: 'the certificate is dated in the future (2025-06-01T00:00:00.000Z)' });
  });
});

describe('localDigestProblems', () => {
  const pinned = (digest: string) => ({ ...productReport(report(), 'alpha', certificateHeader('run-report', 'alpha', 1, NOW)), runbook: { id: 'alpha', file: 'runbooks/alpha.yaml', digest } });

  it('compares the runbook file under root and the contract digest', () => {
    const dir = fresh();
    const file = path.join(dir, 'runbooks', 'alpha.yaml');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'id: alpha\n');
    const local = createHash('sha256').update('id: alpha\n').digest('hex');
    expect(localDigestProblems(pinned(local), dir, 'c'.repeat(64))).toStrictEqual({ problems: [], notCompared: [] });
    expect(localDigestProblems(pinned('a'.repeat(64)), dir, 'd'.repeat(64))).toStrictEqual({
      problems: [`runbooks/alpha.yaml differs from the runbook the certificate was made with (sha256 ${local.slice(0, 12)}… vs aaaaaaaaaaaa…)`, 'the local contract differs from the one the certificate was made with'],
      notCompared: [],
    });
    expect(localDigestProblems(pinned(local), path.join(dir, 'elsewhere'), undefined)).toStrictEqual({ problems: [], notCompared: [`runbooks/alpha.yaml (not under ${path.join(dir, 'elsewhere')})`, 'the contract (not found)'] });
  });
});
