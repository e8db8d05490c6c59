// Runs of the fake suite with every reporter: what they write, that no secret is in any of it, that three
// shards merged equal one run, and how the HTML report looks in a real browser.
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchemaErrors } from '../../src/report/validate.ts';
import { generateSigningKeys } from '../../src/report/certify.ts';
import { OUT_DIR_MARKER } from '../../src/report/out-dir.ts';
import type { ConformanceReport } from '../../src/report/report-model.ts';
import { defaultScenario, fixtureSecrets } from '../fixtures/reports/scenario.ts';
import { mergeRunContexts } from '../../src/report/run-context.ts';
import { filesUnder, readReport, runCli, runFixture, tempDir, writeScenario, type FixtureRun } from './fixture-run.ts';
import { leaksIn } from './secrets-scan.ts';
import { harSpecProblems } from './har-spec.ts';
import { browserSkipReason, openInChromium, screenshotOpenCell, type OpenReport } from './browser.ts';
import { outcomeStatus } from '../../src/outcome/status.ts';

const scenario = defaultScenario();
const secrets = Object.values(fixtureSecrets());
let dir: string;
let scenarioFile: string;
let run: FixtureRun;
let shards: FixtureRun[];
let merged: FixtureRun;
let allure: { code: number | null; stdout: string; stderr: string };
let report: ConformanceReport;
let stepSummary: string;

