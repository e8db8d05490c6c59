// Bad input never crashes the harness: a bad runbook, target file or flag is one positioned line and
// exit 2 before anything is sent; a tenant answer of 10 MB is a failed check with a clear message.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadContract } from '../../src/contract/load.ts';
import { projectRoot } from '../../src/paths.ts';
import { loadTargetFile } from '../../src/targets/live.ts';
import { formatInputError } from '../../src/runbook/load.ts';
import { gtConformance, type CliResult } from '../run/cli.ts';
import { runThroughProxy } from '../faults/fault-run.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-bad-input-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** file:line:col: path: message — the one form every input problem takes. */
const POSITIONED = /^(?<file>[^:\n]+):(?<line>\d+):(?<col>\d+): (?<path>[\w.[\]]+): (?<message>.+)$/;

function problemLines(result: CliResult): string[] {
  return result.stderr.trim().split('\n').filter((l) => !l.startsWith('gt-conformance run: '));
}

function expectRefusedInput(result: CliResult, problems: number) {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(/^\s+at /m); // no stack trace
  expect(result.stderr).not.toMatch(/\b(TypeError|ReferenceError|SyntaxError|Error):/);
  expect(result.stderr).toContain(`${problems} input problem${problems > 1 ? 's' : ''}; nothing was sent`);
  expect(problemLines(result)).toHaveLength(problems);
}

/** A server that counts what reaches it: nothing may, when the input is bad. */
let requestsSeen = 0;
const counting = http.createServer((_req, res) => {
  requestsSeen += 1;
  res.writeHead(500).end();
});
let countingUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
  countingUrl = `http://127.0.0.1:${(counting.address() as AddressInfo).port}/api/tenant`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => counting.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const SECRET = 'gtak_badinputtestsecret0123456789abcdef';

/** A target file: base_url first, then keys[0] (good), keys[1] (unknown preset), keys[2] (missing env), keys[3] (../ dataset). */
function badTargetFile(baseUrl: string): string {
  return write(
    `target-${Math.random().toString(36).slice(2, 8)}.yaml`,
    stringify({
      base_url: baseUrl,
      keys: [
        { name: 'chat', preset: 'openai-chat', secret_env: 'GT_BAD_INPUT_CHAT', models: ['mission-agent'] },
        { name: 'typo', preset: 'openai-chatt', secret_env: 'GT_BAD_INPUT_CHAT' },
        { name: 'unset', preset: 'openai-chat', secret_env: 'GT_BAD_INPUT_NEVER_SET' },
        { name: 'uploads', preset: 'dataset-upload', secret_env: 'GT_BAD_INPUT_CHAT', datasets: ['../../etc'] },
      ],
    }),
  );
}

