// gt-conformance verify-report REPORT --public-key FILE: checks a vendor certificate (a signed product report).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFlags, UsageError, type Command } from '../command.ts';
import { loadPublicKey, localDigestProblems, verifySignedReport, type SignedReport } from '../../report/certify.ts';
import { loadContract } from '../../contract/load.ts';

const usage = `Usage: gt-conformance verify-report REPORT --public-key FILE [--check-digests] [--root DIR]

Checks a signed product report (conformance-report.<product>.signed.json, written by
\`run --product ID --certify KEYFILE\`): that it was signed by the holder of the private
key that belongs to FILE, that no byte of its content changed since, and that the
digests inside it agree with its content.

Options:
  --public-key FILE   the vendor's Ed25519 public key (PEM)
  --check-digests     also compare the runbook file and the contract found locally
                      (under --root) with the digests the report was made with
  --root DIR          where the runbook paths of the report are resolved (default: .)

Exit codes: 0 valid, 1 invalid (one line says why), 2 bad usage or an unreadable key.`;

const command: Command = {
  name: 'verify-report',
  summary: "check a signed product report's signature and digests",
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      'public-key': { type: 'string' },
      'check-digests': { type: 'boolean' },
      root: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one REPORT file; see --help');
    if (!values['public-key']) throw new UsageError('--public-key FILE is required');
    let publicKey;
    try {
      publicKey = loadPublicKey(values['public-key']);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const file = positionals[0];
    let signed: unknown;
    try {
      signed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ? `cannot read it (${(err as NodeJS.ErrnoException).code})` : 'not JSON';
      console.error(`invalid: ${file}: ${reason}`);
      return 1;
    }
    const result = verifySignedReport(signed, publicKey);
    if (!result.valid) {
      console.error(`invalid: ${file}: ${result.reason}`);
      return 1;
    }
    const { report } = signed as SignedReport;
    if (values['check-digests']) {
      let contractDigest: string | undefined;
      try {
        contractDigest = loadContract().digest;
      } catch {
        contractDigest = undefined;
      }
      const { problems, notCompared } = localDigestProblems(report, path.resolve(values.root ?? '.'), contractDigest);
      if (problems.length) {
        console.error(`invalid: ${file}: ${problems[0]}`);
        return 1;
      }
      if (notCompared.length) console.error(`note: digests not compared for ${notCompared.join(', ')}`);
    }
    const c = report.product.counts;
    console.log(
      `valid: ${report.product.product} (${report.product.id}) report signed by ${result.fingerprint}; ` +
        `run ${report.startedAt} against ${report.target.kind} ${report.target.host}: ` +
        `${c.passed + c.denied_as_expected} passed, ${c.failed} failed, ${c.waived} waived, ${c.blocked} blocked of ${c.total} checks`,
    );
    return 0;
  },
};

export default command;