// One single run (certified, with a CI step summary), the same run in three shards, their merge, and the
// Allure HTML of the single run: every test below reads what these wrote.
beforeAll(async () => {
  dir = tempDir('reports');
  scenarioFile = writeScenario(dir, scenario);
  stepSummary = path.join(dir, 'step-summary.md');
  const keys = generateSigningKeys(path.join(dir, 'keys'));
  [run, ...shards] = await Promise.all([
    runFixture(path.join(dir, 'out'), scenarioFile, ['--certify', keys.privateKey], { GITHUB_STEP_SUMMARY: stepSummary }),
    ...[1, 2, 3].map((i) => runFixture(path.join(dir, `shard-${i}`), scenarioFile, ['--shard', `${i}/3`])),
  ]);
  report = readReport(run.outDir);
  // what a CI merge job sees after downloading each shard's <out>/blob folder as an artifact
  for (let i = 1; i <= 3; i++) cpSync(path.join(dir, `shard-${i}`, 'blob'), path.join(dir, 'artifacts', `blob-shard-${i}`), { recursive: true });
  [merged, allure] = await Promise.all([
    runFixture(path.join(dir, 'merged'), scenarioFile, ['--merge', path.join(dir, 'artifacts')]),
    runCli(['report', '--allure', '--out', run.outDir]),
  ]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a run with every reporter', () => {
  it('fails because three checks failed, and writes the documented files', () => {
    expect(run.code).toBe(1);
    const names = filesUnder(run.outDir).map((f) => path.relative(run.outDir, f));
    for (const f of ['conformance-report.json', 'conformance-report.md', 'conformance-report.html', 'junit.xml', 'evidence.har', 'run-context.json', 'conformance-report.alpha.signed.json', 'conformance-report.beta.signed.json', 'allure-report/index.html']) {
      expect(names).toContain(f);
    }
    expect(names.some((n) => /^allure-results\/.+-result\.json$/.test(n))).toBe(true);
    expect(names.some((n) => /^allure-results\/.+-attachment\.txt$/.test(n))).toBe(true);
    expect(allure.code).toBe(0);
  });

  it('writes a JSON report that validates against its schema', () => {
    expect(report.schemaVersion).toBe(1);
    expect(reportSchemaErrors(report)).toEqual([]);
  });

  it("counts what the run's tests recorded, and JUnit agrees", () => {
    const ran = scenario.checks.filter((c) => c.outcome);
    const expected = (o: string) => scenario.checks.filter((c) => (c.outcome ?? 'manual') === o).length;
    for (const o of ['passed', 'denied_as_expected', 'failed', 'blocked', 'not_exercised', 'skipped', 'manual', 'runbook_defect'] as const) expect(report.counts[o], o).toBe(expected(o));
    expect(report.counts.total).toBe(scenario.checks.length);
    expect(report.checks.filter((c) => c.ran).length).toBe(ran.length);
    const junit = readFileSync(path.join(run.outDir, 'junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)!.length).toBe(scenario.checks.length); // the finding is one of the checks
    expect(junit.match(/<failure /g)!.length).toBe(report.counts.failed);
  });

  it('records the run: harness, digests, target host, seed, times', () => {
    expect(report.harness).toEqual({ name: 'gt-conformance', version: '0.1.0' });
    expect(report.contract.digest).toBe(scenario.context.contractDigest);
    expect(report.runbooks).toEqual(scenario.context.runbooks.map((r) => ({ id: r.id, file: r.file, digest: r.digest })));
    expect(report.target).toEqual({ kind: 'embedded', host: '127.0.0.1:9' });
    expect(report.seed).toBe(4242);
    expect(Date.parse(report.finishedAt)).toBeGreaterThan(Date.parse(report.startedAt));
    expect(report.checks.find((c) => c.id === 'alpha/chat/works')!.exchanges[0].request.headers.authorization).toBe('Bearer gtak_****QRST');
  });

  it('appends the Markdown report to the CI step summary', () => {
    expect(readFileSync(stepSummary, 'utf8')).toBe(`${readFileSync(path.join(run.outDir, 'conformance-report.md'), 'utf8')}\n`);
  });

  it('puts a curl reproduction of each failed check in the Markdown and in the JUnit failure body', () => {
    const md = readFileSync(path.join(run.outDir, 'conformance-report.md'), 'utf8');
    const curls = md.slice(md.indexOf('### Reproduce with curl')).match(/^curl -i .*$/gm) ?? [];
    expect(curls).toHaveLength(report.checks.filter((c) => c.outcome === 'failed' && c.exchanges.length).length);
    expect(md).toContain('-H "Authorization: Bearer $GT_KEY_OPENAI_CHAT"');
    const junit = readFileSync(path.join(run.outDir, 'junit.xml'), 'utf8');
    const failure = /<testcase name="[^"]*POST \/v1\/chat\/completions works"[\s\S]*?<failure [^>]*>([\s\S]*?)<\/failure>/.exec(junit)![1];
    expect(failure).toContain('Reproduce:\n# against the embedded tenant');
    expect(failure).toContain('--data-raw &apos;{&quot;model&quot;:&quot;gt-chat&quot;');
  });

  it('writes every exchange into evidence.har, HAR 1.2', () => {
    const har = JSON.parse(readFileSync(path.join(run.outDir, 'evidence.har'), 'utf8'));
    expect(harSpecProblems(har)).toEqual([]);
    const recorded = new Set(report.checks.flatMap((c) => c.exchanges.map((e) => JSON.stringify(e))));
    expect(har.log.entries).toHaveLength(recorded.size);
  });

  it('records Allure labels, parameters and one step per exchange with a transcript', () => {
    const results = filesUnder(path.join(run.outDir, 'allure-results'))
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(f, 'utf8')) as { name: string; status: string; labels: Array<{ name: string; value: string }>; parameters: Array<{ name: string; value: string }>; steps: Array<{ name: string; steps: Array<{ attachments: Array<{ source: string; type: string }> }> }> });
    const chat = results.find((r) => r.labels.some((l) => l.name === 'check' && l.value === 'alpha/chat/works'))!;
    const label = (name: string) => chat.labels.find((l) => l.name === name)?.value;
    expect([label('epic'), label('feature'), label('story'), label('severity')]).toEqual(['alpha', 'chat', 'native', 'critical']);
    expect(chat.status).toBe('failed');
    expect(chat.parameters).toEqual([{ name: 'key preset', value: 'openai-chat' }, { name: 'target', value: '127.0.0.1:9' }]);
    expect(chat.steps.map((s) => s.name)).toEqual(['chat: POST /api/tenant/v1/chat/completions → 500']);
    const attachment = chat.steps[0].steps[0].attachments[0];
    expect(attachment.type).toBe('text/plain');
    const transcript = readFileSync(path.join(run.outDir, 'allure-results', attachment.source), 'utf8');
    expect(transcript).toContain('> POST http://127.0.0.1:9/api/tenant/v1/chat/completions\n> authorization: Bearer gtak_****QRST');
    expect(transcript).toContain('< 500');
    const cross = results.find((r) => r.labels.some((l) => l.name === 'check' && l.value === 'cross-cutting/models/no-key'))!;
    expect(cross.labels.find((l) => l.name === 'epic')?.value).toBe('cross-cutting');
  });
});