describe('gt-conformance run refuses bad input: exit 2, one positioned line each, nothing sent', () => {
  it('runbook errors: a bad verdict, an unknown route and broken YAML, each at its line and column', async () => {
    const source = readFileSync(path.join(projectRoot, 'runbooks/generic-openai-http.yaml'), 'utf8');
    const badVerdict = write('bad-verdict.yaml', source.replace('verdict: native', 'verdict: nativ'));
    const unknownRoute = write('unknown-route.yaml', source.replace('id: generic-openai-http', 'id: unknown-route-copy').replace('route: models', 'route: modles'));
    const brokenYaml = write('broken.yaml', 'id: broken\nproduct: [unclosed\n');
    const result = await gtConformance(['run', badVerdict, unknownRoute, brokenYaml]);
    expectRefusedInput(result, 3);
    const [verdict, route, yaml] = problemLines(result);
    const verdictLine = source.split('\n').findIndex((l) => l.includes('verdict: native')) + 1;
    expect(verdict.match(POSITIONED)?.groups).toMatchObject({ file: badVerdict, line: String(verdictLine), path: 'routes[0].verdict', message: 'must be one of native, gt_extension, not_supported' });
    expect(route.match(POSITIONED)?.groups).toMatchObject({ file: unknownRoute, path: 'routes[0].route', message: expect.stringMatching(/^unknown route "modles"; known routes: models, /) });
    // a YAML syntax error has a position but no field path
    expect(yaml).toMatch(new RegExp(`^${brokenYaml.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: invalid YAML: `));
  });

  it('a target file with an unknown preset, a missing env var and a ../ dataset id: one line each, the tenant never called', async () => {
    const file = badTargetFile(countingUrl);
    const result = await gtConformance(['run', '--target', file], { GT_BAD_INPUT_CHAT: SECRET, GT_BAD_INPUT_NEVER_SET: '' });
    expectRefusedInput(result, 3);
    const lines = problemLines(result);
    for (const line of lines) expect(line).toMatch(POSITIONED);
    expect(lines.map((l) => l.match(POSITIONED)!.groups!.path)).toEqual(['keys[1].preset', 'keys[2].secret_env', 'keys[3].datasets[0]']);
    expect(lines[0]).toMatch(/unknown preset "openai-chatt"; presets are /);
    expect(lines[1]).toMatch(/environment variable GT_BAD_INPUT_NEVER_SET is not set/);
    expect(lines[2]).toMatch(/dataset id "\.\.\/\.\.\/etc" may hold only letters, digits/);
    expect(requestsSeen).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('a base URL without a scheme, and unknown --product, --route and --defect flags', async () => {
    const [scheme, flags] = await Promise.all([
      gtConformance(['run', '--target', write('no-scheme.yaml', stringify({ base_url: 'tenant.example.com/api/tenant', keys: [{ name: 'chat', preset: 'openai-chat', secret_env: 'GT_BAD_INPUT_CHAT' }] }))], { GT_BAD_INPUT_CHAT: SECRET }),
      gtConformance(['run', '--product', 'no-such-product', '--route', 'no-such-route', '--defect', 'no-such-defect']),
    ]);
    expectRefusedInput(scheme, 1);
    expect(problemLines(scheme)[0]).toMatch(/no-scheme\.yaml:1:\d+: base_url: "tenant\.example\.com\/api\/tenant" has no scheme: write https:\/\/<tenant-host>\/api\/tenant/);
    expectRefusedInput(flags, 3);
    expect(problemLines(flags)).toEqual([
      expect.stringMatching(/^--product no-such-product: no such runbook; products are .*generic-openai-http/),
      expect.stringMatching(/^unknown route "no-such-route"; routes are models, chat, /),
      expect.stringMatching(/^unknown defect "no-such-defect"; see gt-conformance mock --list-defects$/),
    ]);
  });
});

describe('target file problems, each alone (in process)', () => {
  const contract = loadContract();
  const env = { GT_BAD_INPUT_CHAT: SECRET };
  const one = (raw: object) => loadTargetFile(write(`one-${Math.random().toString(36).slice(2, 8)}.yaml`, stringify(raw)), contract, env).errors;
  const key = { name: 'chat', preset: 'openai-chat', secret_env: 'GT_BAD_INPUT_CHAT' };
  const cases: Array<[string, object, string, RegExp]> = [
    ['missing env var', { base_url: 'https://t.example/api/tenant', keys: [{ ...key, secret_env: 'GT_BAD_INPUT_NEVER_SET' }] }, 'keys[0].secret_env', /GT_BAD_INPUT_NEVER_SET is not set/],
    ['unknown preset', { base_url: 'https://t.example/api/tenant', keys: [{ ...key, preset: 'nope' }] }, 'keys[0].preset', /unknown preset "nope"/],
    ['base URL without scheme', { base_url: 't.example/api/tenant', keys: [key] }, 'base_url', /has no scheme/],
    ['dataset id with ../', { base_url: 'https://t.example/api/tenant', keys: [{ ...key, datasets: ['a/../b'] }] }, 'keys[0].datasets[0]', /may hold only letters/],
    ['foreign dataset with ../', { base_url: 'https://t.example/api/tenant', foreign_dataset: '../x', keys: [key] }, 'foreign_dataset', /may hold only letters/],
  ];
  for (const [name, raw, where, message] of cases) {
    it(`${name}: one error at ${where}, with its line and column`, () => {
      const errors = one(raw);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ path: where, line: expect.any(Number), column: expect.any(Number) });
      expect(errors[0].message).toMatch(message);
    });
  }
});

