// Vendor certificates: one product's report, signed with the vendor's Ed25519 key, that a third party can verify.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ConformanceReport, ReportCell, ReportCheck, ReportProduct, ReportRoute } from './report-model.ts';
import { canonicalJson } from './canonical-json.ts';

export const CERTIFICATE_FORMAT = 'gt-conformance-certificate/1' as const;

/** What is signed: the product's part of the run, and the digests that pin its inputs and evidence. */
export interface ProductReport {
  format: typeof CERTIFICATE_FORMAT;
  schemaVersion: ConformanceReport['schemaVersion'];
  harness: ConformanceReport['harness'];
  contract: ConformanceReport['contract'];
  runbook: { id: string; file: string; digest: string };
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
  digests: {
    contract: string; // sha256, as in contract.digest
    runbook: string; // sha256 of the runbook file's bytes
    checks: string; // sha256 of the canonical JSON of `checks`
  };
}

export interface SignedReport {
  report: ProductReport;
  signature: { algorithm: 'ed25519'; value: string }; // base64 over canonicalJson(report)
  publicKey: { fingerprint: string }; // SHA256:<hex> of the SubjectPublicKeyInfo DER
}

export const certificateFileName = (productId: string) => `conformance-report.${productId}.signed.json`;

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function productReport(report: ConformanceReport, productId: string): ProductReport {
  const product = report.products.find((p) => p.id === productId);
  if (!product) throw new Error(`the report has no product "${productId}"; it has ${report.products.map((p) => p.id).join(', ') || 'none'}`);
  const own = report.checks.filter((c) => c.product === productId);
  const cross = report.checks.filter((c) => c.group === 'cross-cutting');
  const checks = [...own, ...cross];
  return {
    format: CERTIFICATE_FORMAT,
    schemaVersion: report.schemaVersion,
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
    checks,
    crossCutting: report.crossCutting,
    digests: { contract: report.contract.digest, runbook: product.digest, checks: sha256Hex(canonicalJson(checks)) },
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

export function signProductReport(report: ConformanceReport, productId: string, privateKey: KeyObject): SignedReport {
  const body = productReport(report, productId);
  const value = sign(null, Buffer.from(canonicalJson(body), 'utf8'), privateKey).toString('base64');
  return { report: body, signature: { algorithm: 'ed25519', value }, publicKey: { fingerprint: fingerprint(privateKey) } };
}

/** Signs each product's report and writes conformance-report.<product>.signed.json into outDir; returns the files. */
export function writeCertificates(report: ConformanceReport, productIds: string[], keyFile: string, outDir: string): string[] {
  const key = loadPrivateKey(keyFile);
  mkdirSync(outDir, { recursive: true });
  return productIds.map((id) => {
    const file = path.join(outDir, certificateFileName(id));
    writeFileSync(file, `${JSON.stringify(signProductReport(report, id, key), null, 2)}\n`);
    return file;
  });
}

export type Verification = { valid: true; product: string; fingerprint: string } | { valid: false; reason: string };

/** Checks the signature with `publicKey` and that the digests inside the report agree with its content. */
export function verifySignedReport(signed: unknown, publicKey: KeyObject): Verification {
  const s = signed as Partial<SignedReport> | null;
  if (!s || typeof s !== 'object' || !s.report || typeof s.report !== 'object' || !s.signature || typeof s.signature.value !== 'string' || !s.publicKey)
    return { valid: false, reason: 'not a signed conformance report (report, signature and publicKey expected)' };
  if (s.report.format !== CERTIFICATE_FORMAT) return { valid: false, reason: `unknown certificate format ${JSON.stringify(s.report.format)}` };
  if (s.signature.algorithm !== 'ed25519') return { valid: false, reason: `unknown signature algorithm ${JSON.stringify(s.signature.algorithm)}` };
  const expected = fingerprint(publicKey);
  if (s.publicKey.fingerprint !== expected)
    return { valid: false, reason: `signed with another key (${String(s.publicKey.fingerprint)}), not the given public key (${expected})` };
  const signature = Buffer.from(s.signature.value, 'base64');
  if (signature.length !== 64 || signature.toString('base64') !== s.signature.value) return { valid: false, reason: 'the signature is not a base64 Ed25519 signature' };
  if (!verify(null, Buffer.from(canonicalJson(s.report), 'utf8'), publicKey, signature))
    return { valid: false, reason: 'the signature does not match the report: it was changed after it was signed' };
  const problem = digestProblem(s.report);
  if (problem) return { valid: false, reason: problem };
  return { valid: true, product: s.report.product.id, fingerprint: expected };
}

/** The first disagreement between the report's digests and its own content, if any. */
export function digestProblem(report: ProductReport): string | undefined {
  const { digests } = report;
  if (!digests) return 'the report has no digests';
  if (digests.contract !== report.contract?.digest) return 'the contract digest disagrees with the report';
  if (digests.runbook !== report.runbook?.digest || digests.runbook !== report.product?.digest) return 'the runbook digest disagrees with the report';
  if (digests.checks !== sha256Hex(canonicalJson(report.checks))) return 'the checks digest does not match the checks in the report';
  return undefined;
}

/**
 * Compares the report's digests with the runbook file and contract found locally (paths relative to root).
 * A runbook file that is not there is listed in `notCompared`, not as a problem.
 */
export function localDigestProblems(report: ProductReport, root: string, contractDigest: string | undefined): { problems: string[]; notCompared: string[] } {
  const problems: string[] = [];
  const notCompared: string[] = [];
  const runbookFile = path.resolve(root, report.runbook.file);
  if (!existsSync(runbookFile)) notCompared.push(`${report.runbook.file} (not under ${root})`);
  else {
    const local = createHash('sha256').update(readFileSync(runbookFile)).digest('hex');
    if (local !== report.digests.runbook) problems.push(`${report.runbook.file} differs from the runbook the report was made with (sha256 ${local.slice(0, 12)}… vs ${report.digests.runbook.slice(0, 12)}…)`);
  }
  if (contractDigest === undefined) notCompared.push('the contract (not found)');
  else if (contractDigest !== report.digests.contract) problems.push('the local contract differs from the one the report was made with');
  return { problems, notCompared };
}

/** Writes a new Ed25519 key pair: <dir>/conformance-signing.key (private, mode 0600) and <dir>/conformance-signing.pub.pem. */
export function generateSigningKeys(dir: string): { privateKey: string; publicKey: string; fingerprint: string } {
  mkdirSync(dir, { recursive: true });
  const privateFile = path.join(dir, 'conformance-signing.key');
  const publicFile = path.join(dir, 'conformance-signing.pub.pem');
  for (const f of [privateFile, publicFile]) if (existsSync(f)) throw new Error(`${f} already exists; not overwriting a key`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }));
  return { privateKey: privateFile, publicKey: publicFile, fingerprint: fingerprint(publicKey) };
}
