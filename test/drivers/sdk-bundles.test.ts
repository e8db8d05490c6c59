// The build's SDK bundles (src/drivers/sdk/bundles.ts, scripts/bundle-sdks.js): the compiled harness loads
// them while they hold the installed versions, and the three drivers work from them as they do from the
// packages. Run in a plain Node child, as the installed CLI runs: vitest would transform the bundles.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleOrPackage, manifestFile, manifestIsCurrent, SDK_BUNDLES, type BundleManifest } from '../../src/drivers/sdk/bundles.ts';
import { projectRoot } from '../../src/paths.ts';
import { productFiles } from '../fixtures/products.ts';

// In a child, asynchronously: the test's own guard (testTimeout) bounds it, and the worker is not blocked.
const nodeScript = async (script: string, ...args: string[]) =>
  (await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, ...args], { cwd: projectRoot, encoding: 'utf8' })).stdout;

const manifest = (name: (typeof SDK_BUNDLES)[number]) => JSON.parse(readFileSync(manifestFile(name), 'utf8')) as BundleManifest;

describe('a bundle manifest', () => {
  it('names every package bundled, the SDK itself among them, with its installed version', () => {
    expect(manifest('openai').packages.map((p) => p.name)).toEqual(['openai']);
    // zod and openai are chunks two bundles share (scripts/bundle-sdks.js): each manifest names what its chunks hold too
    expect(manifest('ai').packages.map((p) => p.name)).toEqual(expect.arrayContaining(['ai', '@ai-sdk/openai', '@ai-sdk/openai-compatible', 'zod']));
    expect(manifest('langchain').packages.map((p) => p.name)).toEqual(expect.arrayContaining(['@langchain/openai', '@langchain/core', 'openai', 'zod']));
    for (const name of SDK_BUNDLES) expect(manifestIsCurrent(manifest(name)), name).toBe(true);
  });

  it('is not current when a package has another version, is missing, or there is none', () => {
    const openai = manifest('openai');
    expect(manifestIsCurrent({ packages: [{ ...openai.packages[0], version: '0.0.1' }] })).toBe(false);
    expect(manifestIsCurrent({ packages: [...openai.packages, { dir: 'node_modules/no-such-package', name: 'no-such-package', version: '1.0.0' }] })).toBe(false);
    expect(manifestIsCurrent({ packages: [] })).toBe(false);
  });
});

describe('a bundle that fails to load', () => {
  it('gives way to the package, and a working bundle is used as it is', async () => {
    const brokenModule = 'data:text/javascript,export const x = ;'; // a syntax error, as a cut-off file gives
    const broken = () => import(brokenModule) as Promise<{ x: string }>;
    expect(await bundleOrPackage(broken, async () => ({ x: 'package' }))).toEqual({ x: 'package' });
    expect(await bundleOrPackage(async () => ({ x: 'bundle' }), async () => ({ x: 'package' }))).toEqual({ x: 'bundle' });
  });
});

// Starts the compiled embedded tenant and calls it with each compiled driver; prints one JSON line.
const script = `
const { startTenant } = await import('./dist/src/tenant/index.js');
const { createDriver, createRecordingFetch, SDK_DRIVERS } = await import('./dist/src/drivers/index.js');
const { sdkSource, SDK_BUNDLES } = await import('./dist/src/drivers/sdk/bundles.js');
const tenant = await startTenant({ freshSecrets: true });
const apiKey = tenant.secrets['chat-embeddings'];
const out = { sources: Object.fromEntries(SDK_BUNDLES.map((n) => [n, sdkSource(n)])), drivers: {} };
for (const id of SDK_DRIVERS) {
  const recorder = createRecordingFetch({ secrets: [apiKey], label: id, timeoutMs: 60000 });
  const driver = await createDriver(id, { baseUrl: tenant.baseUrl + '/v1', apiKey, fetch: recorder.fetch });
  const chat = await driver.chat({ model: 'mission-agent', prompt: 'Reply with one word: ping.', maxTokens: 16 });
  const stream = await driver.chatStream({ model: 'mission-agent', prompt: 'Reply with one word: ping.', maxTokens: 16 });
  const vectors = await driver.embed({ model: 'research-agent', inputs: ['first probe text', 'second probe text'] });
  await recorder.settled();
  out.drivers[id] = { library: driver.library, chat: chat.content.length > 0, chunks: stream.chunks, vectors: vectors.map((v) => v.length), paths: recorder.exchanges.map((e) => new URL(e.request.url).pathname) };
}
await tenant.close();
console.log(JSON.stringify(out));
`;

describe('the compiled drivers, from the bundles', () => {
  it('load every SDK from its bundle and chat, stream and embed against the embedded tenant', async () => {
    const stdout = await nodeScript(script);
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      sources: Record<string, string>;
      drivers: Record<string, { library: string; chat: boolean; chunks: number; vectors: number[]; paths: string[] }>;
    };
    expect(out.sources).toEqual({ openai: 'bundle', ai: 'bundle', langchain: 'bundle' });
    for (const [id, d] of Object.entries(out.drivers)) {
      expect(d.chat, id).toBe(true);
      expect(d.chunks, id).toBeGreaterThan(1);
      expect(d.vectors, id).toHaveLength(2);
      expect(d.vectors[0], id).toBeGreaterThan(0);
      expect(d.paths.filter((p) => p !== '/api/tenant/v1/chat/completions' && p !== '/api/tenant/v1/embeddings'), id).toEqual([]);
    }
    expect(Object.keys(out.drivers).sort()).toEqual(['ai-sdk', 'langchain', 'openai']);
    expect(out.drivers.openai.library).toMatch(/^openai /);
    expect(out.drivers.langchain.library).toMatch(/@langchain\/openai 1\./);
  });
});

// A direct run of one product in a plain Node child: which SDKs did it load?
const oneProduct = (product: string) => `
const { runDirect } = await import('./dist/src/run/direct.js');
const { loadedSdks } = await import('./dist/src/drivers/sdk/bundles.js');
// a request timeout far past the machine's load (at load average 24 the default 10 s failed 45 checks): the test is about the SDKs
const run = await runDirect({}, { products: ['${product}'], runbookFiles: JSON.parse(process.argv[1]), timeoutMs: 300_000 });
console.log(JSON.stringify({ loaded: loadedSdks(), failed: run.results.filter((r) => r.outcome === 'failed').length }));
`;

describe('a run of one product', () => {
  it.each([
    ['openai-sdk', ['openai']],
    ['dify', []],
  ])('%s loads only the SDK its runbook drives: %j', async (product, sdks) => {
    const stdout = await nodeScript(oneProduct(product as string), JSON.stringify(productFiles())); // the fixed copies of the runbooks
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ loaded: sdks, failed: 0 });
  });
});
