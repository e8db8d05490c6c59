// gt-conformance report: merges shard reports, renders Allure HTML, re-renders the report files, makes signing keys.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFlags, UsageError, type Command } from '../command.ts';
import type { ConformanceReport } from '../../report/report-model.ts';
import { reportSchemaErrors } from '../../report/validate.ts';
import { REPORT_FILES, writeReports } from '../../report/write.ts';
import { renderAllureHtml } from '../../report/allure-html.ts';
import { DEFAULT_VALID_DAYS, generateSigningKeys, loadPrivateKey } from '../../report/certify.ts';
import { OUT_DIR_MARKER, outDirProblem } from '../../report/out-dir.ts';
import { wholeNumber } from '../flags.ts';
import { mergeShardReports } from '../../../reporters/merge.ts';
import { loadWaivers } from '../../outcome/waivers.ts';
import { parseGateMode } from '../../outcome/verdict.ts';
import { loadBaseline } from '../../report/baseline.ts';
import { comparisonWords, requestsWords } from '../../report/summary.ts';
import { terminalSafe } from '../../report/sanitize.ts';
import { ALLURE_RESULTS_DIR } from '../../../reporters/run-reporters.ts';

const usage = `Usage: gt-conformance report [options]

Without a mode option, re-renders conformance-report.md, conformance-report.html
and junit.xml from <out>/conformance-report.json (after checking it against its schema).

Modes:
  --merge DIR        merge the blob reports of a sharded run (\`run --shard i/n\`) found
                     under DIR, at any depth, with the shards' run-context*.json files,
                     into the reports a single run writes: <out>/conformance-report.json,
                     .md, .html, <out>/junit.xml and <out>/allure-results/.
                     Exit 0 when the merged run passes its gate, 1 when not.
  --allure           render <out>/allure-results as one self-contained HTML file,
                     <out>/allure-report/index.html (offline; with --merge: after merging)
  --keygen DIR       write a new Ed25519 key pair for \`run --certify\` into DIR:
                     conformance-signing.key (private, mode 0600) and conformance-signing.pub.pem;
                     DIR is new, empty or one --keygen wrote, and a key is never overwritten

Options:
  --out DIR            the output folder (default: out): a new or empty one, or one gt-conformance wrote
                       before (it holds ${OUT_DIR_MARKER}); only the files the harness writes are replaced
  --allure-out DIR     where --allure writes index.html (default: <out>/allure-report), under the same rule
  --waivers FILE       with --merge: the waiver file the shards ran with (its unused waivers fail the gate)
  --fail-on-findings   with --merge: runbook findings fail the gate
  --baseline FILE      with --merge: an earlier conformance-report.json to compare the merged run with
  --gate any|regressions  with --merge: what fails the merged run (as for run; default any)
  --certify KEYFILE    with --merge: sign the report of each --product (default: every product)
  --valid-days N       with --certify: how long the certificates are valid (1 to 3650, default ${DEFAULT_VALID_DAYS})
  --product ID         with --certify: the product to sign (repeatable)

Examples:
  gt-conformance report --merge shards/ --allure
  gt-conformance report --allure --out out
  gt-conformance report --keygen keys/`;

