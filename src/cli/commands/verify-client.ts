// gt-conformance verify-client --product ID FILE: vendor mode. Checks traffic a real product sent to
// the embedded tenant (recorded with `mock --record FILE`) against the product's runbook.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadContract } from '../../contract/load.ts';
import { profileById } from '../../clients/load.ts';
import { profileIdFor } from '../../clients/profiles-for-runbooks.ts';
import { readTraffic, TrafficFileError } from '../../clients/traffic.ts';
import { verifyTraffic } from '../../clients/verify.ts';
import type { LoadedRunbook } from '../../model.ts';
import { defaultRunbookFiles, formatInputError, loadRunbooks } from '../../runbook/load.ts';
import { parseFlags, UsageError, type Command } from '../command.ts';
import { wholeNumber } from '../flags.ts';
import { CERTIFICATE_FORMAT, certificateHeader, DEFAULT_VALID_DAYS, loadPrivateKey, verdictFileName, writeSignedCertificate, type ClientVerdict } from '../../report/certify.ts';
import { harnessVersion } from '../../version.ts';
import { outDirProblem } from '../../report/out-dir.ts';

/** A key or folder problem of our own modules, as one line. */
function inputError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError((err as Error).message);
  }
}

const usage = `Usage: gt-conformance verify-client --product ID [--runbook FILE] [--certify KEYFILE] TRAFFIC

Vendor mode: checks the requests a real product sent, recorded by
  gt-conformance mock --record TRAFFIC
against the product's runbook (runbooks/<ID>.yaml, or --runbook FILE):
  - only routes the runbook says the product calls (native or gt_extension);
    a call to a not_supported route, or to a path that is no GT route, fails
  - Authorization: Bearer on every request
  - request bodies valid against the contract's request schemas
  - the X-GT-Conversation-Id header where a GT extension needs it (R9)
Each problem is printed on one line as TRAFFIC:LINE: METHOD PATH: message.
Where the traffic differs from the product's client profile, a "note:" line
says so (the profile may be stale; notes do not fail).

Options:
  --product ID        the runbook id of the product (e.g. openai-sdk, open-webui)
  --runbook FILE      check against this runbook file instead of the shipped one
  --certify KEYFILE   sign the verdict with an Ed25519 private key (report --keygen makes one):
                      <out>/client-verdict.<ID>.signed.json and its signature .sig, which
                      gt-conformance verify-report checks
  --valid-days N      with --certify: how long the certificate is valid (1 to 3650, default ${DEFAULT_VALID_DAYS})
  --out DIR           with --certify: where the certificate goes (default: out), a new or empty folder
                      or one gt-conformance wrote before
  -h, --help          show this help

Exit codes: 0 the traffic conforms, 1 problems found, 2 bad input.`;

function loadRunbook(productId: string, runbookFile: string | undefined): LoadedRunbook {
  const contract = loadContract();
  const files = runbookFile ? [runbookFile] : defaultRunbookFiles();
  const { runbooks, errors } = loadRunbooks(files, contract);
  if (runbookFile && errors.length > 0) throw new UsageError(formatInputError(errors[0]));
  const found = runbooks.find((r) => r.runbook.id === productId);
  if (found) return found;
  if (runbookFile) throw new UsageError(`${runbookFile} is the runbook of "${runbooks[0]?.runbook.id}", not of --product ${productId}`);
  const brokenHere = errors.find((e) => path.basename(e.file, '.yaml') === productId);
  if (brokenHere) throw new UsageError(formatInputError(brokenHere));
  throw new UsageError(`unknown product "${productId}"; products: ${runbooks.map((r) => r.runbook.id).join(', ')}`);
}

const command: Command = {
  name: 'verify-client',
  summary: 'check traffic recorded from a real product against its runbook (vendor mode)',
  usage,
  async run(argv) {
    const { values, positionals, numbers } = parseFlags(argv, {
      product: { type: 'string' },
      runbook: { type: 'string' },
      certify: { type: 'string' },
      'valid-days': wholeNumber(1, 3650),
      out: { type: 'string' },
    });
    if (!values.product) throw new UsageError('--product ID is required (the runbook id, e.g. openai-sdk)');
    if (positionals.length !== 1) throw new UsageError(`give exactly one traffic file (recorded with mock --record), got ${positionals.length}`);
    if ((values['valid-days'] !== undefined || values.out !== undefined) && !values.certify) throw new UsageError('--valid-days and --out go with --certify');
    const file = positionals[0];
    const signingKey = values.certify === undefined ? undefined : inputError(() => loadPrivateKey(values.certify!));
    const outProblem = signingKey && outDirProblem(values.out ?? 'out');
    if (outProblem) throw new UsageError(outProblem);

    const loaded = loadRunbook(values.product, values.runbook);
    let traffic;
    try {
      traffic = readTraffic(file);
    } catch (err) {
      if (err instanceof TrafficFileError) throw new UsageError(err.message);
      throw err;
    }
    const profileId = profileIdFor(loaded.runbook);
    const profile = profileId ? profileById(profileId) : undefined;
    const verdict = verifyTraffic(traffic, loaded.runbook, loadContract(), profile);

    for (const p of verdict.problems) console.log(`${file}:${p.line}: ${p.message}`);
    for (const n of verdict.notes) console.log(`${file}:${n.line}: note: ${n.message}`);
    const summary = `${loaded.runbook.product}: ${verdict.requests} request${verdict.requests === 1 ? '' : 's'} checked, ${verdict.problems.length === 0 ? 'no problems' : `${verdict.problems.length} problem${verdict.problems.length === 1 ? '' : 's'}`}`;
    console.log(summary);
    if (signingKey) {
      const contract = loadContract();
      const certificate: ClientVerdict = {
        format: CERTIFICATE_FORMAT,
        certificate: certificateHeader('client-verdict', loaded.runbook.id, numbers['valid-days']),
        harness: { name: 'gt-conformance', version: harnessVersion() },
        contract: { digest: contract.digest },
        runbook: { id: loaded.runbook.id, file: loaded.file, digest: loaded.digest },
        product: { id: loaded.runbook.id, name: loaded.runbook.product },
        traffic: { file: path.basename(file), sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), requests: verdict.requests },
        verdict: { conforms: verdict.problems.length === 0, problems: verdict.problems, notes: verdict.notes },
      };
      const [signed, signature] = writeSignedCertificate(certificate, values.out ?? 'out', verdictFileName(loaded.runbook.id), signingKey);
      console.log(`certificate: ${signed} (signature ${path.basename(signature)})`);
    }
    return verdict.problems.length === 0 ? 0 : 1;
  },
};

export default command;