describe('one outcome, one status in every format', () => {
  const allureResults = () =>
    filesUnder(path.join(run.outDir, 'allure-results'))
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(f, 'utf8')) as { status: string; labels: Array<{ name: string; value: string }> });

  it("gives each check the table's JUnit element, Allure status and words (a runbook finding is skipped in both)", () => {
    const junit = readFileSync(path.join(run.outDir, 'junit.xml'), 'utf8');
    const allure = new Map(allureResults().map((r) => [r.labels.find((l) => l.name === 'check')?.value, r.status]));
    const seen = new Set<string>();
    for (const check of report.checks.filter((c) => c.ran)) {
      const status = outcomeStatus(check.outcome, { failOnFindings: report.gate.failOnFindings });
      seen.add(`${check.outcome}:${status.junit}`);
      const testcase = new RegExp(`<property name="check" value="${check.id.replace(/[/]/g, '\\/')}"/>\\s*(?:<property [^>]*/>\\s*)*</properties>\\s*<(failure|skipped|system-out)`).exec(junit);
      expect(testcase, check.id).not.toBeNull();
      expect({ id: check.id, junit: { failure: 'failure', skipped: 'skipped', 'system-out': 'passed' }[testcase![1]], allure: allure.get(check.id) }).toEqual({ id: check.id, junit: status.junit, allure: status.allure });
    }
    // the outcomes the scenario has, and the finding that used to be skipped in one and passed in the other
    expect([...seen].sort()).toEqual(['blocked:skipped', 'denied_as_expected:passed', 'failed:failure', 'not_exercised:skipped', 'passed:passed', 'runbook_defect:skipped', 'skipped:skipped']);
  });

  it("JUnit's root time is the run's wall time, not the sum of its concurrent checks", () => {
    const junit = readFileSync(path.join(run.outDir, 'junit.xml'), 'utf8');
    const root = Number(/<testsuites [^>]*time="([\d.]+)"/.exec(junit)![1]);
    expect(root).toBeCloseTo((Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000, 2);
    const cases = [...junit.matchAll(/<testcase [^>]*time="([\d.]+)"/g)].map((m) => Number(m[1]));
    const starts = report.checks.filter((c) => c.startedAt).map((c) => Date.parse(c.startedAt!));
    const ends = report.checks.filter((c) => c.startedAt).map((c) => Date.parse(c.startedAt!) + (c.durationMs ?? 0));
    for (const suite of junit.matchAll(/<testsuite name="([^"]+)"[^>]*time="([\d.]+)"/g)) {
      expect(Number(suite[2]), suite[1]).toBeLessThanOrEqual((Math.max(...ends) - Math.min(...starts)) / 1000 + 0.001);
    }
    expect(cases.length).toBe(report.checks.length);
  });

  it('writes environment.properties and executor.json into allure-results, from the run context', () => {
    const env = readFileSync(path.join(run.outDir, 'allure-results', 'environment.properties'), 'utf8');
    expect(env).toContain('target=embedded 127.0.0.1:9');
    expect(env).toContain(`harness=gt-conformance ${scenario.context.harnessVersion}`);
    expect(env).toContain('seed=4242 (replay with --seed 4242)');
    expect(env).toContain(`contract\\ digest=${scenario.context.contractDigest}`);
    expect(env).toContain('products=alpha, beta');
    const executor = JSON.parse(readFileSync(path.join(run.outDir, 'allure-results', 'executor.json'), 'utf8'));
    expect(executor).toMatchObject({ type: expect.any(String), name: expect.any(String), buildName: expect.stringContaining('gt-conformance'), reportName: 'GT conformance, seed 4242' });
    // the merge writes its own, from the shards' merged context
    expect(readFileSync(path.join(merged.outDir, 'allure-results', 'environment.properties'), 'utf8')).toContain('seed=4242 (replay with --seed 4242)');
  });

  it('the rendered Allure report lists them: it no longer says there are no environment variables', () => {
    const index = readFileSync(path.join(run.outDir, 'allure-report', 'index.html'), 'utf8');
    // the single-file report embeds each widget as base64: d("widgets/environment.json","...")
    const widget = (name: string) => {
      const m = new RegExp(`d\\("widgets/${name}\\.json","([A-Za-z0-9+/=]+)"\\)`).exec(index);
      return m ? (JSON.parse(Buffer.from(m[1], 'base64').toString('utf8')) as Array<Record<string, unknown>>) : [];
    };
    expect(widget('environment').map((e) => e.name)).toEqual(['target', 'harness', 'seed', 'contract digest', 'products', 'strict', 'node']);
    expect(widget('executors')).toEqual([expect.objectContaining({ reportName: 'GT conformance, seed 4242' })]);
  });
});