describe('base_url: no userinfo, query, fragment or dot-segment; plain http only to loopback (in process)', () => {
  const contract = loadContract();
  const env = { GT_BAD_INPUT_CHAT: SECRET };
  const key = { name: 'chat', preset: 'openai-chat', secret_env: 'GT_BAD_INPUT_CHAT' };
  const errorsFor = (baseUrl: string, insecureHttp = false) =>
    loadTargetFile(write(`url-${Math.random().toString(36).slice(2, 8)}.yaml`, stringify({ base_url: baseUrl, keys: [key] })), contract, env, true, { insecureHttp }).errors.map(formatInputError);
  const refused: Array<[string, string, string]> = [
    ['a password', 'https://ops:hunter2-secret@tenant.example.com/api/tenant', 'holds a user name or password before the host (user:…@host); remove it: the keys are sent as bearer tokens, and the URL is written in the reports'],
    ['a user name without scheme', 'ops:hunter2-secret@tenant.example.com/api/tenant', 'holds a user name or password before the host (user:…@host); remove it: the keys are sent as bearer tokens, and the URL is written in the reports'],
    ['a query', 'https://tenant.example.com/api/tenant?token=abc', 'holds a query (?…); give the scheme, host and path only'],
    ['a fragment', 'https://tenant.example.com/api/tenant#top', 'holds a fragment (#…); give the scheme, host and path only'],
    ['..', 'https://tenant.example.com/api/../tenant', 'holds the dot-segment ".." in its path; write the path without . or .. segments'],
    ['.', 'https://tenant.example.com/./api/tenant', 'holds the dot-segment "." in its path; write the path without . or .. segments'],
    ['an encoded ..', 'https://tenant.example.com/api/%2e%2E/tenant', 'holds the dot-segment "%2e%2E" in its path; write the path without . or .. segments'],
    ['a half-encoded ..', 'https://tenant.example.com/api/.%2e/tenant', 'holds the dot-segment ".%2e" in its path; write the path without . or .. segments'],
    ['a backslash', 'https://tenant.example.com/api\\..\\tenant', 'holds a backslash; separate the path with /'],
    ['another scheme', 'ftp://tenant.example.com/api/tenant', '"ftp://tenant.example.com/api/tenant" uses ftp://; write https://<tenant-host>/api/tenant'],
    ['plain http to a remote host', 'http://tenant.example.com/api/tenant', 'plain http:// to tenant.example.com would send the keys unencrypted; use https://, or pass --insecure-http to allow it'],
    ['plain http to 128.0.0.1', 'http://128.0.0.1:8787/api/tenant', 'plain http:// to 128.0.0.1:8787 would send the keys unencrypted; use https://, or pass --insecure-http to allow it'],
  ];
  for (const [what, url, message] of refused) {
    it(`refuses ${what} with one positioned line`, () => {
      const errors = errorsFor(url);
      expect(errors).toEqual([expect.stringMatching(/^[^:]+\.yaml:1:11: base_url: /)]);
      expect(errors[0].replace(/^[^:]+\.yaml:1:11: base_url: /, '')).toBe(message);
      expect(errors[0]).not.toContain('hunter2');
    });
  }
  it('takes plain http to loopback (127.0.0.0/8, ::1, localhost), and to any host with --insecure-http', () => {
    for (const url of ['http://127.0.0.1:8787/api/tenant', 'http://127.9.9.9/api/tenant', 'http://[::1]:8787/api/tenant', 'http://localhost/api/tenant', 'https://tenant.example.com/api/tenant']) expect(errorsFor(url), url).toEqual([]);
    expect(errorsFor('http://tenant.example.com/api/tenant', true)).toEqual([]);
  });
});

