// Runbook findings from the client profiles: the documented base URL against the path each product
// appends, and route rows whose scope the recommended preset lacks.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { clientFindings, documentedCalls } from '../../src/clients/findings.ts';
import { profileById } from '../../src/clients/load.ts';
import { profileIdFor } from '../../src/clients/profiles-for-runbooks.ts';
import { validateRunbookFiles } from '../../src/cli/commands/validate.ts';
import { main } from '../../src/cli/main.ts';
import type { LoadedRunbook } from '../../src/model.ts';
import { loadRunbooks } from '../../src/runbook/load.ts';
import { productFile, productFiles } from '../fixtures/products.ts';

const contract = loadContract();
// Fixed copies of the shipped runbooks: the findings of runbooks/ itself are what `validate` prints.
const shipped = loadRunbooks(productFiles(), contract).runbooks;
const byId = (id: string): LoadedRunbook => shipped.find((r) => r.runbook.id === id)!;

afterEach(() => vi.restoreAllMocks());

describe('validate on the fixture products', () => {
  const { findings, errors } = validateRunbookFiles(productFiles(), contract);
  const baseUrlFindings = findings.filter((f) => f.message.includes(' appends '));

  it('reports the base-URL finding on every base URL field of every product whose profile appends paths, with the fix', () => {
    expect(errors).toEqual([]);
    for (const loaded of shipped) {
      const profile = profileById(profileIdFor(loaded.runbook)!)!;
      const appends = !Object.values(profile.routes).some((call) => call!.path.startsWith('/v1/'));
      const fields = loaded.runbook.configuration.flatMap((f, i) => (f.role === 'base_url' ? [i] : []));
      const mine = baseUrlFindings.filter((f) => f.product === loaded.runbook.id);
      expect(mine.length, loaded.runbook.id).toBe(appends ? fields.length : 0);
      const text = readFileSync(loaded.file, 'utf8').split('\n');
      for (const finding of mine) {
        expect(text[finding.line! - 1], `${loaded.file}:${finding.line}`).toMatch(/value: https:\/\/<tenant-host>\/api\/tenant$/);
        expect(finding.message).toMatch(/: documented value calls \/api\/tenant\/[a-z/]+, not a GT route.*; the base URL must end in \/api\/tenant\/v1$/);
        expect(finding.fix).toMatch(/^set .+ to https:\/\/<tenant-host>\/api\/tenant\/v1$/);
      }
    }
    expect(new Set(baseUrlFindings.map((f) => f.product))).toEqual(new Set(['openai-sdk', 'open-webui', 'librechat', 'dify', 'vercel-ai-sdk', 'langchain']));
  });

  it("words the Open WebUI finding as the product's own request", () => {
    const finding = baseUrlFindings.find((f) => f.product === 'open-webui' && f.message.includes('to OPENAI_API_BASE_URL:'))!;
    expect(finding.file).toBe(byId('open-webui').file);
    expect(finding.line).toBe(byId('open-webui').lineOf('configuration[0].value'));
    expect(finding.message).toBe(
      'Open WebUI appends /models to OPENAI_API_BASE_URL: documented value calls /api/tenant/models, not a GT route (likewise /chat/completions, /embeddings); the base URL must end in /api/tenant/v1',
    );
  });

  it('applies a per-feature base URL field only to its routes (LangChain)', () => {
    const langchain = baseUrlFindings.filter((f) => f.product === 'langchain').map((f) => f.message);
    expect(langchain).toEqual([
      expect.stringMatching(/^LangChain appends \/chat\/completions to ChatOpenAI\.base_url: .*calls \/api\/tenant\/chat\/completions, not a GT route;/),
      expect.stringMatching(/^LangChain appends \/embeddings to OpenAIEmbeddings\.base_url: .*calls \/api\/tenant\/embeddings, not a GT route;/),
    ]);
  });

  it('flags a route the preset cannot call when the row gives no requires_scope, and not one that gives it', () => {
    const scope = findings.filter((f) => f.message.includes('does not hold'));
    const vercel = scope.find((f) => f.product === 'vercel-ai-sdk')!;
    expect(vercel.message).toBe(
      'Vercel AI SDK: route embeddings is native, but the recommended preset conversation-app (Conversation app with uploads) does not hold inference:embed and the row gives no requires_scope',
    );
    expect(vercel.fix).toBe('add requires_scope: inference:embed to the embeddings row, or recommend a preset that holds inference:embed');
    const row = byId('vercel-ai-sdk').runbook.routes.findIndex((r) => r.route === 'embeddings');
    expect(vercel.line).toBe(byId('vercel-ai-sdk').lineOf(`routes[${row}].verdict`));
    expect(scope.filter((f) => f.product === 'open-webui')).toEqual([]); // embeddings row has requires_scope
  });

  it('the CLI prints the findings and --fail-on-findings makes them fail', async () => {
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await main(['validate', productFile('open-webui')])).toBe(0);
    expect(out).toContain('Runbook findings');
    expect(out.some((l) => /open-webui\.yaml:\d+: Open WebUI appends \/models to OPENAI_API_BASE_URL: .* \(fix: set OPENAI_API_BASE_URL to https:\/\/<tenant-host>\/api\/tenant\/v1\)$/.test(l))).toBe(true);
    expect(await main(['validate', '--fail-on-findings', productFile('open-webui')])).toBe(1);
  });
});

describe('clientFindings', () => {
  it('gives no base-URL finding once the documented value ends in /api/tenant/v1', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gt-runbooks-'));
    const fixed = readFileSync(productFile('open-webui'), 'utf8').replaceAll('value: https://<tenant-host>/api/tenant\n', 'value: https://<tenant-host>/api/tenant/v1\n');
    writeFileSync(path.join(dir, 'open-webui.yaml'), fixed);
    const { runbooks } = loadRunbooks([path.join(dir, 'open-webui.yaml')], contract);
    expect(clientFindings(runbooks, contract)).toEqual([]);
    const calls = documentedCalls(runbooks[0].runbook, profileById('open-webui')!, contract);
    expect(calls).toHaveLength(6); // two base URL fields × models, chat, embeddings
    expect(calls.every((c) => c.reaches === c.route && c.path.startsWith('/api/tenant/v1/'))).toBe(true);
  });

  it("uses the runbook's client_profile before the fallback table", () => {
    const loaded = byId('open-webui');
    const asGeneric: LoadedRunbook = { ...loaded, runbook: { ...loaded.runbook, client_profile: 'generic-http' } };
    expect(clientFindings([asGeneric], contract).filter((f) => f.message.includes(' appends '))).toEqual([]);
    expect(clientFindings([loaded], contract).filter((f) => f.message.includes(' appends '))).toHaveLength(2);
  });

  it('says which GT route a wrong URL reaches when it reaches another one', () => {
    const loaded = byId('open-webui');
    const odd: LoadedRunbook = {
      ...loaded,
      runbook: { ...loaded.runbook, configuration: [{ name: 'OPENAI_API_BASE_URL', value: 'https://h/api/tenant/v1/files', role: 'base_url' }] },
    };
    const [finding] = clientFindings([odd], contract).filter((f) => f.message.includes(' appends '));
    expect(finding.message).toMatch(/^Open WebUI appends \/models to OPENAI_API_BASE_URL: documented value calls \/api\/tenant\/v1\/files\/models, GT route R10 file-status, not models/);
  });
});
