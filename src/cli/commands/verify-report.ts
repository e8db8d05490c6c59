// gt-conformance verify-report FILE --public-key KEY: checks a vendor certificate (a signed product report or
// client verdict) against its detached signature FILE.sig.
import path from 'node:path';
import { parseFlags, UsageError, type Command } from '../command.ts';
import { loadPublicKey, localDigestProblems, signatureFileName, verifyCertificate, type Certificate, type ClientVerdict, type ProductReport } from '../../report/certify.ts';
import { loadContract } from '../../contract/load.ts';
import { readInputFile } from '../../input/read-file.ts';

/** A certificate holds a product's checks with their evidence: large, but never this large. */
const MAX_CERTIFICATE_BYTES = 64 * 1024 * 1024;

const usage = `Usage: gt-conformance verify-report FILE --public-key KEY [--product ID] [--signature SIG]
                                    [--check-digests] [--root DIR]

Checks a vendor certificate: conformance-report.<product>.signed.json (written by
\`run --product ID --certify KEYFILE\`) or client-verdict.<product>.signed.json (written by
\`verify-client --certify KEYFILE\`), with its detached signature FILE.sig:
  - the signature is the given public key's, over the exact bytes of FILE: any changed byte fails
  - FILE is in the form gt-conformance writes (not re-formatted, no key twice)
  - the certificate has not expired (run --valid-days sets how long it lasts)
  - with --product, that it certifies that product

Options:
  --public-key KEY    the vendor's Ed25519 public key (PEM)
  --product ID        refuse a certificate for any other product
  --signature SIG     the signature file (default: FILE.sig)
  --check-digests     also compare the runbook file and the contract found locally
                      (under --root) with the digests the certificate was made with
  --root DIR          where the runbook path of the certificate is resolved (default: .)

Exit codes: 0 valid, 1 invalid (one line says why), 2 bad usage or a file that cannot be read.`;

function summary(certificate: Certificate, fingerprint: string): string {
  const until = `valid until ${certificate.certificate.expiresAt}`;
  if (certificate.certificate.kind === 'client-verdict') {
    const { product, traffic, verdict } = certificate as ClientVerdict;
    const outcome = verdict.conforms ? 'conforms' : `${verdict.problems.length} problem${verdict.problems.length === 1 ? '' : 's'}`;
    return `valid: ${product.name} (${product.id}) client verdict signed by ${fingerprint}; traffic ${traffic.file} (${traffic.requests} requests): ${outcome}; ${until}`;
  }
  const report = certificate as ProductReport;
  const c = report.product.counts;
  return (
    `valid: ${report.product.product} (${report.product.id}) report signed by ${fingerprint}; ` +
    `run ${report.startedAt} against ${report.target.kind} ${report.target.host}: ` +
    `${c.passed + c.denied_as_expected} passed, ${c.failed} failed, ${c.waived} waived, ${c.blocked} blocked of ${c.total} checks; ${until}`
  );
}

const command: Command = {
  name: 'verify-report',
  summary: 'check a vendor certificate: its detached signature, expiry, product and digests',
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      'public-key': { type: 'string' },
      product: { type: 'string' },
      signature: { type: 'string' },
      'check-digests': { type: 'boolean' },
      root: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one certificate FILE; see --help');
    if (!values['public-key']) throw new UsageError('--public-key KEY is required');
    if (values.root && !values['check-digests']) throw new UsageError('--root goes with --check-digests');
    let publicKey;
    try {
      publicKey = loadPublicKey(values['public-key']);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const file = positionals[0];
    const bytes = readInputFile(file, MAX_CERTIFICATE_BYTES);
    const signatureFile = values.signature ?? signatureFileName(file);
    let signature: Buffer;
    try {
      signature = readInputFile(signatureFile, 64 * 1024);
    } catch (err) {
      throw new UsageError(`${(err as Error).message} (the certificate's detached signature; give another with --signature SIG)`);
    }
    const result = verifyCertificate(bytes, signature, publicKey, { product: values.product });
    if (!result.valid) {
      console.error(`invalid: ${file}: ${result.reason}`);
      return 1;
    }
    if (values['check-digests']) {
      let contractDigest: string | undefined;
      try {
        contractDigest = loadContract().digest;
      } catch {
        contractDigest = undefined;
      }
      const { problems, notCompared } = localDigestProblems(result.certificate, path.resolve(values.root ?? '.'), contractDigest);
      if (problems.length) {
        console.error(`invalid: ${file}: ${problems[0]}`);
        return 1;
      }
      if (notCompared.length) console.error(`note: digests not compared for ${notCompared.join(', ')}`);
    }
    console.log(summary(result.certificate, result.fingerprint));
    return 0;
  },
};

export default command;
