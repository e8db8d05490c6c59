// The key coverage table (src/report/coverage.ts) and the console progress (reporters/progress-reporter.ts),
// driven with vitest's reporter hooks and a stream that is, or is not, a terminal.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCase, TestModule, TestSpecification, Vitest } from 'vitest/node';
import type { Check, CheckMeta, Exchange, Outcome, RunContext } from '../../src/model.ts';
import { keyCoverage, renderCoverage } from '../../src/report/coverage.ts';
import ProgressReporter from '../../reporters/progress-reporter.ts';
import { defaultScenario } from '../fixtures/reports/scenario.ts';
import { tempDir } from './fixture-run.ts';
import { check, key, probe } from './plan-parts.ts';

const keys = [key('chat', { preset: 'openai-chat' }), key('uploads', { preset: 'dataset-upload', purpose: 'upload', secret_env: 'GT_KEY_UPLOADS' }), key('spare\x1b[31m', { preset: 'openai-chat' })];
const probes = [probe('models:call:chat', 'models', 'chat'), probe('dataset-files:upload:uploads', 'dataset-files', 'uploads'), probe('file-status:denied:chat', 'file-status', 'chat', ['dataset-files:upload:uploads']), probe('models:unauthorized:@none', 'models', '@none')];
const SKIP = 'the target file lists no key that holds inference:embed (add one made with the chat-embeddings preset or holding inference:embed)';
const checks = [
  check('p/models/works', 'works', 'models', ['models:call:chat']),
  check('p/file-status/denied-without-scope', 'denied-without-scope', 'file-status', ['file-status:denied:chat']),
  check('p/embeddings/works', 'works', 'embeddings', [], { skip: SKIP }),
  check('q/embeddings/works', 'works', 'embeddings', [], { skip: SKIP }),
  check('cross-cutting/models/no-key', 'no-key', 'models', ['models:unauthorized:@none']),
];

describe('keyCoverage', () => {
  const coverage = keyCoverage({ targetSpec: { keys }, checks, probes });

  it('gives each key the checks whose probes use it, a prerequisite included, by kind and route', () => {
    expect(coverage.keys[0]).toEqual({ key: 'chat', preset: 'openai-chat', purpose: 'inference', checks: 2, routes: ['models', 'file-status'], serves: [{ kind: 'denied-without-scope', routes: ['file-status'], checks: 1 }, { kind: 'works', routes: ['models'], checks: 1 }] });
    // the upload key serves the denial whose file it uploads
    expect(coverage.keys[1]).toMatchObject({ key: 'uploads', secretEnv: 'GT_KEY_UPLOADS', checks: 1, serves: [{ kind: 'denied-without-scope', routes: ['file-status'], checks: 1 }] });
  });

  it('lists a key that serves nothing, and the checks skipped with what would enable them', () => {
    expect(coverage.keys[2]).toMatchObject({ key: 'spare\x1b[31m', checks: 0, serves: [] });
    expect(coverage.skipped).toEqual([{ reason: SKIP, checks: ['p/embeddings/works', 'q/embeddings/works'] }]);
  });

  it('renders for plan (each kind) and for the run header (compact), wrapped, with names made terminal-safe', () => {
    const full = renderCoverage(coverage, { width: 80 });
    expect(full[0]).toBe("Keys: 2 of 3 serve the run's checks, 1 serves nothing");
    expect(full).toContain('      works (1): models');
    expect(full.join('\n')).toContain('serves nothing: spare\\x1b[31m (preset openai-chat, inference)');
    expect(full.join('\n')).not.toContain('\x1b');
    expect(full.join('\n')).toContain('Skipped: 2 checks, and what would enable them');
    expect(full.every((l) => l.length <= 80)).toBe(true);
    const compact = renderCoverage(coverage, { width: 80, compact: true });
    expect(compact.slice(0, 2)).toEqual(['Keys (checks each serves): chat 2, uploads 1; 1 serves nothing: spare\\x1b[31m', '  (gt-conformance plan shows what each serves)']);
    // the skip reasons stay whole in the header too: they say which key to add
    expect(compact.slice(2)).toEqual(full.slice(full.indexOf('Skipped: 2 checks, and what would enable them')));
    expect(compact.length).toBeLessThan(full.length);
  });
});

