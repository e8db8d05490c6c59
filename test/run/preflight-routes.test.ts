// The preflight's request is GET /v1/models, one per key: a live target whose operator leaves the models route out
// (the target file's allowed_routes, or --skip-route models) gets none, as it gets no other request to that route.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/run/prepare.ts';
import { defaultOptions } from '../../src/run/options.ts';
import { startTenant, type RecordedTraffic } from '../../src/tenant/index.ts';
import { productFiles } from '../fixtures/products.ts';

const ENV = 'GT_TEST_PREFLIGHT_ROUTES_KEY';

/** Prepares a live run against a started tenant with one openai-chat key; the paths the tenant was asked for. */
async function preparedPaths(fileFields: Record<string, unknown>, options: Partial<typeof defaultOptions> = {}): Promise<string[]> {
  const seen: RecordedTraffic[] = [];
  const tenant = await startTenant({ freshSecrets: true, record: (entry) => seen.push(entry) });
  const dir = mkdtempSync(path.join(tmpdir(), 'gt-preflight-routes-'));
  const key = tenant.target.keys.find((k) => k.name === 'openai-chat')!;
  try {
    const file = path.join(dir, 'target.yaml');
    writeFileSync(file, stringify({ base_url: tenant.target.baseUrl, ...fileFields, keys: [{ name: key.name, preset: 'openai-chat', secret_env: ENV, models: key.models }] }));
    process.env[ENV] = tenant.secrets[key.name];
    const prepared = await prepareRun({ ...defaultOptions, targetFile: file, runbookFiles: productFiles(), products: ['dify'], ...options }, 1);
    await prepared.close();
    return seen.map((r) => `${r.method} ${r.path}`);
  } finally {
    delete process.env[ENV];
    await tenant.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the preflight and the routes the operator allows', () => {
  it('sends one GET /v1/models per key where the models route is allowed', async () => {
    expect(await preparedPaths({})).toEqual(['GET /api/tenant/v1/models']);
    expect(await preparedPaths({ allowed_routes: ['models', 'chat'] })).toEqual(['GET /api/tenant/v1/models']);
  });

  it('sends nothing where allowed_routes leaves models out, or --skip-route models is given', async () => {
    expect(await preparedPaths({ allowed_routes: ['chat'] })).toEqual([]);
    expect(await preparedPaths({}, { skipRoutes: ['models'] })).toEqual([]);
  });
});
