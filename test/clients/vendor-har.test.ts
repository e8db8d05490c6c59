// Vendor mode on real traffic: the real openai package in Chromium calls the embedded tenant; Chromium's HAR
// (recorded by Playwright, with the raw key in it, as real HARs have) and the tenant's own JSON lines of the
// same session are checked with verify-client, and --suggest-runbook writes what the traffic shows.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { verify } from './verify-cli.ts';
import { productFile } from '../fixtures/products.ts';
import { loadContract } from '../../src/contract/load.ts';
import { loadProfileFile } from '../../src/clients/load.ts';
import { parseTrafficText, tenantPathOf } from '../../src/clients/traffic.ts';
import { loadRunbooks } from '../../src/runbook/load.ts';
import { startTenant, type RunningTenant } from '../../src/tenant/index.ts';
import { browserSkipReason } from '../reporters/browser.ts';
import { leaksIn } from '../reporters/secrets-scan.ts';
import { recordHar } from './har-traffic.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-vendor-har-'));
let tenant: RunningTenant;
const recorded: string[] = [];
/** the good session: base URL ending in /v1 */
let har: string;
let jsonl: string;
/** the product configured as the runbooks document it (no /v1) */
let shortHar: string;
let secrets: string[];

const SESSION = `
  const sdk = (key, url = base + '/v1') => new OpenAI({ baseURL: url, apiKey: secrets[key], dangerouslyAllowBrowser: true, maxRetries: 0 });
  await sdk('openai-chat').models.list();
  await sdk('openai-chat').chat.completions.create({ model: 'mission-agent', messages: [{ role: 'user', content: 'ping' }], max_tokens: 8 });
  const stream = await sdk('openai-chat').chat.completions.create({ model: 'mission-agent', messages: [{ role: 'user', content: 'ping' }], stream: true });
  for await (const chunk of stream) void chunk;
  await sdk('openai-chat+embed').embeddings.create({ model: 'mission-agent', input: ['a', 'b'] });
  await sdk('openai-chat+transcribe').audio.transcriptions.create({ model: 'mission-agent', file: await toFile(new Uint8Array(wav), 'tone.wav', { type: 'audio/wav' }) });
`;