// ---------- the console ----------

interface Captured {
  text: string;
  write(s: string): void;
  isTTY?: boolean;
  columns?: number;
}

const stream = (tty: boolean, columns = 60): Captured => ({
  text: '',
  write(s: string) {
    this.text += s;
  },
  isTTY: tty,
  columns,
});

const exchange = (n: number): Exchange => ({ label: `x${n}`, request: { method: 'GET', url: `http://127.0.0.1:9/api/tenant/v1/models?n=${n}`, headers: {} }, response: { status: 200, headers: {}, bytes: 2 }, startedAt: `2025-01-01T00:00:0${n}.000Z`, durationMs: 1 });

function testCase(c: Check, outcome: Outcome, message: string, exchanges: Exchange[] = []): TestCase {
  const meta: CheckMeta = { check: c, outcome, message, exchanges };
  const state = outcome === 'failed' ? 'failed' : outcome === 'passed' || outcome === 'denied_as_expected' ? 'passed' : 'skipped';
  return {
    name: c.title,
    fullName: `${c.product ?? 'cross-cutting'} > ${c.route} > ${c.title}`,
    meta: () => ({ gt: meta }),
    result: () => ({ state, errors: state === 'failed' ? [{ message }] : [] }),
  } as unknown as TestCase;
}

const moduleOf = (tests: TestCase[]) => ({ children: { allTests: () => tests[Symbol.iterator]() } }) as unknown as TestModule;