describe('secrets', () => {
  it('the scan finds a secret where there is one', () => {
    const text = readFileSync(scenarioFile, 'utf8');
    expect(leaksIn(text, secrets).length).toBeGreaterThan(0);
    expect(leaksIn(Buffer.from(`token: ${secrets[0]}`).toString('base64'), secrets)).toEqual([`base64 of the secret ending ${secrets[0].slice(-4)}`]);
  });

  it('no file the run wrote, and neither stdout nor stderr, holds a secret or an unmasked gtak_ token', () => {
    // everything under the runs' folders but the scenario (which holds the secrets) and the signing keys
    const written = filesUnder(dir).filter((f) => f !== scenarioFile && !f.startsWith(path.join(dir, 'keys')));
    expect(written.length).toBeGreaterThan(40);
    expect(written).toContain(stepSummary);
    const leaks = written.flatMap((f) => leaksIn(readFileSync(f, 'utf8'), secrets).map((l) => `${path.relative(dir, f)}: ${l}`));
    const outputs = { run, merged, allure, ...Object.fromEntries(shards.map((s, i) => [`shard ${i + 1}`, s])) };
    for (const [name, output] of Object.entries(outputs)) {
      leaks.push(...leaksIn(output.stdout, secrets).map((l) => `${name} stdout: ${l}`), ...leaksIn(output.stderr, secrets).map((l) => `${name} stderr: ${l}`));
    }
    expect(leaks).toEqual([]);
    // the failing tests' messages did reach stdout, masked
    expect(run.stdout + run.stderr).toContain('gtak_****QRST');
  });
});

