// gt-conformance run: checks the input, then runs the conformance suites with vitest against the target.
import path from 'node:path';
import type { Command } from '../command.ts';
import { parseFlags, UsageError } from '../command.ts';
import { loadContract } from '../../contract/load.ts';
import { defaultRunbookFiles, formatInputError, loadRunbooks } from '../../runbook/load.ts';
import { loadTargetFile } from '../../targets/live.ts';
import { DEFECTS } from '../../tenant/index.ts';
import type { Verdict } from '../../model.ts';
import { writeRunOptions, type RunOptions } from '../../run/options.ts';
import { runSuites } from '../../run/vitest.ts';
import { prepareRun } from '../../run/prepare.ts';
import { writeRunContext } from '../../report/run-context.ts';
import { narrowToChanged } from '../../run/changed.ts';
import { loadWaivers } from '../../outcome/waivers.ts';
import { loadPrivateKey } from '../../report/certify.ts';

const usage = `Usage: gt-conformance run [options] [runbook files...]

Compiles the runbooks into checks and runs them as vitest suites against a GT tenant:
the embedded one (started for the run) unless --target names a live one.
Prints progress while it runs and a product × route summary at the end.

Target:
  --target FILE          a live tenant described by a target file (see examples/target.yaml);
                         secrets come from the environment variables it names
  --defect ID            embedded tenant: inject a named defect (repeatable; see gt-conformance mock --list-defects)
  --tolerant             embedded tenant: make the other allowed choice on every open point of the contract
  --latency MS           embedded tenant: added latency per request
  --processing MS        embedded tenant: upload processing time

What to run:
  --product ID           only this product (repeatable)
  --route ID             only this route (repeatable): ${'models, chat, embeddings, ...'}
  --verdict V            only routes with this verdict (repeatable): native, gt_extension, not_supported
  --skip-route ID        never call this route (repeatable)
  --changed-since REF    only the products whose runbook or client profile changed since the git ref (every
                         product when a contract file changed); exits 0 without sending when nothing did
  --no-uploads           never upload (skips dataset/conversation uploads and file status)
  --strict               pin the contract's default on every open point (e.g. 403, never 404)
  --seed N               faker seed for request content; the seed used is printed and recorded

Limits (defaults: embedded 8 in flight, live 2):
  --concurrency N        requests in flight at once
  --timeout MS           per request
  --budget N             at most N requests for the whole run
  --fuzz N               negative testing: N generated cases per route (default: one round of every
                         case kind against the embedded tenant; off against a live target)

Reports (written to --out, default out/):
  --out DIR              output folder
  --waivers FILE         known failures that do not fail the run until their expiry date
  --certify KEYFILE      sign the report of the (single) --product with an Ed25519 private key
  --fail-on-findings     runbook findings (documentation defects) fail the run
  --shard I/N            run shard I of N (blob report under DIR/blob; merge with gt-conformance report --merge)

Exit codes: 0 every check passed, 1 a check failed, 2 bad input (runbook, target file, env var, flag).`;

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return n;
}

export function parseRunFlags(argv: string[]): RunOptions {
  const { values, positionals } = parseFlags(argv, {
    target: { type: 'string' },
    product: { type: 'string', multiple: true },
    route: { type: 'string', multiple: true },
    verdict: { type: 'string', multiple: true },
    'skip-route': { type: 'string', multiple: true },
    'no-uploads': { type: 'boolean' },
    strict: { type: 'boolean' },
    seed: { type: 'string' },
    concurrency: { type: 'string' },
    timeout: { type: 'string' },
    budget: { type: 'string' },
    fuzz: { type: 'string' },
    out: { type: 'string' },
    waivers: { type: 'string' },
    certify: { type: 'string' },
    'fail-on-findings': { type: 'boolean' },
    shard: { type: 'string' },
    'changed-since': { type: 'string' },
    defect: { type: 'string', multiple: true },
    tolerant: { type: 'boolean' },
    latency: { type: 'string' },
    processing: { type: 'string' },
  });
  const verdicts = values.verdict as Verdict[] | undefined;
  const badVerdict = verdicts?.find((v) => !['native', 'gt_extension', 'not_supported'].includes(v));
  if (badVerdict) throw new UsageError(`--verdict must be native, gt_extension or not_supported, got "${badVerdict}"`);
  if (values.shard && !/^\d+\/\d+$/.test(values.shard)) throw new UsageError(`--shard must look like 1/3, got "${values.shard}"`);
  if (values.certify && values.product?.length !== 1) throw new UsageError('--certify signs one product\'s report: give exactly one --product');
  if (values.shard && values.seed === undefined) throw new UsageError('--shard needs --seed N: every shard must send the same requests for the merged report to be one run');
  const embeddedOnly = values.defect || values.tolerant || values.latency || values.processing;
  if (values.target && embeddedOnly) throw new UsageError('--defect, --tolerant, --latency and --processing apply to the embedded tenant, not to --target');
  return {
    outDir: path.resolve(values.out ?? 'out'),
    targetFile: values.target,
    runbookFiles: positionals.length ? positionals : undefined,
    products: values.product,
    routes: values.route,
    verdicts,
    skipRoutes: values['skip-route'],
    uploads: !values['no-uploads'],
    strict: !!values.strict,
    seed: positiveInt('seed', values.seed),
    concurrency: positiveInt('concurrency', values.concurrency),
    timeoutMs: positiveInt('timeout', values.timeout),
    budget: positiveInt('budget', values.budget),
    fuzz: positiveInt('fuzz', values.fuzz),
    waivers: values.waivers && path.resolve(values.waivers),
    certify: values.certify && path.resolve(values.certify),
    failOnFindings: !!values['fail-on-findings'],
    shard: values.shard,
    changedSince: values['changed-since'],
    tenant: values.target
      ? undefined
      : { defects: values.defect, profile: values.tolerant ? 'tolerant' : 'default', latencyMs: positiveInt('latency', values.latency), processingMs: positiveInt('processing', values.processing) },
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
  if (options.targetFile) problems.push(...loadTargetFile(options.targetFile, contract).errors.map(formatInputError));
  problems.push(...fileProblem(() => options.waivers && loadWaivers(options.waivers)), ...fileProblem(() => options.certify && loadPrivateKey(options.certify)));
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
    const options = parseRunFlags(argv);
    if (options.changedSince && !(await narrowToChanged(options))) return 0;
    const problems = inputProblems(options);
    if (problems.length) {
      for (const p of problems) console.error(p);
      console.error(`gt-conformance run: ${problems.length} input problem${problems.length > 1 ? 's' : ''}; nothing was sent`);
      return 2;
    }
    options.seed ??= Math.floor(Math.random() * 2 ** 31);
    writeRunOptions(options);
    // Planned once, with one target, here: vitest's global setup, its workers and the reporters read this run.
    const prepared = await prepareRun(options, options.seed);
    try {
      writeRunContext(options.outDir, prepared.context);
      const { runReporters } = await import('../../../reporters/index.ts');
      return await runSuites(options, prepared, runReporters(options));
    } finally {
      await prepared.close();
    }
  },
};

export default run;
