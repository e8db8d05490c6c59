// gt-conformance run: checks the input, then runs the conformance suites with vitest against the target.
import path from 'node:path';
import type { Command } from '../command.ts';
import { parseFlags, UsageError } from '../command.ts';
import { parseShard, wholeNumber } from '../flags.ts';
import { loadContract } from '../../contract/load.ts';
import { defaultRunbookFiles, formatInputError, loadRunbooks } from '../../runbook/load.ts';
import { loadTargetFile } from '../../targets/live.ts';
import { DEFECTS } from '../../tenant/index.ts';
import type { Verdict } from '../../model.ts';
import { writeRunOptions, type RunOptions } from '../../run/options.ts';
import { runSuites } from '../../run/vitest.ts';
import { claimWarmWorker } from '../../run/warm-worker.ts';
import { isCompiledModule } from '../../paths.ts';
import { prepareRun } from '../../run/prepare.ts';
import { writeRunContext } from '../../report/run-context.ts';
import { narrowToChanged } from '../../run/changed.ts';
import { loadWaivers } from '../../outcome/waivers.ts';
import { DEFAULT_VALID_DAYS, loadPrivateKey } from '../../report/certify.ts';
import { OUT_DIR_MARKER } from '../../report/out-dir.ts';
import { loadBaseline } from '../../report/baseline.ts';
import { parseGateMode } from '../../outcome/verdict.ts';

const usage = `Usage: gt-conformance run [options] [runbook files...]

Compiles the runbooks into checks and runs them as vitest suites against a GT tenant:
the embedded one (started for the run) unless --target names a live one.
Prints progress while it runs and a product × route summary at the end.

Target:
  --target FILE          a live tenant described by a target file (see examples/target.yaml);
                         secrets come from the environment variables it names
  --insecure-http        allow a target's plain http:// base URL on a host that is not loopback
                         (the keys then travel unencrypted)
  --allow-writes         a live target: create uploads and conversations, though the target file does not
                         say writes: allowed (each is named gt-conformance-<run id> and listed in the report)
  --defect ID            embedded tenant: inject a named defect (repeatable; see gt-conformance mock --list-defects)
  --tolerant             embedded tenant: make the other allowed choice on every open point of the contract
  --latency MS           embedded tenant: added latency per request (0 to 60000)
  --processing MS        embedded tenant: upload processing time (0 to 600000)

What to run:
  --product ID           only this product (repeatable)
  --route ID             only this route (repeatable): ${'models, chat, embeddings, ...'}
  --verdict V            only routes with this verdict (repeatable): native, gt_extension, not_supported
  --skip-route ID        never call this route (repeatable)
  --changed-since REF    only the products whose runbook or client profile changed since the git ref (every
                         product when a contract file changed); exits 0 without sending when nothing did
  --no-uploads           never upload (skips dataset/conversation uploads and file status)
  --strict               pin the contract's default on every open point (e.g. 403, never 404)
  --seed N               faker seed for request content (0 to 2147483647); the seed used is printed and recorded

Limits (defaults: embedded 8 in flight, live 2):
  --concurrency N        requests in flight at once (1 to 64)
  --timeout MS           per request (100 to 600000)
  --budget N             at most N requests for the whole run (1 to 1000000)
  --max-failures N       stop once N probes failed: no further request is sent, and the checks not reached
                         are reported not run (1 to 100000)
  --fuzz N               negative testing: N generated cases per route (0 to 10000; default: one round of
                         every case kind against the embedded tenant; off against a live target)

Reports (written to --out, default out/):
  --out DIR              output folder: a new or empty one, or one gt-conformance wrote before (it
                         holds ${OUT_DIR_MARKER}); only the files the harness writes are replaced
  --waivers FILE         known failures that do not fail the run until their expiry date
  --certify KEYFILE      sign the report of the (single) --product with an Ed25519 private key
  --valid-days N         with --certify: how long the certificate is valid (1 to 3650, default ${DEFAULT_VALID_DAYS})
  --fail-on-findings     runbook findings (documentation defects) fail the run
  --baseline FILE        an earlier conformance-report.json: the reports show new failures, fixed ones,
                         ones still failing, new and removed checks (read before anything is sent)
  --gate any|regressions what fails the run: any failed check (default), or only new failures against
                         --baseline (without one every failure is new); a stopped run fails either way
  --no-color             no colour on the console (also NO_COLOR=1); colour is only used on a terminal
  --shard I/N            run shard I of N, N at most 64 (blob report under DIR/blob; merge with gt-conformance report --merge)

Exit codes: 0 every check passed, 1 a check failed, 2 bad input (runbook, target file, env var, flag).`;

