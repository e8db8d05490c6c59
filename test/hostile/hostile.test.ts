// Runs against a hostile tenant (./hostile-tenant.ts), one case per way it misbehaves, each with its bound:
// the run ends by its deadline plus a margin set here, memory stays bounded, and no secret gets into any
// output in any form (checked with the one scanner, ../reporters/secrets-scan.ts).
// The cases run in process (runAgainst) where no report is needed; one real `gt-conformance run --target`
// with every misbehaviour at once checks every output: stdout, stderr, every report and every Allure file.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetRun } from '../../src/run/direct.ts';
import { REPORT_FILES } from '../../src/report/write.ts';
import { DEFAULT_MAX_EVENTS, DEFAULT_MAX_LINE_CHARS, DEFAULT_MAX_RESPONSE_BYTES } from '../../src/http/limits.ts';
import { scrubDeep } from '../../src/report/scrub.ts';
import { DESCRIBED_ITEMS } from '../../src/checks/contract-validator.ts';
import { leaksIn, leaksInFolder } from '../reporters/secrets-scan.ts';
import { CONTROL_CHARACTERS, startHostileTenant, type HostileTenant } from './hostile-tenant.ts';
import { CONCURRENCY, EVERYTHING_DEADLINE_MS, EVERYTHING_SCOPE, HOSTILE_CASES, RETRY_AFTER_SECONDS, runAgainstHostile, runInProcess, writeTarget, type HostileRun } from './hostile-run.ts';

/**
 * What the run's traffic may take past its deadline: the probes in flight are cut at the deadline. The
 * reports are written after that, and how long they take depends on the machine, so the bound is on the
 * tenant's side: the last request in, and the last answer ended or cut. The margin comes from what the test
 * must catch, not from the machine: half the 40 s Retry-After this tenant asks for. A harness that waited one
 * out, or read an endless answer until the tenant gives up pouring (60 s), is still past the deadline plus
 * it. On a starved machine a cut comes late: beside four CPU hogs, the spawned run below cut its last answer
 * 12.8 s after its deadline.
 */
const MARGIN_MS = (RETRY_AFTER_SECONDS * 1000) / 2;
const trafficSpanMs = (tenant: HostileTenant) => tenant.lastActivityAt! - tenant.firstRequestAt!;

const tenants: HostileTenant[] = [];
afterAll(async () => {
  for (const t of tenants) await t.close();
});
const inProcess = async (name: keyof typeof HOSTILE_CASES) => {
  const result = await runInProcess(HOSTILE_CASES[name]);
  tenants.push(result.tenant);
  return result;
};

const messageOf = (run: TargetRun, checkId: string) => run.results.find((r) => r.checkId === checkId)?.message ?? `no check ${checkId}`;

