// `gt-conformance run` end to end against the embedded tenant: clean, and with one denial defect. The runs take
// the fixed copies of the shipped runbooks (test/fixtures/runbooks/products) and a filter that keeps what each
// test asserts; the whole matrix in process is the selftest's (test/selftest) and the layouts' (test/layouts).
// The clean run is read by several tests, each for its own part: the checks, what its users read (the console,
// the counts, the negative group, the Allure environment) and the steps it did once.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COUNTS_ENV } from '../../src/instrument.ts';
import type { RunContext } from '../../src/model.ts';
import type { ConformanceReport } from '../../src/report/report-model.ts';
import { cliInProcess } from '../bad-input/in-process.ts';
import { gtConformance, readReport, readSteps, type CliResult } from './cli.ts';
import { LIBRECHAT_CHECKS, productFiles } from '../fixtures/products.ts';

const dirs: string[] = [];
const outDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gt-run-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const CLEAN = ['--seed', '7', '--product', 'librechat', ...productFiles()];

interface CleanRun {
  run: CliResult;
  out: string;
  /** the steps the run counted into GT_CONFORMANCE_COUNTS (src/instrument.ts), by name */
  steps: Record<string, number>;
  /** that file: "<step> <pid>" a line */
  countsFile: string;
  report: ConformanceReport;
  context: RunContext;
}

let clean: Promise<CleanRun> | undefined;
/** The clean run, spawned by the first test that asks for it (in the test, so a failure names that test). */
function cleanRun(): Promise<CleanRun> {
  return (clean ??= (async () => {
    const out = outDir();
    const counts = path.join(outDir(), 'counts.txt');
    const run = await gtConformance(['run', '--out', out, ...CLEAN], { GT_CONFORMANCE_DEBUG: '1', [COUNTS_ENV]: counts });
    const report = readReport(out) as unknown as ConformanceReport;
    const context = JSON.parse(readFileSync(path.join(out, 'run-context.json'), 'utf8')) as RunContext;
    return { run, out, steps: readSteps(counts), countsFile: counts, report, context };
  })());
}

let plan: Promise<{ probes: Array<{ requests: number }>; keyCoverage: unknown }> | undefined;
/** `gt-conformance plan --json` of the clean run's flags, in this process: the plan does not depend on a process of its own. */
function cleanPlan(): Promise<{ probes: Array<{ requests: number }>; keyCoverage: unknown }> {
  return (plan ??= cliInProcess(['plan', ...CLEAN, '--json']).then(({ code, out }) => {
    expect(code).toBe(0);
    return JSON.parse(out.join('\n'));
  }));
}

describe('gt-conformance run against the embedded tenant', () => {
  it('passes every check of a clean tenant: the product\'s checks its runbook asks for, and the cross-cutting ones', async () => {
    const { run, report } = await cleanRun();
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.code).toBe(0);
    // the suites ran in the worker started before the plan (src/run/warm-worker.ts), not in one vitest forked after it
    expect(run.stderr).toMatch(/vitest took the early worker \(pid \d+\)/);
    expect(run.stdout).toMatch(/seed 7 \(replay with --seed 7\)/);
    const librechat = report.checks.filter((c) => c.product === 'librechat');
    expect(librechat.filter((c) => c.group !== 'finding').map((c) => c.id).sort()).toEqual(Object.keys(LIBRECHAT_CHECKS).sort());
    // the runbook's two base URL fields stop at /api/tenant, which LibreChat appends its paths to: a finding each
    expect(librechat.filter((c) => c.group === 'finding').map((c) => [c.id, c.outcome])).toEqual([
      ['librechat/finding/1', 'runbook_defect'],
      ['librechat/finding/2', 'runbook_defect'],
    ]);
    expect(report.checks.filter((c) => c.product && c.product !== 'librechat')).toEqual([]);
    // every route's four authentication checks, at least, whatever the product
    expect(report.checks.filter((c) => /^cross-cutting\/[a-z-]+\/(no-key|malformed-key|unknown-key|revoked-key)$/.test(c.id))).toHaveLength(40);
    const bad = report.checks.filter((c) => ['failed', 'blocked', 'skipped'].includes(c.outcome));
    expect(bad).toEqual([]);
    expect(report.counts.failed).toBe(0);
    expect(report.checks.find((c) => c.id === 'librechat/checklist/3')?.outcome).toBe('manual');
  });

  it('fails exactly the checks that probe a skipped embed scope check, and exits 1', async () => {
    const out = outDir();
    const run = await gtConformance(['run', '--out', out, '--defect', 'embed-scope-skipped', '--route', 'embeddings', ...productFiles()]);
    expect(run.code).toBe(1);
    const failed = readReport(out).checks.filter((c) => c.outcome === 'failed');
    for (const check of failed) expect(check.message).toMatch(/answered 200: the request was served, expected 403/);
    // every fixture product's runbook has an embeddings row: its denial check fails, and nothing else
    expect(failed.map((c) => c.id).sort()).toEqual(
      ['dify', 'generic-openai-http', 'langchain', 'librechat', 'open-webui', 'openai-sdk', 'vercel-ai-sdk'].map((p) => `${p}/embeddings/denied-without-scope`),
    );
    expect(run.stdout).toMatch(/FAIL .*POST \/v1\/embeddings is denied to a key without inference:embed/);
  });

  it('runs only the filtered product, route and verdict', async () => {
    const out = outDir();
    const run = await gtConformance(['run', '--out', out, '--product', 'open-webui', '--verdict', 'not_supported', '--no-uploads', ...productFiles()]);
    expect(run.code).toBe(0);
    const checks = readReport(out).checks.filter((c) => c.product === 'open-webui' && c.ran);
    // six not_supported rows, each denied to the preset; the conditional one (images) also works with the preset plus its scope
    expect(checks.map((c) => c.id).sort()).toEqual([
      'open-webui/conversation-files/preset-denied',
      'open-webui/dataset-files/preset-denied',
      'open-webui/file-status/preset-denied',
      'open-webui/images/preset-denied',
      'open-webui/images/works-with-scope',
      'open-webui/speech/preset-denied',
      'open-webui/transcriptions/preset-denied',
    ]);
  });
});

