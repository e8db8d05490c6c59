// Vendor certificates: a file (one product's run report, or a verify-client verdict) and a detached Ed25519
// signature over its exact bytes, in <file>.sig. Any changed byte of the file fails verification; the
// certificate inside the signed bytes names its product and when it expires.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ConformanceReport, ReportCell, ReportCheck, ReportProduct, ReportRoute } from './report-model.ts';
import { claimOutDir } from './out-dir.ts';

export const CERTIFICATE_FORMAT = 'gt-conformance-certificate/2' as const;
export const SIGNATURE_FORMAT = 'gt-conformance-signature/1' as const;
export const DEFAULT_VALID_DAYS = 365;
/** how far a signer's clock may run ahead of the verifier's */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Inside the signed bytes: what is certified, for which product, and until when. */
export interface CertificateHeader {
  kind: 'run-report' | 'client-verdict';
  product: string;
  issuedAt: string;
  expiresAt: string;
}

interface Pinned {
  format: typeof CERTIFICATE_FORMAT;
  certificate: CertificateHeader;
  harness: ConformanceReport['harness'];
  /** the contract it was made with (digest: sha256 of the contract files) */
  contract: { digest: string };
  /** the product's runbook (digest: sha256 of the file's bytes) */
  runbook: { id: string; file: string; digest: string };
}

/** `run --certify`: the product's part of the run. */
export interface ProductReport extends Pinned {
  contract: ConformanceReport['contract'];
  target: ConformanceReport['target'];
  seed: number;
  strict: boolean;
  startedAt: string;
  finishedAt: string;
  routes: ReportRoute[];
  product: ReportProduct;
  /** the product's checks, then the cross-cutting checks, with their evidence */
  checks: ReportCheck[];
  crossCutting: { routes: ReportCell[]; checks: string[] };
}

/** `verify-client --certify`: the verdict on the traffic a product sent. */
export interface ClientVerdict extends Pinned {
  product: { id: string; name: string };
  traffic: { file: string; sha256: string; requests: number };
  verdict: { conforms: boolean; problems: Array<{ where: string; message: string }>; notes: Array<{ where: string; message: string }> };
}

export type Certificate = ProductReport | ClientVerdict;

/** <file>.sig: the detached signature. */
export interface Signature {
  format: typeof SIGNATURE_FORMAT;
  algorithm: 'ed25519';
  /** the signed file's name when it was signed */
  file: string;
  /** hex sha256 of the signed bytes */
  sha256: string;
  /** SHA256:<hex> of the signer's SubjectPublicKeyInfo DER */
  keyFingerprint: string;
  /** base64 Ed25519 signature of the signed bytes */
  value: string;
}

export const certificateFileName = (productId: string) => `conformance-report.${productId}.signed.json`;
export const verdictFileName = (productId: string) => `client-verdict.${productId}.signed.json`;
export const signatureFileName = (file: string) => `${file}.sig`;

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** The one serialisation of a certificate or a signature: what is written, signed, and compared. */
const serialise = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

export function certificateHeader(kind: CertificateHeader['kind'], product: string, validDays = DEFAULT_VALID_DAYS, now = new Date()): CertificateHeader {
  return { kind, product, issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + validDays * 86_400_000).toISOString() };
}

export function productReport(report: ConformanceReport, productId: string, header: CertificateHeader = certificateHeader('run-report', productId)): ProductReport {
  const product = report.products.find((p) => p.id === productId);
  if (!product) throw new Error(`the report has no product "${productId}"; it has ${report.products.map((p) => p.id).join(', ') || 'none'}`);
  const own = report.checks.filter((c) => c.product === productId);
  const cross = report.checks.filter((c) => c.group === 'cross-cutting');
  return {
    format: CERTIFICATE_FORMAT,
    certificate: header,
    harness: report.harness,
    contract: report.contract,
    runbook: { id: product.id, file: product.file, digest: product.digest },
    target: report.target,
    seed: report.seed,
    strict: report.strict,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    routes: report.routes,
    product,
    checks: [...own, ...cross],
    crossCutting: report.crossCutting,
  };
}

function readKeyFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read the ${what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** An Ed25519 private key from a PEM file (PKCS#8, as `report --keygen` or `openssl genpkey -algorithm ed25519` write it). */
export function loadPrivateKey(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(readKeyFile(file, 'private key'));
  } catch (err) {
    if ((err as Error).message.startsWith(file)) throw err;
    throw new Error(`${file}: not a PEM private key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: an ${key.asymmetricKeyType} key; certificates need an Ed25519 key`);
  return key;
}

/** An Ed25519 public key from a PEM file (a private key file also works: its public half is used). */
export function loadPublicKey(file: string): KeyObject {
  const text = readKeyFile(file, 'public key');
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch {
    throw new Error(`${file}: not a PEM public key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: an ${key.asymmetricKeyType} key; certificates use Ed25519`);
  return key;
}

export function fingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return `SHA256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex')}`;
}

/** The bytes of a certificate and their detached signature, as written to <name> and <name>.sig. */
export function signCertificate(certificate: Certificate, fileName: string, privateKey: KeyObject): { bytes: Buffer; signature: Buffer } {
  const bytes = serialise(certificate);
  const signature: Signature = {
    format: SIGNATURE_FORMAT,
    algorithm: 'ed25519',
    file: fileName,
    sha256: sha256Hex(bytes),
    keyFingerprint: fingerprint(privateKey),
    value: sign(null, bytes, privateKey).toString('base64'),
  };
  return { bytes, signature: serialise(signature) };
}

/** Writes <dir>/<fileName> and <dir>/<fileName>.sig into the claimed folder dir; returns both paths. */
export function writeSignedCertificate(certificate: Certificate, dir: string, fileName: string, privateKey: KeyObject): [string, string] {
  const folder = claimOutDir(dir);
  const { bytes, signature } = signCertificate(certificate, fileName, privateKey);
  const file = path.join(folder, fileName);
  writeFileSync(file, bytes);
  writeFileSync(signatureFileName(file), signature);
  return [file, signatureFileName(file)];
}

/** Signs each product's report into outDir: conformance-report.<product>.signed.json and its .sig; returns the files. */
export function writeCertificates(report: ConformanceReport, productIds: string[], keyFile: string, outDir: string, validDays = DEFAULT_VALID_DAYS, now = new Date()): string[] {
  const key = loadPrivateKey(keyFile);
  return productIds.flatMap((id) => writeSignedCertificate(productReport(report, id, certificateHeader('run-report', id, validDays, now)), outDir, certificateFileName(id), key));
}

export type Verification = { valid: true; certificate: Certificate; fingerprint: string } | { valid: false; reason: string };

const SIGNATURE_FIELDS = ['format', 'algorithm', 'file', 'sha256', 'keyFingerprint', 'value'];

function parseSignature(bytes: Buffer): Signature | string {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'the signature file is not JSON';
  }
  const s = value as Partial<Signature>;
  const fields = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
  if (fields.join() !== SIGNATURE_FIELDS.join() || !serialise(value).equals(bytes)) return `the signature file is not a ${SIGNATURE_FORMAT} file as gt-conformance writes it`;
  if (s.format !== SIGNATURE_FORMAT) return `unknown signature format ${JSON.stringify(s.format)}`;
  if (s.algorithm !== 'ed25519') return `unknown signature algorithm ${JSON.stringify(s.algorithm)}`;
  return s as Signature;
}

export interface VerifyOptions {
  /** refuse a certificate for another product */
  product?: string;
  now?: Date;
}

/**
 * Verifies a certificate's bytes against its detached signature and the signer's public key, then what the
 * signed bytes say: the form gt-conformance writes (no re-formatting, duplicate keys or odd escapes even from
 * the signer), the product, and the validity period.
 */
export function verifyCertificate(bytes: Buffer, signatureBytes: Buffer, publicKey: KeyObject, options: VerifyOptions = {}): Verification {
  const signature = parseSignature(signatureBytes);
  if (typeof signature === 'string') return { valid: false, reason: signature };
  const expected = fingerprint(publicKey);
  if (signature.keyFingerprint !== expected) return { valid: false, reason: `signed with another key (${signature.keyFingerprint}), not the given public key (${expected})` };
  const value = Buffer.from(signature.value, 'base64');
  if (value.length !== 64 || value.toString('base64') !== signature.value) return { valid: false, reason: 'the signature is not a base64 Ed25519 signature' };
  if (sha256Hex(bytes) !== signature.sha256 || !verify(null, bytes, publicKey, value))
    return { valid: false, reason: 'the signature does not match the file: it was changed after it was signed' };

  let certificate: Certificate;
  try {
    certificate = JSON.parse(bytes.toString('utf8')) as Certificate;
  } catch {
    return { valid: false, reason: 'the signed file is not JSON' };
  }
  if (!serialise(certificate).equals(bytes)) return { valid: false, reason: 'the signed file is not in the form gt-conformance writes (re-formatted, a key twice, or escaped differently)' };
  if (certificate?.format !== CERTIFICATE_FORMAT) return { valid: false, reason: `unknown certificate format ${JSON.stringify(certificate?.format)}` };
  const header = certificate.certificate;
  const issued = Date.parse(header?.issuedAt);
  const expires = Date.parse(header?.expiresAt);
  if (!header || !['run-report', 'client-verdict'].includes(header.kind) || typeof header.product !== 'string' || Number.isNaN(issued) || Number.isNaN(expires))
    return { valid: false, reason: 'the certificate has no kind, product, issuedAt and expiresAt' };
  const ownProduct = header.kind === 'run-report' ? (certificate as ProductReport).product?.id : (certificate as ClientVerdict).product?.id;
  if (ownProduct !== header.product || certificate.runbook?.id !== header.product) return { valid: false, reason: `the certificate names product "${header.product}" but holds another product's results` };
  if (options.product !== undefined && header.product !== options.product)
    return { valid: false, reason: `a certificate for product "${header.product}", not for --product ${options.product}` };
  const now = (options.now ?? new Date()).getTime();
  if (now > expires) return { valid: false, reason: `the certificate expired on ${header.expiresAt}` };
  if (issued > now + CLOCK_SKEW_MS) return { valid: false, reason: `the certificate is dated in the future (${header.issuedAt})` };
  return { valid: true, certificate, fingerprint: expected };
}

/**
 * Compares the certificate's runbook and contract digests with the runbook file and contract found locally
 * (paths relative to root). A runbook file that is not there is listed in `notCompared`, not as a problem.
 */
export function localDigestProblems(certificate: Pinned, root: string, contractDigest: string | undefined): { problems: string[]; notCompared: string[] } {
  const problems: string[] = [];
  const notCompared: string[] = [];
  const { file, digest } = certificate.runbook;
  const runbookFile = path.resolve(root, file);
  if (!existsSync(runbookFile)) notCompared.push(`${file} (not under ${root})`);
  else {
    const local = sha256Hex(readFileSync(runbookFile));
    if (local !== digest) problems.push(`${file} differs from the runbook the certificate was made with (sha256 ${local.slice(0, 12)}… vs ${digest.slice(0, 12)}…)`);
  }
  if (contractDigest === undefined) notCompared.push('the contract (not found)');
  else if (contractDigest !== certificate.contract.digest) problems.push('the local contract differs from the one the certificate was made with');
  return { problems, notCompared };
}

/**
 * Writes a new Ed25519 key pair into the claimed folder dir: conformance-signing.key (private, mode 0600) and
 * conformance-signing.pub.pem. A key file is never overwritten.
 */
export function generateSigningKeys(dir: string): { privateKey: string; publicKey: string; fingerprint: string } {
  const folder = claimOutDir(dir, '--keygen');
  const privateFile = path.join(folder, 'conformance-signing.key');
  const publicFile = path.join(folder, 'conformance-signing.pub.pem');
  for (const f of [privateFile, publicFile]) if (existsSync(f)) throw new Error(`${f} already exists; not overwriting a key`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }), { flag: 'wx' });
  return { privateKey: privateFile, publicKey: publicFile, fingerprint: fingerprint(publicKey) };
}
