// The curl reproduction of a failed check: what the shell hands curl is exactly what was recorded (a hostile
// URL or body cannot run anything), the key comes from "$ENV_VAR", and the command really reproduces the
// request against a tenant.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../../src/http/client.ts';
import type { Exchange } from '../../src/model.ts';
import { projectRoot } from '../../src/paths.ts';
import { curlCommand, parseMultipartRecord, reproduction, shellQuote } from '../../src/report/curl.ts';
import type { ReportCheck } from '../../src/report/report-model.ts';
import { keyEnvName, placeholderEnv } from '../../src/targets/key-env.ts';
import { startTenant, type RunningTenant } from '../../src/tenant/index.ts';
import { startMockProcess } from '../ci/mock-process.ts';

const run = promisify(execFile);

/** Runs the command in bash with `curl` replaced by a function that prints each argument it gets, NUL-terminated. */
async function argvOf(command: string, env: Record<string, string> = {}, cwd = mkdtempSync(path.join(os.tmpdir(), 'gt-curl-'))): Promise<{ args: string[]; cwd: string }> {
  const script = `curl() { printf '%s\\0' "$@"; }\n${command}\n`;
  const { stdout } = await run('bash', ['-c', script], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
  return { args: stdout.split('\0').slice(0, -1), cwd };
}

function exchange(request: Partial<Exchange['request']>, response?: Exchange['response']): Exchange {
  return {
    label: 'probe',
    request: { method: 'POST', url: 'https://gt.example/api/tenant/v1/chat/completions', headers: {}, ...request },
    ...(response ? { response } : {}),
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 4,
  };
}

function failedCheck(exchanges: Exchange[], extra: Partial<ReportCheck> = {}): ReportCheck {
  return { id: 'p/chat/works', group: 'route', title: 'chat works', severity: 'critical', outcome: 'failed', message: 'no', ran: true, exchanges, ...extra };
}

describe('shellQuote and the command line', () => {
  it('hands curl the recorded URL, headers and body byte for byte, however hostile', async () => {
    const hostile = `x'$(touch PWNED)'\`touch PWNED\`"$(touch PWNED)";touch PWNED;\n$HOME`;
    const url = `https://gt.example/api/tenant/v1/files/${encodeURI(hostile)}?q=${hostile}`;
    const body = JSON.stringify({ model: hostile, messages: [{ role: 'user', content: hostile }] });
    const e = exchange({ url, body, headers: { authorization: 'Bearer gtak_****abcd', 'content-type': 'application/json', 'x-gt-conversation-id': hostile, 'content-length': '99' } });
    const { args, cwd } = await argvOf(curlCommand(e, { keyEnv: 'GT_KEY_CHAT' }), { GT_KEY_CHAT: 'the-secret-from-env' });
    expect(args).toEqual([
      '-i',
      url,
      ...['-H', 'Authorization: Bearer the-secret-from-env'],
      ...['-H', 'content-type: application/json'],
      ...['-H', `x-gt-conversation-id: ${hostile}`],
      ...['--data-raw', body],
    ]);
    expect(existsSync(path.join(cwd, 'PWNED'))).toBe(false);
  });

  it('quotes a single quote the POSIX way', () => {
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });

  it('never writes a recorded credential, only the env var', () => {
    const e = exchange({ headers: { authorization: 'Bearer gtak_****abcd', 'x-api-key': 'gtak_****abcd', cookie: 'session=1' }, body: '{}' });
    const command = curlCommand(e, { keyEnv: 'GT_KEY_OPENAI_CHAT' });
    expect(command).toContain('-H "Authorization: Bearer $GT_KEY_OPENAI_CHAT"');
    expect(command).not.toMatch(/gtak_|x-api-key|cookie/i);
  });

  it('names $GT_KEY, with a note, when the key is not a target key, and refuses an env name the shell would run', () => {
    const e = exchange({ headers: { authorization: 'Bearer ****-key' }, body: '{}' });
    expect(curlCommand(e, { keyPreset: 'openai-chat' })).toMatch(/^# GT_KEY: the key to present \(key preset openai-chat\)\ncurl -i .*-H "Authorization: Bearer \$GT_KEY"/s);
    expect(curlCommand(e, { keyEnv: 'X$(touch PWNED)' })).toContain('$GT_KEY"');
    expect(curlCommand(e, { keyPreset: '@unknown' }).split('\n')[0]).toBe('# GT_KEY: a well-formed gtak_ key that the tenant never issued');
  });

  it('sends GET without -X and a bodiless POST with it, and streams with -N', () => {
    expect(curlCommand(exchange({ method: 'GET', url: 'https://gt.example/api/tenant/v1/models' }))).toBe("curl -i 'https://gt.example/api/tenant/v1/models'");
    expect(curlCommand(exchange({ body: undefined }))).toContain("curl -i -X POST 'https://");
    expect(curlCommand(exchange({ body: '{"stream":true}' }))).toMatch(/^curl -i -N /);
  });

  it('says when the recorded body was cut', () => {
    const command = curlCommand(exchange({ body: `{"input":"${'a'.repeat(10)} … (9000 bytes in all)` }));
    expect(command.split('\n')[0]).toBe('# the recorded body was cut at 4 KiB: complete it before sending');
    expect(command).not.toContain('bytes in all');
  });
});

describe('multipart bodies', () => {
  it('parses the record of a multipart body, quoted values included', () => {
    expect(parseMultipartRecord('model="whisper; x=\\"y\\""; file=tone.wav <4044 bytes audio/wav>')).toEqual([
      { name: 'model', value: 'whisper; x="y"' },
      { name: 'file', filename: 'tone.wav', bytes: 4044, contentType: 'audio/wav' },
    ]);
    expect(parseMultipartRecord('not a record')).toBeUndefined();
  });

  it('sends fields with --form-string and files from fixtures/files, under the recorded name', async () => {
    const e = exchange({
      url: 'https://gt.example/api/tenant/v1/datasets/reference-briefs/files',
      headers: { 'content-type': 'multipart/form-data; boundary=----x', authorization: 'Bearer gtak_****abcd' },
      body: 'model="@/etc/passwd"; file=quarterly_notes.txt <120 bytes text/plain>; audio=tone.wav <4044 bytes audio/wav>',
    });
    const command = curlCommand(e, { keyEnv: 'UPLOAD_KEY' });
    const { args } = await argvOf(command, { UPLOAD_KEY: 'k' });
    expect(args).toEqual([
      '-i',
      'https://gt.example/api/tenant/v1/datasets/reference-briefs/files',
      '-H',
      'Authorization: Bearer k',
      '--form-string',
      'model=@/etc/passwd',
      '-F',
      'file=@fixtures/files/brief.txt;filename=quarterly_notes.txt;type=text/plain',
      '-F',
      'audio=@fixtures/files/tone.wav;type=audio/wav',
    ]);
    expect(command).toContain('# the uploaded file is a stand-in from fixtures/files/');
  });
});

describe('reproduction of a check', () => {
  const models = exchange({ method: 'GET', url: 'http://127.0.0.1:41234/api/tenant/v1/models', headers: { authorization: 'Bearer gtak_****abcd' } });

  it('is only for failed checks with an exchange', () => {
    const target = { target: { kind: 'live' as const, host: 'gt.example' } };
    expect(reproduction(failedCheck([models], { outcome: 'passed' }), target)).toBeUndefined();
    expect(reproduction(failedCheck([]), target)).toBeUndefined();
    expect(reproduction(failedCheck([models], { keyEnv: 'GT_KEY_CHAT', keyPreset: 'openai-chat' }), target)).toContain('$GT_KEY_CHAT');
  });

  it('points an embedded run at gt-conformance mock on its default port, and keeps a live URL', () => {
    const embedded = reproduction(failedCheck([models], { keyEnv: 'GT_KEY_OPENAI_CHAT' }), { target: { kind: 'embedded', host: '127.0.0.1:41234' } })!;
    expect(embedded).toContain("'http://127.0.0.1:8787/api/tenant/v1/models'");
    expect(embedded.split('\n')[0]).toMatch(/gt-conformance mock/);
    const live = reproduction(failedCheck([models], { keyEnv: 'GT_KEY_CHAT' }), { target: { kind: 'live', host: '127.0.0.1:41234' } })!;
    expect(live).toContain("'http://127.0.0.1:41234/api/tenant/v1/models'");
  });

  it('gives each distinct request once, the last three', () => {
    const poll = (n: number) => exchange({ method: 'GET', url: `https://gt.example/api/tenant/v1/files/f${n}` });
    const text = reproduction(failedCheck([poll(1), poll(2), poll(2), poll(3), poll(4), poll(4)]), { target: { kind: 'live', host: 'gt.example' } })!;
    expect(text.match(/^curl /gm)).toHaveLength(3);
    expect(text).not.toContain('/f1');
  });
});

describe('key env names', () => {
  it('uses the live key secret_env, else GT_KEY_<NAME>', () => {
    expect(placeholderEnv('openai-chat+embed')).toBe('GT_KEY_OPENAI_CHAT_EMBED');
    expect(placeholderEnv('conversation-app.inference')).toBe('GT_KEY_CONVERSATION_APP_INFERENCE');
    const key = { name: 'chat', purpose: 'inference' as const, scopes: [], models: [], datasets: [], hidden_models: [], family: 'a' };
    expect(keyEnvName({ ...key, secret_env: 'STAGING_CHAT_KEY' })).toBe('STAGING_CHAT_KEY');
    expect(keyEnvName(key)).toBe('GT_KEY_CHAT');
  });
});

describe('against a tenant', () => {
  let tenant: RunningTenant;
  let http: HttpClient;
  beforeAll(async () => {
    tenant = await startTenant({ processingMs: 0 });
    http = createHttpClient({ baseUrl: tenant.baseUrl, timeoutMs: 10_000, concurrency: 2 });
  });
  afterAll(async () => {
    await http.close();
    await tenant.close();
  });

  /** Sends the reproduction with real curl from the project folder, the key in its env var; the status line it prints. */
  async function replay(e: Exchange, keyName: string): Promise<string> {
    const env = keyEnvName(tenant.target.keys.find((k) => k.name === keyName)!);
    const command = curlCommand(e, { keyEnv: env }).replace(/^curl -i /m, 'curl -sS -i ');
    const { stdout } = await run('bash', ['-c', command], { cwd: projectRoot, env: { PATH: process.env.PATH ?? '', [env]: tenant.secrets[keyName] } });
    return stdout.split('\r\n')[0];
  }

  it('reproduces a JSON request: the same answer status as the recorded one', async () => {
    const answer = await http.send({ label: 'chat', method: 'POST', path: '/v1/chat/completions', bearer: tenant.secrets['openai-chat'], json: { model: 'mission-agent', messages: [{ role: 'user', content: "it's $HOME" }] } });
    expect(answer.status).toBe(200);
    expect(await replay(answer.exchange, 'openai-chat')).toBe('HTTP/1.1 200 OK');
  });

  it('reproduces a multipart upload with the fixture file', async () => {
    const answer = await http.send({
      label: 'upload',
      method: 'POST',
      path: '/v1/datasets/reference-briefs/files',
      bearer: tenant.secrets['dataset-upload'],
      multipart: { fields: {}, files: [{ field: 'file', filename: 'brief_copy.txt', contentType: 'text/plain', bytes: new TextEncoder().encode('hello') }] },
    });
    expect(answer.status).toBeGreaterThanOrEqual(200);
    expect(answer.status).toBeLessThan(300);
    expect(await replay(answer.exchange, 'dataset-upload')).toMatch(new RegExp(`^HTTP/1.1 ${answer.status} `));
  });

  it('reproduces a denial: the wrong key is still refused', async () => {
    const answer = await http.send({ label: 'upload key chats', method: 'POST', path: '/v1/chat/completions', bearer: tenant.secrets['dataset-upload'], json: { model: 'mission-agent', messages: [{ role: 'user', content: 'x' }] } });
    expect(await replay(answer.exchange, 'dataset-upload')).toBe(`HTTP/1.1 ${answer.status} ${answer.status === 403 ? 'Forbidden' : 'Not Found'}`);
  });
});

describe('gt-conformance mock --export-keys', () => {
  const bin = path.join(projectRoot, 'bin', 'gt-conformance.js');

  it('writes the exports the reproductions name (mode 600), which make the curl command work, and removes them on stop', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-envfile-'));
    const keysFile = path.join(dir, 'gt-keys.env');
    const mock = await startMockProcess(process.execPath, [bin, 'mock', '--port', '0', '--export-keys', keysFile], { cwd: projectRoot });
    try {
      expect(statSync(keysFile).mode & 0o777).toBe(0o600);
      const text = readFileSync(keysFile, 'utf8');
      expect(text).toMatch(/^export GT_KEY_OPENAI_CHAT='gtak_[A-Za-z0-9_-]+'$/m);
      expect(mock.stdout()).toContain(`$GT_KEY_OPENAI_CHAT for openai-chat; ${keysFile} exports them all`);
      const e = exchange({ method: 'GET', url: `${mock.baseUrl}/v1/models`, headers: { authorization: 'Bearer gtak_****abcd' } });
      const command = `. ${shellQuote(keysFile)}\n${curlCommand(e, { keyEnv: 'GT_KEY_OPENAI_CHAT' }).replace('curl -i', 'curl -sS -i')}`;
      const { stdout } = await run('bash', ['-c', command], { env: { PATH: process.env.PATH ?? '' } });
      expect(stdout.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    } finally {
      expect(await mock.stop()).toBe(0);
    }
    expect(existsSync(keysFile)).toBe(false);
  });

  it('refuses to overwrite a file it did not write: one line, exit 2, the file unchanged', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gt-envfile-')), 'mine.env');
    writeFileSync(file, 'export MY=1\n');
    const result = await run(process.execPath, [bin, 'mock', '--port', '0', '--export-keys', file], { cwd: projectRoot }).catch((err: { code: number; stderr: string }) => err);
    expect(result).toMatchObject({ code: 2, stderr: `gt-conformance mock: --export-keys ${file}: the file exists and was not written by gt-conformance mock; not overwriting it\n` });
    expect(readFileSync(file, 'utf8')).toBe('export MY=1\n');
  });
});
