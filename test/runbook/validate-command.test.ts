// gt-conformance validate: exit codes, positioned messages, no stack traces, the findings extension point.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import validate, { summaryLine } from '../../src/cli/commands/validate.ts';
import { findingSources } from '../../src/runbook/findings.ts';
import { clientFindings } from '../../src/clients/findings.ts';
import { projectRoot } from '../../src/paths.ts';

const run = promisify(execFile);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['./bin/gt-conformance.js', 'validate', ...args], { cwd: projectRoot });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const stackTrace = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;
const tmp = mkdtempSync(path.join(tmpdir(), 'gt-validate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('gt-conformance validate (spawned)', () => {
  it('exits 0 on the project runbooks and says how many are valid', async () => {
    const { code, stdout, stderr } = await cli();
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('7 runbooks valid');
    // each runbook with its client profile, then the findings: the shipped runbooks document base URLs
    // without /v1, which do not change the exit code
    expect(lines).toContainEqual(expect.stringMatching(/^runbooks\/open-webui\.yaml: open-webui, client profile open-webui$/));
    expect(lines).toContain('Runbook findings');
    expect(lines).toContainEqual(expect.stringMatching(/^runbooks\/open-webui\.yaml:\d+: Open WebUI appends \/models to OPENAI_API_BASE_URL/));
    expect(code).toBe(0);
  });

  it('exits 2 on a broken copy of a runbook with the positioned message', async () => {
    const source = readFileSync(path.join(projectRoot, 'runbooks/dify.yaml'), 'utf8');
    const lines = source.split('\n');
    const transcriptionsRow = lines.indexOf('  - route: transcriptions');
    expect(lines[transcriptionsRow + 1]).toBe('    verdict: not_supported');
    lines[transcriptionsRow + 1] = '    verdict: unsupported';
    const broken = path.join(tmp, 'dify-broken.yaml');
    writeFileSync(broken, lines.join('\n'));

    const { code, stdout, stderr } = await cli(broken, 'runbooks/open-webui.yaml');
    expect(code).toBe(2);
    expect(stdout).not.toMatch(/runbooks? valid/);
    expect(stderr).not.toMatch(stackTrace);
    expect(stderr.trim().split('\n')).toEqual([
      `${broken}:${transcriptionsRow + 2}:14: routes[3].verdict: must be one of native, gt_extension, not_supported`,
      '1 of 2 runbooks has errors (1 error)',
    ]);
  });

  it('exits 2 with one line each for a missing file and a directory, no stack trace', async () => {
    const { code, stderr } = await cli('runbooks/missing.yaml', 'runbooks');
    expect(code).toBe(2);
    expect(stderr).not.toMatch(stackTrace);
    expect(stderr.trim().split('\n')).toEqual([
      'runbooks/missing.yaml: file not found',
      'runbooks: is a directory, not a runbook file (pass the YAML files, e.g. runbooks/*.yaml)',
      '2 of 2 runbooks have errors (2 errors)',
    ]);
  });

  it('--json lists errors, findings and the ids of the valid runbooks', async () => {
    const { code, stdout } = await cli('--json', 'runbooks/langchain.yaml', 'test/fixtures/runbooks/bad-wrong-type.yaml');
    expect(code).toBe(2);
    const json = JSON.parse(stdout) as { errors: Array<{ text: string; line: number }>; findings: unknown[]; runbooks: string[] };
    expect(json.runbooks).toEqual(['langchain']);
    expect(json.findings).toEqual([
      expect.objectContaining({ product: 'langchain', file: 'runbooks/langchain.yaml', message: expect.stringMatching(/appends \/chat\/completions to ChatOpenAI.base_url/) }),
      expect.objectContaining({ product: 'langchain', file: 'runbooks/langchain.yaml', message: expect.stringMatching(/appends \/embeddings to OpenAIEmbeddings.base_url/) }),
    ]);
    expect(json.errors.map((e) => e.text)).toEqual(['test/fixtures/runbooks/bad-wrong-type.yaml:3:10: product: must be a string, found a number']);
  });
});

describe('validate findings extension point (in process)', () => {
  const out: string[] = [];
  const err: string[] = [];
  afterEach(() => {
    out.length = 0;
    err.length = 0;
    vi.restoreAllMocks();
  });

  function capture() {
    vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  }

  // Each test here sees only the sources it registers; the shipped ones are put back after it.
  let shipped: typeof findingSources = [];
  beforeEach(() => {
    shipped = findingSources.splice(0);
  });
  afterEach(() => {
    findingSources.splice(0, findingSources.length, ...shipped);
  });

  it('holds the client-profile finding source', () => {
    expect(shipped).toContain(clientFindings);
  });

  it('prints findings as file:line: message under a heading; exit 0, or 1 with --fail-on-findings', async () => {
    findingSources.push((runbooks) =>
      runbooks.map((r) => ({ product: r.runbook.id, file: r.file, line: r.lineOf('configuration[0].value'), message: 'base URL lacks /v1' })),
    );
    const file = path.relative(process.cwd(), path.join(projectRoot, 'runbooks/open-webui.yaml'));
    const valueLine = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith('    value: ')) + 1;
    capture();
    expect(await validate.run([file])).toBe(0);
    expect(out).toEqual([`${file}: open-webui, client profile open-webui`, 'Runbook findings', `${file}:${valueLine}: base URL lacks /v1`, '1 runbook valid']);
    expect(err).toEqual([]);

    out.length = 0;
    expect(await validate.run(['--fail-on-findings', file])).toBe(1);
  });

  it('runs finding sources on valid runbooks only', async () => {
    const seen: string[][] = [];
    findingSources.push((runbooks) => (seen.push(runbooks.map((r) => r.runbook.id)), []));
    capture();
    const fixtures = path.join(projectRoot, 'test/fixtures/runbooks');
    expect(await validate.run(['--fail-on-findings', path.join(fixtures, 'valid-minimal.yaml'), path.join(fixtures, 'bad-empty.yaml')])).toBe(2);
    expect(seen).toEqual([['sample-client']]);
  });
});

describe('summary line', () => {
  it('counts runbooks and errors in words', () => {
    expect(summaryLine(7, [])).toBe('7 runbooks valid');
    const e = (file: string) => ({ file, message: 'x' });
    expect(summaryLine(7, [e('a'), e('a'), e('b'), e('b'), e('b')])).toBe('2 of 7 runbooks have errors (5 errors)');
    expect(summaryLine(1, [])).toBe('1 runbook valid');
  });
});