describe.skipIf(!!browserSkipReason())('verify-client on a HAR from Chromium', () => {
  beforeAll(async () => {
    tenant = await startTenant({ record: (entry) => recorded.push(JSON.stringify(entry)) });
    secrets = Object.values(tenant.secrets);
    har = path.join(dir, 'session.har');
    await recordHar(tenant, har, SESSION);
    jsonl = path.join(dir, 'session.jsonl');
    writeFileSync(jsonl, `${recorded.join('\n')}\n`);
    const from = recorded.length;
    shortHar = path.join(dir, 'short.har');
    await recordHar(tenant, shortHar, `await new OpenAI({ baseURL: base, apiKey: secrets['openai-chat'], dangerouslyAllowBrowser: true, maxRetries: 0 }).models.list().catch(() => undefined);`);
    expect(recorded.length - from).toBe(1);
  });
  afterAll(() => tenant?.close());
  afterEach(() => vi.restoreAllMocks());

  it('reads the same requests from the HAR as the tenant saw, and leaves the page and its modules out', () => {
    const text = readFileSync(har, 'utf8');
    expect(secrets.some((s) => text.includes(s))).toBe(true); // a real HAR carries the key in the clear
    const traffic = parseTrafficText(text, har);
    expect(traffic.format).toBe('har');
    const seenByTenant = recorded.slice(0, 5).map((l) => JSON.parse(l) as { method: string; path: string });
    expect(traffic.lines.map((l) => `${l.entry.method} ${l.entry.path}`)).toEqual(seenByTenant.map((e) => `${e.method} ${e.path}`));
    expect(traffic.leftOut.length).toBeGreaterThan(10);
    expect(traffic.leftOut.every((r) => /^GET http:\/\/127\.0\.0\.1:\d+\/sdk\//.test(r))).toBe(true);
    expect(traffic.lines[0].entry.headers.authorization).toMatch(/^Bearer gtak_\*{4}[A-Za-z0-9_-]{4}$/);
    expect(leaksIn(JSON.stringify(traffic), secrets)).toEqual([]);
  });

  it('passes the openai-sdk runbook, with a note on what was left out, and prints no secret', async () => {
    const { code, out } = await verify('--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), har);
    expect(out.at(-1)).toBe('OpenAI SDK / curl: 5 requests checked, no problems');
    expect(out).toContainEqual(expect.stringMatching(new RegExp(`^${har}: note: \\d+ requests not under /api/tenant left out \\(GET http://127\\.0\\.0\\.1:\\d+/sdk/page\\.html, `)));
    expect(code).toBe(0);
    expect(leaksIn(out.join('\n'), secrets)).toEqual([]);
  });

  it('names the HAR entry of a call the runbook marks not_supported (Open WebUI never transcribes)', async () => {
    const entries = (JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: Array<{ request: { url: string } }> } }).log.entries;
    const index = entries.findIndex((e) => e.request.url.endsWith('/v1/audio/transcriptions'));
    const { code, out } = await verify('--product', 'open-webui', '--runbook', productFile('open-webui'), har);
    expect(out).toContain(`${har}: log.entries[${index}]: POST /api/tenant/v1/audio/transcriptions: the runbook marks transcriptions not_supported: Not on the path of Open WebUI's default OpenAI connection.`);
    expect(code).toBe(1);
  });

  it('tells the formats by content, not by name, and both give the same verdict', async () => {
    const harNamedJsonl = path.join(dir, 'really-a-har.jsonl');
    const jsonlNamedHar = path.join(dir, 'really-jsonl.har');
    copyFileSync(har, harNamedJsonl);
    copyFileSync(jsonl, jsonlNamedHar);
    const a = await verify('--product', 'open-webui', '--runbook', productFile('open-webui'), harNamedJsonl);
    const b = await verify('--product', 'open-webui', '--runbook', productFile('open-webui'), jsonlNamedHar);
    expect(a.out.at(-1)).toBe('Open WebUI: 5 requests checked, 1 problem');
    expect(b.out.at(-1)).toBe(a.out.at(-1));
  });

  it('maps the absolute URLs of a proxy recording (mitmproxy-style: a path prefix, Title-Case headers) to tenant paths', async () => {
    const parsed = JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: Array<{ request: { url: string; headers: Array<{ name: string; value: string }> } }> } };
    for (const e of parsed.log.entries) {
      e.request.url = e.request.url.replace(/^http:\/\/127\.0\.0\.1:\d+/, 'https://gateway.example/gt');
      for (const h of e.request.headers) h.name = h.name.replace(/(^|-)(\w)/g, (_, dash: string, c: string) => dash + c.toUpperCase());
    }
    const proxied = path.join(dir, 'proxied.har');
    writeFileSync(proxied, JSON.stringify(parsed));
    const { code, out } = await verify('--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), proxied);
    expect(out.at(-1)).toBe('OpenAI SDK / curl: 5 requests checked, no problems');
    expect(code).toBe(0);
    expect(tenantPathOf('https://gateway.example/gt/api/tenant/v1/files/f1?x=1')).toBe('/api/tenant/v1/files/f1?x=1');
    expect(tenantPathOf('https://gateway.example/api/tenantless/v1/models')).toBeUndefined();
  });

  it('refuses a HAR without entries, or without a request to the tenant: one line, exit 2', async () => {
    const empty = path.join(dir, 'empty.har');
    writeFileSync(empty, JSON.stringify({ log: { version: '1.2' } }));
    expect(await verify('--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), empty)).toMatchObject({ code: 2, err: [`gt-conformance verify-client: ${empty}: log.entries: a HAR file needs a log with an entries array`] });
    const elsewhere = path.join(dir, 'elsewhere.har');
    writeFileSync(elsewhere, JSON.stringify({ log: { version: '1.2', entries: [{ request: { method: 'GET', url: 'https://example.org/' } }] } }));
    expect(await verify('--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), elsewhere)).toMatchObject({
      code: 2,
      err: [`gt-conformance verify-client: ${elsewhere}: no recorded request under /api/tenant in the file (1 went elsewhere, e.g. GET https://example.org/)`],
    });
  });

  describe('--suggest-runbook', () => {
    it('writes the routes and the client profile the traffic shows, both loadable, with no secret in them', async () => {
      const out = path.join(dir, 'suggest', 'open-webui.yaml');
      mkdirSync(path.dirname(out), { recursive: true });
      const result = await verify('--product', 'open-webui', '--runbook', productFile('open-webui'), '--suggest-runbook', out, har);
      expect(result.code).toBe(1); // the verdict of the traffic stays the exit code
      const profileFile = path.join(dir, 'suggest', 'open-webui-observed.yaml');
      expect(result.out.at(-1)).toBe(`wrote ${out} (the route table the traffic shows) and ${profileFile} (the client profile it shows); 3 disagreements with ${productFile('open-webui')}`);

      const contract = loadContract();
      const { profile, errors } = loadProfileFile(profileFile, contract);
      expect(errors).toEqual([]);
      expect(Object.keys(profile!.profile.routes)).toEqual(['models', 'chat', 'embeddings', 'transcriptions']);
      expect(profile!.profile.routes.embeddings).toMatchObject({ path: '/embeddings', input: 'array', encoding_format: 'base64' });
      expect(profile!.profile.routes.chat).toMatchObject({ stream: { default: false, sends_false: false }, max_tokens: { field: 'max_tokens', default: null }, user: false });
      expect(profile!.profile.routes.transcriptions).toMatchObject({ content: 'multipart', multipart_fields: expect.arrayContaining(['file', 'model']) });
      expect(profile!.profile.headers.others).toContain('X-Stainless-Lang');

      const suggested = loadRunbooks([out], contract);
      expect(suggested.errors).toEqual([]);
      const rows = Object.fromEntries(suggested.runbooks[0].runbook.routes.map((r) => [r.route, r.verdict]));
      expect(rows).toMatchObject({ models: 'native', chat: 'native', embeddings: 'native', transcriptions: 'native', speech: 'not_supported' });
      expect(readFileSync(out, 'utf8')).toMatch(/# observed 1× POST \/api\/tenant\/v1\/audio\/transcriptions; multipart parts (file, model|model, file); the runbook says not_supported\n  - route: transcriptions/);
      for (const f of [out, profileFile]) expect(leaksIn(readFileSync(f, 'utf8'), secrets)).toEqual([]);
    });

    it('lists where the runbook disagrees: a not_supported route called, a native route never called, a documented base URL short of /v1', async () => {
      const out = path.join(dir, 'openai-sdk.suggested.yaml');
      const { out: lines } = await verify('--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), '--suggest-runbook', out, har);
      const disagreements = lines.filter((l) => l.includes('the runbook disagrees'));
      expect(disagreements).toEqual([
        `${productFile('openai-sdk')}:49: the runbook disagrees with the traffic: speech is native, but the product never called it in this traffic`,
        `${productFile('openai-sdk')}:53: the runbook disagrees with the traffic: images is native, but the product never called it in this traffic`,
        expect.stringMatching(
          /^test\/fixtures\/runbooks\/products\/openai-sdk\.yaml:25: the runbook disagrees with the traffic: OPENAI_BASE_URL \/ new OpenAI\(\{ baseURL \}\) is documented as https:\/\/<tenant-host>\/api\/tenant, which ends in \/api\/tenant, not where the contract's routes start \(\/api\/tenant\/v1\): the product would call \/api\/tenant\/models \(no GT route\), likewise .*; in the traffic it called \/api\/tenant\/v1\/models$/,
        ),
      ]);
      const webui = await verify('--product', 'open-webui', '--runbook', productFile('open-webui'), '--suggest-runbook', path.join(dir, 'webui.yaml'), har);
      expect(webui.out).toContain(
        `${productFile('open-webui')}:43: the runbook disagrees with the traffic: transcriptions is not_supported, but the product called it 1× (first at ${har}: log.entries[${(JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: Array<{ request: { url: string } }> } }).log.entries.findIndex((e) => e.request.url.endsWith('/audio/transcriptions'))}]: POST /api/tenant/v1/audio/transcriptions)`,
      );
    });

    it('says when the product itself was given a base URL that stops short of /v1', async () => {
      const { out } = await verify('--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), '--suggest-runbook', path.join(dir, 'short.yaml'), shortHar);
      expect(out).toContainEqual(
        expect.stringMatching(/^test\/fixtures\/runbooks\/products\/openai-sdk\.yaml: the runbook disagrees with the traffic: the product's base URL ends in \/api\/tenant, not where the contract's routes start \(\/api\/tenant\/v1\): it called GET \/api\/tenant\/models \(.*short\.har: log\.entries\[\d+\]\), which is no GT route$/),
      );
      expect(out.at(-1)).toMatch(/^--suggest-runbook: no request in .*short\.har reached a GT route, so there is no route table or client profile to suggest; nothing written$/);
      expect(existsSync(path.join(dir, 'short.yaml'))).toBe(false);
    });

    it('never overwrites a file it did not write, and rewrites its own', async () => {
      const mine = path.join(dir, 'notes.yaml');
      writeFileSync(mine, 'my notes\n');
      expect(await verify('--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), '--suggest-runbook', mine, jsonl)).toMatchObject({
        code: 2,
        err: [`gt-conformance verify-client: --suggest-runbook ${mine}: the file exists and was not written by gt-conformance verify-client --suggest-runbook; not overwriting it`],
      });
      expect(readFileSync(mine, 'utf8')).toBe('my notes\n');
      const own = path.join(dir, 'again.yaml');
      expect((await verify('--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), '--suggest-runbook', own, jsonl)).code).toBe(0);
      expect((await verify('--product', 'openai-sdk', '--runbook', productFile('openai-sdk'), '--suggest-runbook', own, jsonl)).code).toBe(0);
    });
  });
});