describe('a hostile tenant, run in process', () => {
  it('a streamed answer that is one line without a line end is cut at the line limit, by the harness and the SDKs', async () => {
    const { run, tenant } = await inProcess('endless line');
    expect(messageOf(run, 'generic-openai-http/chat/works')).toContain(`stream: the stream was not read to its end: a line longer than ${DEFAULT_MAX_LINE_CHARS} characters without a line end`);
    expect(messageOf(run, 'openai-sdk/chat/works')).toContain(`the answer has a line longer than ${DEFAULT_MAX_LINE_CHARS} bytes, the most the harness reads`);
    expect(trafficSpanMs(tenant)).toBeLessThan(15_000 + MARGIN_MS); // the case's run deadline
    // The harness hung up: the tenant wrote a little more than the limit (what the socket buffers held), not its 512 MiB.
    expect(tenant.pouredBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('an endless flood of small events is cut at the event limit, and the SDKs at the size limit', async () => {
    const { run, tenant } = await inProcess('event flood');
    expect(messageOf(run, 'generic-openai-http/chat/works')).toContain(`stream: the stream was not read to its end: more than ${DEFAULT_MAX_EVENTS} events`);
    expect(messageOf(run, 'openai-sdk/chat/works')).toContain(`the answer is longer than ${DEFAULT_MAX_RESPONSE_BYTES} bytes, the most the harness reads`);
    expect(messageOf(run, 'generic-openai-http/chat/works').length).toBeLessThan(4_000); // ten thousand bad events are described by a few
    expect(trafficSpanMs(tenant)).toBeLessThan(15_000 + MARGIN_MS); // the case's run deadline
    expect(tenant.pouredBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('a model list and a chat answer of half a million wrong items, and embeddings nested 400,000 deep, are described by their first problems, in time', async () => {
    const { run, tenant } = await inProcess('long wrong lists');
    const http = messageOf(run, 'generic-openai-http/models/works');
    expect(http).toContain('data[0]: must be object; data[1]: must be object');
    expect(http).toContain(`(an array of the body has more than ${DESCRIBED_ITEMS} items: the problems above are its first ones)`);
    expect(messageOf(run, 'generic-openai-http/chat/works')).toContain('choices[0]: must be object');
    expect(messageOf(run, 'generic-openai-http/embeddings/works')).toContain('data[0]: must be object'); // nested 400,000 deep
    // the SDK reads the one-line JSON whole (the line limit is for event streams) and names what it listed
    expect(messageOf(run, 'openai-sdk/models/works')).toContain(`openai listed names outside the allowlist: (no name), (no name)`);
    expect(messageOf(run, 'openai-sdk/models/works')).toContain(`… and ${500_000 - 10} more`);
    for (const r of run.results) expect(r.message.length, r.checkId).toBeLessThan(4_000);
    expect(trafficSpanMs(tenant)).toBeLessThan(30_000 + MARGIN_MS); // the case's run deadline
  });

  it(`a Retry-After of ${RETRY_AFTER_SECONDS} s on every answer is not waited out past the run deadline, and the reason says so`, async () => {
    const { run, tenant } = await inProcess('huge Retry-After');
    expect(trafficSpanMs(tenant)).toBeLessThan(HOSTILE_CASES['huge Retry-After'].options.runDeadlineMs + MARGIN_MS); // one wait alone would be 40 s
    expect(messageOf(run, 'generic-openai-http/models/works')).toContain(`answered 429 asking to wait ${RETRY_AFTER_SECONDS} s (Retry-After), past the run deadline: not waited out`);
    const sdk = run.results.find((r) => r.checkId === 'openai-sdk/chat/works')!;
    expect(sdk.outcome).toBe('failed');
    expect(sdk.exchanges.map((e) => e.label)).toContain(`openai: POST /api/tenant/v1/chat/completions (429, Retry-After of ${RETRY_AFTER_SECONDS} s not waited out: past the run deadline)`);
  });

  it('a key sent back in every form gets into no recorded exchange nor, scrubbed, any result, and every connection is one of the bounded pool', async () => {
    const { run, tenant, secrets } = await inProcess('secrets echoed');
    expect(run.results.length).toBeGreaterThan(20);
    const exchanges = JSON.stringify(run.results.flatMap((r) => r.exchanges));
    expect(exchanges).toContain('gtak_****'); // the tenant did echo keys, and they were masked as they were recorded
    expect(leaksIn(exchanges, secrets)).toEqual([]);
    // Messages quote the tenant and are scrubbed on their way to a report (settleCheck), as here.
    expect(leaksIn(JSON.stringify(run.results), secrets)).not.toEqual([]);
    expect(leaksIn(JSON.stringify(scrubDeep(run.results)), secrets)).toEqual([]);
    expect(tenant.requests).toBeGreaterThan(CONCURRENCY * 10);
    expect(tenant.connections.peak).toBeLessThanOrEqual(CONCURRENCY); // the SDK drivers' requests included
  });
});

describe('gt-conformance run --target against a tenant that does everything at once', () => {
  const runDeadlineMs = EVERYTHING_DEADLINE_MS;
  let dir: string;
  let tenant: HostileTenant;
  let run: HostileRun;
  let secrets: string[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gt-hostile-'));
    tenant = await startHostileTenant({ everything: true, retryAfterSeconds: RETRY_AFTER_SECONDS });
    tenants.push(tenant);
    const target = writeTarget(dir, tenant.baseUrl, { run_deadline_ms: runDeadlineMs, concurrency: CONCURRENCY });
    secrets = target.secrets;
    const scope = EVERYTHING_SCOPE;
    const env = { ...target.env, GITHUB_STEP_SUMMARY: path.join(dir, 'step-summary.md') };
    run = await runAgainstHostile(['run', '--target', target.file, '--out', path.join(dir, 'out'), ...scope], env, 240_000);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops its traffic by the run deadline plus the margin, then ends with a failed gate and every report written', () => {
    expect(run.stderr).toContain('gt-conformance: FAILED');
    expect(run.code).toBe(1);
    expect(trafficSpanMs(tenant)).toBeLessThan(runDeadlineMs + MARGIN_MS);
    for (const file of Object.values(REPORT_FILES)) expect(existsSync(path.join(dir, 'out', file)), file).toBe(true);
    expect(readdirSync(path.join(dir, 'out', 'allure-results')).length).toBeGreaterThan(10);
  });

  it('keeps the memory of the process that reads the answers under 300 MiB', () => {
    const [command, ...workers] = run.peaks;
    expect(workers.length).toBeGreaterThan(0);
    for (const w of workers) expect(w.peakMiB, w.command).toBeLessThan(300);
    // The command itself (vitest, the reporters) costs the same against any tenant: about 500 MiB measured.
    expect(command.peakMiB).toBeLessThan(640);
  });

  it('writes no secret in any form to stdout, stderr, any report, any Allure file or the CI step summary', () => {
    expect(readFileSync(path.join(dir, 'out', REPORT_FILES.json), 'utf8')).toContain('gtak_****');
    expect(leaksIn(run.stdout, secrets)).toEqual([]);
    expect(leaksIn(run.stderr, secrets)).toEqual([]);
    expect(leaksInFolder(path.join(dir, 'out'), secrets)).toEqual([]);
    expect(leaksIn(readFileSync(path.join(dir, 'step-summary.md'), 'utf8'), secrets)).toEqual([]);
  });

  it('prints and writes the tenant text with its control characters made visible', () => {
    expect(run.stdout).toContain('\\x1b[2J'); // the tenant's message reached the console, harmless
    expect(run.stdout).not.toMatch(CONTROL_CHARACTERS);
    for (const file of [path.join(dir, 'out', REPORT_FILES.markdown), path.join(dir, 'step-summary.md')]) {
      const markdown = readFileSync(file, 'utf8');
      expect(markdown).toContain('pwned title');
      expect(markdown).not.toMatch(CONTROL_CHARACTERS);
      expect(markdown).not.toContain('<script');
    }
  });

  it('names the limit or the deadline that cut each answer', () => {
    const text = readFileSync(path.join(dir, 'out', REPORT_FILES.json), 'utf8');
    const messages = (JSON.parse(text) as { checks: Array<{ message: string }> }).checks.map((c) => c.message).join('\n');
    // the harness's own client met the endless line first and the flood second, and so did the SDKs
    expect(tenant.streams.harness).toBeGreaterThanOrEqual(2);
    expect(messages).toContain(`a line longer than ${DEFAULT_MAX_LINE_CHARS} characters without a line end`);
    expect(messages).toContain(`more than ${DEFAULT_MAX_EVENTS} events`);
    expect(tenant.streams.sdk).toBeGreaterThanOrEqual(2);
    expect(text).toContain(`the answer has a line longer than ${DEFAULT_MAX_LINE_CHARS} bytes`); // in the SDK's exchange, whatever the SDK said
    expect(messages).toContain(`asking to wait ${RETRY_AFTER_SECONDS} s (Retry-After), past the run deadline: not waited out`);
  });
});
