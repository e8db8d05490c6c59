// One real `gt-conformance run` against the embedded tenant (one product, one route: a few seconds), read
// the way its users read it: the console's denominator and last lines, the honest counts, the negative
// group's numbers and the Allure environment, each checked against what the run itself wrote.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/model.ts';
import type { ConformanceReport } from '../../src/report/report-model.ts';
import { readReport, runCli, tempDir } from './fixture-run.ts';

const args = ['--product', 'dify', '--route', 'embeddings', '--seed', '3'];
let dir: string;
let run: { code: number | null; stdout: string; stderr: string };
let plan: { probes: Array<{ requests: number }>; keyCoverage: unknown };
let report: ConformanceReport;
let context: RunContext;

beforeAll(async () => {
  dir = tempDir('real-run');
  const [r, p] = await Promise.all([runCli(['run', ...args, '--out', path.join(dir, 'out')]), runCli(['plan', ...args, '--json'])]);
  run = r;
  plan = JSON.parse(p.stdout);
  report = readReport(path.join(dir, 'out'));
  context = JSON.parse(readFileSync(path.join(dir, 'out', 'run-context.json'), 'utf8')) as RunContext;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a real run', () => {
  it('passes, and its progress has the final denominator from the first line', () => {
    expect([run.code, run.stderr.trim().split('\n').at(-1)]).toEqual([0, expect.stringMatching(/^gt-conformance: passed; reports in /)]);
    const counters = [...run.stdout.matchAll(/^\[ *(\d+)\/(\d+)\] /gm)].map((m) => [Number(m[1]), Number(m[2])]);
    const planned = context.checks.filter((c) => !c.manual).length;
    expect(counters.length).toBe(planned);
    expect(new Set(counters.map(([, total]) => total))).toEqual(new Set([planned]));
    expect(counters.map(([n]) => n)).toEqual(counters.map((_, i) => i + 1));
  });

  it('starts with the key coverage table, and the JSON report carries it', () => {
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^Target: embedded tenant at 127\.0\.0\.1:\d+ · seed 3 \(replay with --seed 3\)/);
    expect(lines[1]).toMatch(/^Keys \(checks each serves\): [\w.+-]+ \d+/);
    expect(report.keyCoverage!.keys.map((k) => k.key)).toEqual(context.targetSpec.keys.map((k) => k.name));
    expect(report.keyCoverage).toEqual(plan.keyCoverage);
  });

  it('reports the requests it sent (each shared exchange once) beside the plan estimate, on the console too', () => {
    const har = JSON.parse(readFileSync(path.join(dir, 'out', 'evidence.har'), 'utf8')) as { log: { entries: Array<{ response: { _error?: string } }> } };
    const sent = har.log.entries.filter((e) => !/^not sent/.test(e.response._error ?? '')).length;
    const estimated = plan.probes.reduce((n, p) => n + p.requests, 0);
    expect(report.requests).toEqual({ sent, estimated });
    expect(sent).toBeGreaterThan(10);
    expect(run.stdout).toContain(`${sent} requests sent (the plan estimated ${estimated})`);
    expect(readFileSync(path.join(dir, 'out', 'conformance-report.md'), 'utf8')).toContain(`${sent} requests sent (the plan estimated ${estimated})`);
  });

  it("records the negative group's seed, cases and requests, per check and for the run", () => {
    const negative = report.checks.find((c) => c.id === 'cross-cutting/embeddings/negative')!;
    expect(negative.outcome).toBe('passed');
    expect(negative.generated).toMatchObject({ seed: 3, cases: expect.any(Number), requests: expect.any(Number) });
    expect(negative.generated!.cases).toBeGreaterThan(5);
    // every generated request is one of the check's exchanges
    expect(negative.generated!.requests).toBe(negative.exchanges.length);
    expect(report.negative).toEqual({ seed: 3, routes: 1, cases: negative.generated!.cases, requests: negative.generated!.requests });
    expect(run.stdout).toContain(`negative group: ${negative.generated!.cases} generated cases on 1 route`);
  });

  it('gives the Allure report its environment', () => {
    const env = readFileSync(path.join(dir, 'out', 'allure-results', 'environment.properties'), 'utf8');
    expect(env).toMatch(/^target=embedded 127\.0\.0\.1:\d+$/m);
    expect(env).toContain('seed=3 (replay with --seed 3)');
    expect(env).toContain('products=dify');
    expect(env).toContain(`contract\\ digest=${report.contract.digest}`);
  });
});
