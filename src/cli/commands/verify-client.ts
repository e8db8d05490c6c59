// gt-conformance verify-client --product ID FILE: vendor mode. Checks traffic a real product sent to a GT
// tenant (the mock's JSON lines from `mock --record FILE`, or a HAR file) against the product's runbook; with
// --suggest-runbook writes what the traffic shows as a runbook route table and a client profile, and with
// --certify signs the verdict.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadContract } from '../../contract/load.ts';
import { loadProfileFile, profileById } from '../../clients/load.ts';
import { profileIdFor } from '../../clients/profiles-for-runbooks.ts';
import { locate, readTraffic, TrafficFileError, type Traffic } from '../../clients/traffic.ts';
import { verifyTraffic } from '../../clients/verify.ts';
import { suggestRunbook, type Suggestion } from '../../clients/suggest.ts';
import type { Contract, LoadedRunbook } from '../../model.ts';
import { defaultRunbookFiles, formatInputError, loadRunbooks } from '../../runbook/load.ts';
import { parseFlags, UsageError, type Command } from '../command.ts';
import { writeOwnFile } from '../own-file.ts';
import { wholeNumber } from '../flags.ts';
import { CERTIFICATE_FORMAT, certificateHeader, DEFAULT_VALID_DAYS, loadPrivateKey, verdictFileName, writeSignedCertificate, type ClientVerdict } from '../../report/certify.ts';
import { harnessVersion } from '../../version.ts';
import { outDirProblem } from '../../report/out-dir.ts';

const SUGGESTION_HEADER = '# gt-conformance verify-client --suggest-runbook: what the recorded traffic shows';

/** A key or folder problem of our own modules, as one line. */
function inputError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError((err as Error).message);
  }
}

const usage = `Usage: gt-conformance verify-client --product ID [--runbook FILE] [--suggest-runbook OUT] [--certify KEYFILE] TRAFFIC

Vendor mode: checks the requests a real product sent to a GT tenant against the product's runbook
(runbooks/<ID>.yaml, or --runbook FILE). TRAFFIC is either
  - the JSON lines of gt-conformance mock --record TRAFFIC, or
  - a HAR file (Chromium or Firefox dev tools, mitmproxy, Charles, Playwright, a run's evidence.har);
    its URLs are mapped to tenant paths from /api/tenant on; requests elsewhere are left out and counted.
The format is told by the content, not the file name. It checks:
  - only routes the runbook says the product calls (native or gt_extension);
    a call to a not_supported route, or to a path that is no GT route, fails
  - Authorization: Bearer on every request
  - request bodies valid against the contract's request schemas
  - the X-GT-Conversation-Id header where a GT extension needs it (R9)
Each problem is printed on one line as TRAFFIC:LINE (or TRAFFIC: log.entries[N]): METHOD PATH: message.
Where the traffic differs from the product's client profile, a "note:" line says so (notes do not fail).

Options:
  --product ID            the runbook id of the product (e.g. openai-sdk, open-webui)
  --runbook FILE          check against this runbook file instead of the shipped one
  --suggest-runbook OUT   also write OUT: the product's runbook with the route table the traffic shows (each
                          row commented with the bodies and headers seen), and beside it <ID>-observed.yaml,
                          the client profile the traffic shows (valid against fixtures/clients/profile.schema.json);
                          then list where the runbook disagrees with what the product did. Never overwrites a
                          file it did not write.
  --certify KEYFILE       sign the verdict with an Ed25519 private key (report --keygen makes one):
                          <out>/client-verdict.<ID>.signed.json and its signature .sig, which
                          gt-conformance verify-report checks
  --valid-days N          with --certify: how long the certificate is valid (1 to 3650, default ${DEFAULT_VALID_DAYS})
  --out DIR               with --certify: where the certificate goes (default: out), a new or empty folder
                          or one gt-conformance wrote before
  -h, --help              show this help

Exit codes: 0 the traffic conforms, 1 problems found, 2 bad input.`;