// Read the way its users read it: the console's denominator and last lines, the honest counts, the negative
// group's numbers and the Allure environment, each checked against what the run itself wrote.
describe('the clean run, as its users read it', () => {
  it('passes, and its progress has the final denominator from the first line', async () => {
    const { run, context } = await cleanRun();
    expect([run.code, run.stderr.trim().split('\n').at(-1)]).toEqual([0, expect.stringMatching(/^gt-conformance: passed; reports in /)]);
    const counters = [...run.stdout.matchAll(/^\[ *(\d+)\/(\d+)\] /gm)].map((m) => [Number(m[1]), Number(m[2])]);
    const planned = context.checks.filter((c) => !c.manual).length;
    expect(counters.length).toBe(planned);
    expect(new Set(counters.map(([, total]) => total))).toEqual(new Set([planned]));
    expect(counters.map(([n]) => n)).toEqual(counters.map((_, i) => i + 1));
  });

  it('starts with the key coverage table, and the JSON report carries it', async () => {
    const [{ run, report, context }, plan] = await Promise.all([cleanRun(), cleanPlan()]);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^Target: embedded tenant at 127\.0\.0\.1:\d+ · seed 7 \(replay with --seed 7\)/);
    expect(lines[1]).toMatch(/^Keys \(checks each serves\): [\w.+-]+ \d+/);
    expect(report.keyCoverage!.keys.map((k) => k.key)).toEqual(context.targetSpec.keys.map((k) => k.name));
    expect(report.keyCoverage).toEqual(plan.keyCoverage);
  });

  it('reports the requests it sent (each shared exchange once) beside the plan estimate, on the console too', async () => {
    const [{ run, out, report }, plan] = await Promise.all([cleanRun(), cleanPlan()]);
    const har = JSON.parse(readFileSync(path.join(out, 'evidence.har'), 'utf8')) as { log: { entries: Array<{ response: { _error?: string } }> } };
    const sent = har.log.entries.filter((e) => !/^not sent/.test(e.response._error ?? '')).length;
    const estimated = plan.probes.reduce((n, p) => n + p.requests, 0);
    expect(report.requests).toEqual({ sent, estimated });
    expect(sent).toBeGreaterThan(10);
    expect(run.stdout).toContain(`${sent} requests sent (the plan estimated ${estimated})`);
    expect(readFileSync(path.join(out, 'conformance-report.md'), 'utf8')).toContain(`${sent} requests sent (the plan estimated ${estimated})`);
  });

  it("records the negative group's seed, cases and requests, per check and for the run", async () => {
    const { run, report } = await cleanRun();
    const negatives = report.checks.filter((c) => /^cross-cutting\/[a-z-]+\/negative$/.test(c.id));
    expect(negatives.map((c) => c.id)).toContain('cross-cutting/embeddings/negative');
    for (const negative of negatives) {
      expect(negative.outcome, negative.id).toBe('passed');
      expect(negative.generated, negative.id).toMatchObject({ seed: 7, cases: expect.any(Number), requests: expect.any(Number) });
      // every generated request is one of the check's exchanges
      expect(negative.generated!.requests, negative.id).toBe(negative.exchanges.length);
    }
    expect(negatives.find((c) => c.id === 'cross-cutting/embeddings/negative')!.generated!.cases).toBeGreaterThan(5);
    const cases = negatives.reduce((n, c) => n + c.generated!.cases, 0);
    const requests = negatives.reduce((n, c) => n + c.generated!.requests, 0);
    expect(report.negative).toEqual({ seed: 7, routes: negatives.length, cases, requests });
    expect(run.stdout).toContain(`negative group: ${cases} generated cases on ${negatives.length} routes`);
  });

  it("gives Allure a step per exchange and its transcript: an attachment each, or one for all of a check's generated cases", async () => {
    const { out, report } = await cleanRun();
    const dir = path.join(out, 'allure-results');
    interface Step { name: string; steps?: Step[]; attachments?: Array<{ source: string }> }
    const results = readdirSync(dir)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { labels: Array<{ name: string; value: string }>; steps: Step[] });
    const byCheck = new Map(results.map((r) => [r.labels.find((l) => l.name === 'check')?.value, r]));
    const attachmentsOf = (steps: Step[]): Array<{ source: string }> => steps.flatMap((s) => [...(s.attachments ?? []), ...attachmentsOf(s.steps ?? [])]);
    const withExchanges = report.checks.filter((c) => c.ran && c.exchanges.length > 0);
    expect(withExchanges.filter((c) => c.generated).length).toBeGreaterThan(1);
    for (const check of withExchanges) {
      const result = byCheck.get(check.id)!;
      expect(result, check.id).toBeDefined();
      const attachments = attachmentsOf(result.steps);
      expect(attachments.length, check.id).toBe(check.generated ? 1 : check.exchanges.length);
      // a step per exchange, and for generated cases the step that holds their one attachment
      expect(result.steps.length, check.id).toBe(check.exchanges.length + (check.generated ? 1 : 0));
      const transcripts = attachments.map((a) => readFileSync(path.join(dir, a.source), 'utf8')).join('\n');
      for (const exchange of check.exchanges) expect(transcripts, check.id).toContain(`# ${exchange.label}\n`);
    }
    const files = readdirSync(dir).filter((f) => f.endsWith('-attachment.txt'));
    expect(files.length).toBe(withExchanges.reduce((n, c) => n + (c.generated ? 1 : c.exchanges.length), 0));
  });

  it('gives the Allure report its environment', async () => {
    const { out, report } = await cleanRun();
    const env = readFileSync(path.join(out, 'allure-results', 'environment.properties'), 'utf8');
    expect(env).toMatch(/^target=embedded 127\.0\.0\.1:\d+$/m);
    expect(env).toContain('seed=7 (replay with --seed 7)');
    expect(env).toContain('products=librechat');
    expect(env).toContain(`contract\\ digest=${report.contract.digest}`);
  });
});