/** The flags of run (and plan, which takes the same). */
export const runFlags = {
  target: { type: 'string' },
  'insecure-http': { type: 'boolean' },
  product: { type: 'string', multiple: true },
  route: { type: 'string', multiple: true },
  verdict: { type: 'string', multiple: true },
  'skip-route': { type: 'string', multiple: true },
  'no-uploads': { type: 'boolean' },
  strict: { type: 'boolean' },
  seed: wholeNumber(0, 2 ** 31 - 1),
  concurrency: wholeNumber(1, 64),
  timeout: wholeNumber(100, 600_000),
  budget: wholeNumber(1, 1_000_000),
  fuzz: wholeNumber(0, 10_000),
  'max-failures': wholeNumber(1, 100_000),
  'allow-writes': { type: 'boolean' },
  out: { type: 'string' },
  waivers: { type: 'string' },
  certify: { type: 'string' },
  'valid-days': wholeNumber(1, 3650),
  'fail-on-findings': { type: 'boolean' },
  baseline: { type: 'string' },
  gate: { type: 'string' },
  'no-color': { type: 'boolean' },
  shard: { type: 'string' },
  'changed-since': { type: 'string' },
  defect: { type: 'string', multiple: true },
  tolerant: { type: 'boolean' },
  latency: wholeNumber(0, 60_000),
  processing: wholeNumber(0, 600_000),
} as const;

/** Routes that only uploads reach: asking for one of them alone with --no-uploads asks for nothing. */
const UPLOAD_ROUTES = ['dataset-files', 'conversation-files', 'file-status'];

export function parseRunFlags(argv: string[]): RunOptions {
  const { values, positionals, numbers } = parseFlags(argv, runFlags);
  const verdicts = values.verdict as Verdict[] | undefined;
  const badVerdict = verdicts?.find((v) => !['native', 'gt_extension', 'not_supported'].includes(v));
  if (badVerdict) throw new UsageError(`--verdict must be native, gt_extension or not_supported, got "${badVerdict}"`);
  if (values.shard) parseShard(values.shard);
  const both = values.route?.find((r) => values['skip-route']?.includes(r));
  if (both) throw new UsageError(`--route ${both} and --skip-route ${both} contradict each other; give one of them`);
  if (values['no-uploads'] && values.route?.length && values.route.every((r) => UPLOAD_ROUTES.includes(r)))
    throw new UsageError(`--route ${values.route.join(', --route ')} is only reached by uploads, which --no-uploads forbids; drop one of them`);
  if (values.certify && values.product?.length !== 1) throw new UsageError('--certify signs one product\'s report: give exactly one --product');
  if (values['valid-days'] !== undefined && !values.certify) throw new UsageError('--valid-days goes with --certify (how long the certificate is valid)');
  if (values.shard && values.seed === undefined) throw new UsageError('--shard needs --seed N: every shard must send the same requests for the merged report to be one run');
  if (values['insecure-http'] && !values.target) throw new UsageError('--insecure-http goes with --target (the embedded tenant is on loopback)');
  if (values['allow-writes'] && !values.target) throw new UsageError('--allow-writes goes with --target (a run against the embedded tenant may always write)');
  const embeddedOnly = values.defect || values.tolerant || values.latency || values.processing;
  if (values.target && embeddedOnly) throw new UsageError('--defect, --tolerant, --latency and --processing apply to the embedded tenant, not to --target');
  return {
    outDir: path.resolve(values.out ?? 'out'),
    targetFile: values.target,
    insecureHttp: values['insecure-http'],
    runbookFiles: positionals.length ? positionals : undefined,
    products: values.product,
    routes: values.route,
    verdicts,
    skipRoutes: values['skip-route'],
    uploads: !values['no-uploads'],
    strict: !!values.strict,
    seed: numbers.seed,
    concurrency: numbers.concurrency,
    timeoutMs: numbers.timeout,
    budget: numbers.budget,
    fuzz: numbers.fuzz,
    maxFailures: numbers['max-failures'],
    allowWrites: values['allow-writes'],
    waivers: values.waivers && path.resolve(values.waivers),
    certify: values.certify && path.resolve(values.certify),
    validDays: numbers['valid-days'],
    failOnFindings: !!values['fail-on-findings'],
    baseline: values.baseline,
    gate: parseGateMode(values.gate),
    noColor: !!values['no-color'],
    shard: values.shard,
    changedSince: values['changed-since'],
    tenant: values.target
      ? undefined
      : { defects: values.defect, profile: values.tolerant ? 'tolerant' : 'default', latencyMs: numbers.latency, processingMs: numbers.processing },
  };
}