function loadRunbook(productId: string, runbookFile: string | undefined, contract: Contract): LoadedRunbook {
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

/** The suggestion's two files checked by the loaders every runbook and profile goes through; a problem is the harness's bug. */
function assertLoadable(suggestion: Required<Suggestion>, contract: Contract): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-suggest-'));
  try {
    const profileFile = path.join(dir, `${suggestion.profile.id}.yaml`);
    writeFileSync(profileFile, suggestion.profileYaml);
    const profileErrors = loadProfileFile(profileFile, contract).errors;
    const runbookFile = path.join(dir, 'runbook.yaml');
    writeFileSync(runbookFile, suggestion.runbookYaml);
    const runbookErrors = loadRunbooks([runbookFile], contract).errors;
    const first = [...profileErrors, ...runbookErrors][0];
    if (first) throw new Error(`the suggested ${first.file.endsWith('runbook.yaml') ? 'runbook' : 'client profile'} does not load: ${formatInputError(first)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeSuggestion(out: string, loaded: LoadedRunbook, traffic: Traffic, trafficFile: string, contract: Contract): void {
  const profileId = profileIdFor(loaded.runbook);
  const suggestion = suggestRunbook(loaded, readFileSync(loaded.file, 'utf8'), traffic.lines, trafficFile, contract, profileId ? profileById(profileId) : undefined);
  for (const d of suggestion.disagreements) console.log(`${loaded.file}${d.line ? `:${d.line}` : ''}: the runbook disagrees with the traffic: ${d.message}`);
  if (!suggestion.profile) {
    console.log(`--suggest-runbook: no request in ${trafficFile} reached a GT route, so there is no route table or client profile to suggest; nothing written`);
    return;
  }
  const written = suggestion as Required<Suggestion>;
  assertLoadable(written, contract);
  const profileFile = path.join(path.dirname(out), `${written.profile.id}.yaml`);
  if (path.resolve(profileFile) === path.resolve(out)) throw new UsageError(`--suggest-runbook ${out}: the client profile is written as ${profileFile}; give the runbook another name`);
  writeOwnFile('--suggest-runbook', out, SUGGESTION_HEADER, `${SUGGESTION_HEADER}\n${written.runbookYaml}`);
  writeOwnFile('--suggest-runbook', profileFile, SUGGESTION_HEADER, `${SUGGESTION_HEADER}\n${written.profileYaml}`);
  console.log(`wrote ${out} (the route table the traffic shows) and ${profileFile} (the client profile it shows); ${suggestion.disagreements.length} disagreement${suggestion.disagreements.length === 1 ? '' : 's'} with ${loaded.file}`);
}

const command: Command = {
  name: 'verify-client',
  summary: 'check traffic recorded from a real product (mock JSON lines or HAR) against its runbook (vendor mode)',
  usage,
  async run(argv) {
    const { values, positionals, numbers } = parseFlags(argv, {
      product: { type: 'string' },
      runbook: { type: 'string' },
      'suggest-runbook': { type: 'string' },
      certify: { type: 'string' },
      'valid-days': wholeNumber(1, 3650),
      out: { type: 'string' },
    });
    if (!values.product) throw new UsageError('--product ID is required (the runbook id, e.g. openai-sdk)');
    if (positionals.length !== 1) throw new UsageError(`give exactly one traffic file (mock --record JSON lines, or a HAR file), got ${positionals.length}`);
    if ((values['valid-days'] !== undefined || values.out !== undefined) && !values.certify) throw new UsageError('--valid-days and --out go with --certify');
    const file = positionals[0];
    const signingKey = values.certify === undefined ? undefined : inputError(() => loadPrivateKey(values.certify!));
    const outProblem = signingKey && outDirProblem(values.out ?? 'out');
    if (outProblem) throw new UsageError(outProblem);

    const contract = loadContract();
    const loaded = loadRunbook(values.product, values.runbook, contract);
    let traffic: Traffic;
    try {
      traffic = readTraffic(file, contract.basePath);
    } catch (err) {
      if (err instanceof TrafficFileError) throw new UsageError(err.message);
      throw err;
    }
    const profileId = profileIdFor(loaded.runbook);
    const profile = profileId ? profileById(profileId) : undefined;
    const verdict = verifyTraffic(traffic.lines, loaded.runbook, contract, profile);

    for (const p of verdict.problems) console.log(`${locate(file, p.where)}: ${p.message}`);
    for (const n of verdict.notes) console.log(`${locate(file, n.where)}: note: ${n.message}`);
    if (traffic.leftOut.length) {
      const examples = traffic.leftOut.slice(0, 3).join(', ');
      console.log(`${file}: note: ${traffic.leftOut.length} request${traffic.leftOut.length === 1 ? '' : 's'} not under ${contract.basePath} left out (${examples}${traffic.leftOut.length > 3 ? ', …' : ''})`);
    }
    const summary = `${loaded.runbook.product}: ${verdict.requests} request${verdict.requests === 1 ? '' : 's'} checked, ${verdict.problems.length === 0 ? 'no problems' : `${verdict.problems.length} problem${verdict.problems.length === 1 ? '' : 's'}`}`;
    console.log(summary);
    if (values['suggest-runbook']) writeSuggestion(values['suggest-runbook'], loaded, traffic, file, contract);
    if (signingKey) {
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