// The same for a plain `vitest run --project conformance`: test/run/once-per-run.test.ts.
describe('one run', () => {
  it('`gt-conformance run` plans once, parses each runbook once and starts one tenant', async () => {
    const { run, steps } = await cleanRun();
    expect(run.code, run.stderr).toBe(0);
    // YAML is parsed in the command line only (the runbook files given); no schema is compiled: the shipped ones
    // come as the build's code (src/input/lazy-libraries.ts)
    // fast-check and faker in the check worker only (it draws the negative cases and the content)
    expect(steps).toEqual({ plan: 1, 'runbook-parse': productFiles().length, 'tenant-start': 1, 'yaml-load': 1, 'fast-check-load': 1, 'faker-load': 1 });
  });

  it('loads no YAML parser and no schema compiler in the check worker, and no case generator nor faker in the command line', async () => {
    const { run, countsFile } = await cleanRun();
    const worker = /vitest took the early worker \(pid (\d+)\)/.exec(run.stderr)?.[1];
    expect(worker).toBeDefined();
    const lines = readFileSync(countsFile, 'utf8').trim().split('\n');
    expect(lines.filter((l) => l.endsWith(` ${worker}`)).sort()).toEqual([`faker-load ${worker}`, `fast-check-load ${worker}`]);
    expect(lines.some((l) => l.startsWith('yaml-load '))).toBe(true); // the load is counted (in the command line)
  });
});