describe('the HTML report', () => {
  const html = () => readFileSync(path.join(run.outDir, 'conformance-report.html'), 'utf8');

  it('is one file that loads nothing: no external reference, a CSP that allows only its own style and script', () => {
    const text = html();
    expect(text).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(text)![1];
    expect(csp).toContain("default-src 'none'");
    const script = /<script>([\s\S]*?)<\/script>/.exec(text)![1];
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  });

  it('escapes everything that came from the run: product names, messages, tenant answers', () => {
    const text = html();
    expect(text.match(/<script/g)).toHaveLength(1);
    expect(text).not.toContain('<img');
    expect(text).not.toContain('<b>Chat</b>');
    expect(text).toContain('Alpha &lt;b&gt;Chat&lt;/b&gt;');
    expect(text).toContain('&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;');
    expect(text.match(/<\/pre>/g)!.length).toBe(text.match(/<pre class="transcript[^"]*">/g)!.length);
  });

  it("shows a failed check's curl reproduction in its panel", () => {
    const curl = /<pre class="transcript curl">([^<]*)<\/pre>/.exec(html())![1];
    expect(curl).toContain('curl -i &#39;http://127.0.0.1:8787/api/tenant/v1/chat/completions&#39;');
    expect(curl).toContain('-H &quot;Authorization: Bearer $GT_KEY_OPENAI_CHAT&quot;');
  });

  it('marks each cell with its outcome and verdict', () => {
    const text = html();
    expect(text).toMatch(/<button type="button" class="cell" data-outcome="failed" data-verdict="native" data-row="alpha" data-route="chat"/);
    expect(text).toMatch(/<button type="button" class="cell" data-outcome="not_exercised" data-verdict="not_supported" data-row="alpha" data-route="images"/);
  });
});

const outcomes = (r: ConformanceReport) => Object.fromEntries(r.checks.map((c) => [c.id, [c.outcome, c.message, c.ran, c.exchanges.length]]));
const cells = (r: ConformanceReport) => r.products.map((p) => [p.id, p.outcome, p.routes.map((c) => `${c.route}:${c.verdict ?? ''}:${c.outcome}`)]);

describe('sharded run', () => {
  it('each shard ran a part of the checks and left a blob and its run context, in a marked folder', () => {
    const blobs = shards.map((s) => readdirSync(path.join(s.outDir, 'blob')).sort());
    expect(blobs).toEqual([1, 2, 3].map((i) => [OUT_DIR_MARKER, `blob-${i}-3.json`, `run-context.${i}-3.json`]));
    expect(shards.map((s) => s.code)).toContain(0); // the shard without failures passes, others fail
    expect(shards.map((s) => s.code)).toContain(1);
  });

  it('merged, gives the same outcomes, cells and counts as one run', () => {
    expect(merged.code).toBe(run.code);
    const one = readReport(run.outDir);
    const many = readReport(merged.outDir);
    expect(many.counts).toEqual(one.counts);
    expect(outcomes(many)).toEqual(outcomes(one));
    expect(cells(many)).toEqual(cells(one));
    expect(many.crossCutting).toEqual(one.crossCutting);
    expect(many.gate).toEqual(one.gate);
  });

  it('merged, gives the same JUnit testcases and Allure results', () => {
    const testcases = (out: string) => readFileSync(path.join(out, 'junit.xml'), 'utf8').match(/<testcase name="[^"]*" classname="[^"]*"|<(failure|skipped) message="[^"]*"/g);
    expect(testcases(merged.outDir)).toEqual(testcases(run.outDir));
    const allure = (out: string) =>
      readdirSync(path.join(out, 'allure-results'))
        .filter((f) => f.endsWith('-result.json'))
        .map((f) => JSON.parse(readFileSync(path.join(out, 'allure-results', f), 'utf8')) as { name: string; status: string; steps: unknown[]; labels: Array<{ name: string; value: string }> })
        .map((r) => `${r.labels.find((l) => l.name === 'check')?.value} ${r.status} ${r.steps.length}`)
        .sort();
    expect(allure(merged.outDir)).toEqual(allure(run.outDir));
  });

  it('refuses shards of different runs, naming the files', () => {
    const a = defaultScenario().context;
    const b = { ...a, seed: 7 };
    expect(() => mergeRunContexts([{ file: 'x/run-context.1-2.json', context: a }, { file: 'y/run-context.2-2.json', context: b }])).toThrow(
      'run contexts disagree: x/run-context.1-2.json and y/run-context.2-2.json differ in seed (4242 vs 7): give every shard the same --seed',
    );
    expect(() => mergeRunContexts([{ file: 'x', context: a }, { file: 'y', context: { ...a, checks: a.checks.slice(1) } }])).toThrow('differ in planned checks');
    // shards of an embedded run each have their own loopback port: that is not a disagreement
    expect(mergeRunContexts([{ file: 'x', context: a }, { file: 'y', context: { ...a, target: { ...a.target, host: '127.0.0.1:10' }, startedAt: '2024-12-31T23:00:00.000Z' } }]).startedAt).toBe('2024-12-31T23:00:00.000Z');
  });
});

// The HTML report in headless Chromium (Debian's chromium package, driven by playwright-core).
const skipBrowser = browserSkipReason();

describe.skipIf(!!skipBrowser)(`the HTML report in Chromium${skipBrowser ? ` (skipped: ${skipBrowser})` : ''}`, () => {
  let browser: OpenReport;
  let page: OpenReport['page'];

  beforeAll(async () => {
    browser = await openInChromium(path.join(run.outDir, 'conformance-report.html'));
    page = browser.page;
  });

  afterAll(async () => browser?.close());

  it('shows every product and every route of the run in the matrix', async () => {
    const rows = await page.locator('table.matrix tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-product')));
    expect(rows).toEqual([...report.products.map((p) => p.id), 'cross-cutting']);
    const columns = await page.locator('table.matrix thead th[data-route]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-route')));
    expect(columns).toEqual(report.routes.map((r) => r.id));
    for (const product of report.products) {
      for (const cell of product.routes.filter((c) => c.verdict)) {
        expect(await page.locator(`tr[data-product="${product.id}"] button[data-route="${cell.route}"]`).getAttribute('data-outcome')).toBe(cell.outcome);
      }
    }
    expect(await page.locator('tr[data-product="alpha"] th').innerText()).toContain('Alpha <b>Chat</b>');
  });

  it('marks a failed cell as failed, in words and in colour', async () => {
    const cell = page.locator('tr[data-product="alpha"] button[data-route="chat"]');
    expect(await cell.innerText()).toBe('native\nfailed');
    const passed = page.locator('tr[data-product="alpha"] button[data-route="models"]');
    const colour = (l: typeof cell) => l.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await colour(cell)).toBe('rgb(255, 206, 203)');
    expect(await colour(passed)).not.toBe(await colour(cell));
  });

  it("opens the cell's checks and their evidence on a click, and runs no script from the run", async () => {
    expect(await page.locator('section.detail:visible').count()).toBe(0);
    await page.locator('tr[data-product="alpha"] button[data-route="chat"]').click();
    const detail = page.locator('section.detail:visible');
    expect(await detail.count()).toBe(1);
    const text = await detail.innerText();
    expect(text).toContain('alpha › chat [native]: failed');
    expect(text).toContain('POST /v1/chat/completions works');
    expect(text).toContain('> POST http://127.0.0.1:9/api/tenant/v1/chat/completions');
    expect(text).toContain('> authorization: Bearer gtak_****QRST');
    expect(text).toContain('<script>document.title="pwned"</script>'); // shown as text
    expect(await page.title()).toBe('GT conformance: failed');
    await screenshotOpenCell(page, path.join(run.outDir, 'report-screenshot.png'));
    expect(readFileSync(path.join(run.outDir, 'report-screenshot.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('loaded nothing but the file itself, and its CSP let its own style and script run', () => {
    expect(browser.requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(browser.consoleErrors).toEqual([]);
  });
});