describe('a secret env var that cannot hold a GT key is refused, naming the env var, never the value (in process)', () => {
  const contract = loadContract();
  const file = write('secret-shape.yaml', stringify({ base_url: 'https://tenant.example.com/api/tenant', keys: [{ name: 'chat', preset: 'openai-chat', secret_env: 'GT_BAD_INPUT_SHAPE' }] }));
  const cases: Array<[string, string, string]> = [
    ['no gtak_ prefix', 'sk-live-0123456789abcdefSECRET', 'it does not start with gtak_'],
    ['a trailing newline', `${SECRET}\n`, 'it holds whitespace or a line break'],
    ['a space inside', 'gtak_0123456789 abcdefSECRET', 'it holds whitespace or a line break'],
    ['a control character', 'gtak_0123456789\u0007abcdefSECRET', 'it holds a control character'],
    ['too short', 'gtak_SECRET', 'it is 11 characters long; a GT key is gtak_ and 8 to 512 more'],
    ['too long', `gtak_${'S'.repeat(600)}`, 'it is 605 characters long; a GT key is gtak_ and 8 to 512 more'],
    ['a quote', 'gtak_0123456789"abcdefSECRET', 'it holds characters a bearer token cannot (after gtak_: letters, digits, - . _ ~ + / and = at the end)'],
  ];
  for (const [what, value, reason] of cases) {
    it(`${what}: one line at keys[0].secret_env`, () => {
      const errors = loadTargetFile(file, contract, { GT_BAD_INPUT_SHAPE: value }).errors.map(formatInputError);
      expect(errors).toEqual([`${file}:5:17: keys[0].secret_env: environment variable GT_BAD_INPUT_SHAPE cannot hold a GT key: ${reason} (the value is not shown)`]);
      expect(errors[0]).not.toContain('SECRET');
    });
  }
  it('takes a GT key, and checks nothing for plan (secrets not required)', () => {
    expect(loadTargetFile(file, contract, { GT_BAD_INPUT_SHAPE: SECRET }).errors).toEqual([]);
    expect(loadTargetFile(file, contract, { GT_BAD_INPUT_SHAPE: 'not-a-key' }, false).errors).toEqual([]);
  });
});

describe('a tenant answer of 10 MB', () => {
  it('fails the checks that read it with a clear message, keeps memory bounded and every other result intact', async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const huge = { matches: (r: { method: string; path: string }) => r.method === 'GET' && r.path.endsWith('/v1/models'), fault: { kind: 'huge-body' as const, bytes: 10 * 1024 * 1024 } };
    const run = await runThroughProxy(huge);
    clearInterval(sampler);

    expect(run.picked.length).toBeGreaterThan(5);
    expect(run.results).toHaveLength(run.plan.checks.length);
    const failed = run.results.filter((r) => r.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(5);
    for (const r of failed) {
      expect(r.checkId, r.message.slice(0, 200)).toMatch(/\/models\/|\/checklist\/\d+-(chat-with-alias|models-match-allowlist|revoked-key-fails-closed)$|^cross-cutting\/models\//);
      expect(r.message.length, `${r.checkId}: a message stays short`).toBeLessThan(4_000);
    }
    const plainList = run.probeResults.get('models:call:openai-chat')!;
    expect(plainList.status).toBe('failed');
    expect(plainList.message).toMatch(/^models with key openai-chat: answered 200 with a body larger than 1048576 bytes/);
    // the client stops reading at 1 MiB: the rest is never downloaded
    expect(plainList.exchanges[0].response!.bytes).toBe(1024 * 1024);
    expect(run.results.filter((r) => r.outcome === 'passed').length).toBeGreaterThan(40);
    expect((peak - before) / 1024 / 1024, 'MiB of RSS growth').toBeLessThan(400);
  });
});