describe('the progress reporter', () => {
  let outDir: string;
  // five planned checks in two suite files; this "shard" runs routes.1 only: three of them
  const scenario = defaultScenario();
  const planned = [
    check('alpha/models/works', 'works', 'models', [], { verdict: 'native' }),
    check('alpha/chat/works', 'works', 'chat', [], { verdict: 'native' }),
    check('alpha/embeddings/works', 'works', 'embeddings', [], { verdict: 'native' }),
    check('cross-cutting/models/no-key', 'no-key', 'models', []),
    check('cross-cutting/chat/no-key', 'no-key', 'chat', []),
  ];
  const specs = [{ moduleId: '/somewhere/suites/routes.1.test.ts' }] as unknown as TestSpecification[];
  const longMessage = `expected 200, got 500: ${'the tenant answered with a long explanation '.repeat(6)}\x1b]0;pwned\x07 end-of-message`;

  beforeAll(() => {
    outDir = tempDir('progress');
    mkdirSync(outDir, { recursive: true });
    const context: RunContext = { ...scenario.context, runbooks: scenario.context.runbooks.filter((r) => r.id === 'alpha'), checks: planned, probes: [], estimatedRequests: 4, targetSpec: { ...scenario.context.targetSpec, keys: [key('chat')] } };
    writeFileSync(path.join(outDir, 'run-context.json'), JSON.stringify(context));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  async function drive(out: Captured, env: NodeJS.ProcessEnv = {}, noColor = false) {
    let clock = 1_000;
    const reporter = new ProgressReporter({ stream: out, env, noColor, outDir, now: () => clock });
    reporter.onInit({} as Vitest);
    await reporter.onTestRunStart(specs);
    const tests = [
      testCase(planned[0], 'passed', 'ok', [exchange(1), exchange(2)]),
      testCase(planned[1], 'failed', longMessage, [exchange(2), exchange(3)]),
      testCase(planned[2], 'passed', 'ok', [exchange(1)]),
    ];
    for (const t of tests) {
      clock += 2_000;
      reporter.onTestCaseResult(t);
    }
    await reporter.onTestRunEnd([moduleOf(tests)]);
    return out.text;
  }

  it('in a log: the header with the key table first, one plain line per check over the right denominator from the first', async () => {
    const text = await drive(stream(false));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Target: embedded tenant at 127\.0\.0\.1:9 · seed 4242/);
    expect(lines[0]).toContain('· 1 runbook · 5 checks');
    // the plan of this context has no probe: its one key serves nothing, and the header says so
    expect(lines[1]).toBe('Keys (checks each serves): none; 1 serves nothing: chat (gt-conformance plan shows what each serves)');
    expect(lines.filter((l) => /^\[\d\/\d\] /.test(l))).toEqual([
      '[1/3] ok   alpha › models › alpha/models/works',
      '[2/3] FAIL alpha › chat › alpha/chat/works',
      '[3/3] ok   alpha › embeddings › alpha/embeddings/works',
    ]);
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\r');
  });

  it("in a shard: the denominator counts the checks of the files vitest's own sequencer gives this shard", async () => {
    const { BaseSequencer } = await import('vitest/node');
    const root = '/somewhere';
    const both = [{ moduleId: `${root}/suites/routes.1.test.ts` }, { moduleId: `${root}/suites/cross-cutting.test.ts` }] as unknown as TestSpecification[];
    for (const index of [1, 2]) {
      const vitest = { config: { root, shard: { index, count: 2 }, sequence: { sequencer: BaseSequencer } } } as unknown as Vitest;
      const mine = await new BaseSequencer(vitest).shard([...both]);
      expect(mine).toHaveLength(1);
      const expected = path.basename(mine[0].moduleId) === 'routes.1.test.ts' ? 3 : 2; // alpha's three route checks, or the two cross-cutting ones
      const out = stream(false);
      const reporter = new ProgressReporter({ stream: out, env: {}, outDir, now: () => 0 });
      reporter.onInit(vitest);
      await reporter.onTestRunStart(both);
      reporter.onTestCaseResult(testCase(planned[0], 'passed', 'ok'));
      expect(out.text).toContain(`[1/${expected}] ok   alpha › models`);
    }
  });

  it('prints a failure whole, wrapped to 100 columns between words, with the control characters made visible', async () => {
    const text = await drive(stream(false));
    const start = text.indexOf('        expected 200, got 500');
    const block = text.slice(start, text.indexOf('end-of-message') + 'end-of-message'.length);
    expect(block.replace(/\s+/g, ' ').trim()).toBe(longMessage.replace(/\x1b/g, '\\x1b').replace(/\x07/g, '\\x07').replace(/\s+/g, ' ').trim());
    for (const line of block.split('\n')) {
      expect(line.length).toBeLessThanOrEqual(100);
      expect(line.startsWith('        ')).toBe(true);
    }
  });

  it('ends with the matrix, the counts, and the requests sent (shared exchanges once) beside the estimate', async () => {
    const text = await drive(stream(false));
    expect(text).toMatch(/\nalpha +failed +N:pass +N:FAIL +N:pass\n/);
    expect(text).toContain('3 checks: 2 passed, 1 failed (6.0 s)');
    expect(text).toContain('3 requests sent (the plan estimated 4)');
  });

  it('on a terminal: one line updated in place with the counts and what is left, failures above it, colour unless refused', async () => {
    const out = stream(true, 60);
    const text = await drive(out);
    expect(text).toContain('\r\x1b[2K[1/3] 1 ok · 2 s, about 4 s left');
    expect(text).toContain(`\r\x1b[2K[2/3] 1 ok, \x1b[31m1 FAIL\x1b[0m · 4 s, about 2 s left`);
    // the passing checks have no line of their own; the failure does, coloured and wrapped to 60 columns
    expect(text).not.toContain('ok   alpha › models');
    expect(text).toContain('\x1b[31mFAIL\x1b[0m alpha › chat › alpha/chat/works');
    const printed = text.split(/\r\x1b\[2K|\n/).filter((l) => l.startsWith('        '));
    expect(printed.length).toBeGreaterThan(3);
    expect(printed.every((l) => l.length <= 60)).toBe(true);
    expect(await drive(stream(true), { NO_COLOR: '1' })).not.toMatch(/\x1b\[\d+m/);
    expect(await drive(stream(true), {}, true)).not.toMatch(/\x1b\[\d+m/);
    // in CI, even on a pseudo-terminal, plain lines
    const ci = await drive(stream(true), { CI: 'true' });
    expect(ci).not.toContain('\r');
    expect(ci).toContain('[1/3] ok   alpha › models › alpha/models/works');
  });
});