const command: Command = {
  name: 'report',
  summary: 'merge sharded runs, render the Allure HTML report, make signing keys',
  usage,
  async run(argv) {
    const { values, positionals, numbers } = parseFlags(argv, {
      out: { type: 'string' },
      merge: { type: 'string' },
      allure: { type: 'boolean' },
      'allure-out': { type: 'string' },
      keygen: { type: 'string' },
      waivers: { type: 'string' },
      'fail-on-findings': { type: 'boolean' },
      baseline: { type: 'string' },
      gate: { type: 'string' },
      certify: { type: 'string' },
      'valid-days': wholeNumber(1, 3650),
      product: { type: 'string', multiple: true },
    });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"; see --help`);
    const outDir = path.resolve(values.out ?? 'out');

    if (values.keygen !== undefined) {
      if (values.merge || values.allure) throw new UsageError('--keygen cannot be combined with --merge or --allure');
      const keys = inputErrors(() => generateSigningKeys(path.resolve(values.keygen!)));
      console.log(`private key: ${keys.privateKey} (keep it secret; pass it to run --certify)`);
      console.log(`public key:  ${keys.publicKey} (give it to whoever verifies: verify-report --public-key)`);
      console.log(`fingerprint: ${keys.fingerprint}`);
      return 0;
    }
    if ((values.waivers || values['fail-on-findings'] || values.certify || values.baseline || values.gate) && !values.merge) {
      throw new UsageError('--waivers, --fail-on-findings, --baseline, --gate and --certify go with --merge (a run takes them directly)');
    }
    const gateMode = parseGateMode(values.gate);
    if (values.product && !values.certify) throw new UsageError('--product goes with --certify');
    if (values['valid-days'] && !values.certify) throw new UsageError('--valid-days goes with --certify');
    if (values['allure-out'] && !values.allure) throw new UsageError('--allure-out goes with --allure');

    // Merging takes a while: a folder that cannot take the reports is refused before it starts.
    const outProblem = (values.merge || !values.allure) && outDirProblem(outDir);
    if (outProblem) throw new UsageError(outProblem);
    let code = 0;
    if (values.merge) {
      const dir = path.resolve(values.merge);
      if (values.waivers) inputErrors(() => loadWaivers(values.waivers!));
      if (values.certify) inputErrors(() => loadPrivateKey(values.certify!));
      if (values.baseline) loadBaseline(values.baseline);
      const merged = await inputErrorsAsync(() =>
        mergeShardReports({
          dir,
          outDir,
          waivers: values.waivers,
          failOnFindings: values['fail-on-findings'],
          baseline: values.baseline,
          gate: gateMode,
          certify: values.certify,
          validDays: numbers['valid-days'],
          products: values.product,
          log: () => {},
        }),
      );
      const { gate, counts } = merged.report;
      console.log(`merged ${merged.blobs} blob report(s) and ${merged.contexts} run context(s) from ${values.merge}: ${counts.total} checks`);
      for (const file of merged.files) console.log(`  ${shown(file)}`);
      if (merged.report.requests) console.log(requestsWords(merged.report.requests));
      if (merged.report.comparison) console.log(terminalSafe(`compared ${comparisonWords(merged.report.comparison)}`));
      console.log(gate.passed ? 'gate: passed' : `gate: FAILED (${gate.reasons.join('; ')})`);
      code = gate.passed ? 0 : 1;
    } else if (!values.allure) {
      rerender(outDir);
    }
    if (values.allure) {
      const reportDir = path.resolve(values['allure-out'] ?? path.join(outDir, 'allure-report'));
      const html = await inputErrorsAsync(() => renderAllureHtml(path.join(outDir, ALLURE_RESULTS_DIR), reportDir));
      console.log(`Allure report of ${html.tests} tests: ${shown(html.index)}`);
    }
    return code;
  },
};

/** Re-renders Markdown, HTML and JUnit from the JSON report (e.g. after an upgrade of the renderers). */
function rerender(outDir: string): void {
  const file = path.join(outDir, REPORT_FILES.json);
  if (!existsSync(file)) throw new UsageError(`${file} does not exist; run the suites first, or give --out`);
  let report: ConformanceReport;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport;
  } catch (err) {
    throw new UsageError(`${file}: not JSON: ${(err as Error).message}`);
  }
  const errors = reportSchemaErrors(report);
  if (errors.length) throw new UsageError(`${file}: does not match the report schema: ${errors[0]}`);
  const written = writeReports(report, outDir, {});
  for (const f of [written.markdown, written.html, written.junit, written.har]) console.log(`  ${shown(f)}`);
}

/** A path as people want to read it: relative when it is under the current directory. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** Errors of our own modules are about the input (a file, a folder, a key): one line and exit 2. */
function inputErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
}

async function inputErrorsAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
}

export default command;