/** Everything wrong with the input, one line each, before a single request is sent. */
export function inputProblems(options: RunOptions): string[] {
  const contract = loadContract();
  const { runbooks, errors } = loadRunbooks(options.runbookFiles ?? defaultRunbookFiles(), contract);
  const problems = errors.map(formatInputError);
  const ids = runbooks.map((r) => r.runbook.id);
  for (const p of options.products ?? []) if (!ids.includes(p) && errors.length === 0) problems.push(`--product ${p}: no such runbook; products are ${ids.join(', ')}`);
  const routes = contract.routes.map((r) => r.id);
  for (const r of [...(options.routes ?? []), ...(options.skipRoutes ?? [])]) if (!routes.includes(r)) problems.push(`unknown route "${r}"; routes are ${routes.join(', ')}`);
  for (const d of options.tenant?.defects ?? []) if (!DEFECTS.some((x) => x.id === d)) problems.push(`unknown defect "${d}"; see gt-conformance mock --list-defects`);
  if (options.targetFile) problems.push(...loadTargetFile(options.targetFile, contract, process.env, true, options).errors.map(formatInputError));
  problems.push(
    ...fileProblem(() => options.waivers && loadWaivers(options.waivers)),
    ...fileProblem(() => options.certify && loadPrivateKey(options.certify)),
    ...fileProblem(() => options.baseline && loadBaseline(options.baseline)),
  );
  return problems;
}

/** A file read before the run (waivers, signing key) that cannot be used, as one line. */
function fileProblem(read: () => unknown): string[] {
  try {
    read();
    return [];
  } catch (err) {
    return [(err as Error).message];
  }
}

const run: Command = {
  name: 'run',
  summary: 'run the conformance suites against the embedded tenant or a live one (--target)',
  usage,
  async run(argv) {
    // The suites' worker loads its modules on the other core while this process checks the input and plans.
    const warm = isCompiledModule(import.meta.url) ? claimWarmWorker() : undefined;
    try {
      const options = parseRunFlags(argv);
      if (options.changedSince && !(await narrowToChanged(options))) return 0;
      options.seed ??= Math.floor(Math.random() * 2 ** 31);
      writeRunOptions(options);
      const problems = inputProblems(options);
      if (problems.length) {
        for (const p of problems) console.error(p);
        console.error(`gt-conformance run: ${problems.length} input problem${problems.length > 1 ? 's' : ''}; nothing was sent`);
        return 2;
      }
      // Planned once, with one target, here: vitest's global setup, its workers and the reporters read this run.
      const prepared = await prepareRun(options, options.seed);
      try {
        const estimated = prepared.context.estimatedRequests ?? 0;
        if (estimated > prepared.context.limits.budget) {
          console.error(`gt-conformance run: the plan needs about ${estimated} requests, more than the budget of ${prepared.context.limits.budget} (--budget): the checks it cannot reach will be reported not run`);
        }
        writeRunContext(options.outDir, prepared.context);
        const { runReporters } = await import('../../../reporters/index.ts');
        return await runSuites(options, prepared, runReporters(options), warm);
      } finally {
        await prepared.close();
      }
    } finally {
      warm?.stop();
    }
  },
};

export default run;
