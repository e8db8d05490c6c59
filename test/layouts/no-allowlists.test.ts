// A target file with presets and env vars only (test/fixtures/targets/no-allowlists.yaml), or a list of models per
// route that leaves out a route the key may call (models-per-route-in-part.yaml): no false failure. Before,
// the four model-picker checks failed ("the key sees "mission-agent", … not on its allowlist") against an allowlist
// the file never gave; they are now not exercised, and the checks that need a name to call a route are skipped with
// the key and the field to add.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSeedPath } from '../../src/tenant/index.ts';
import { projectRoot } from '../../src/paths.ts';
import { runLayout } from './layouts.ts';

const fixture = (name: string) => ({ name, seed: defaultSeedPath, targetFile: path.join(projectRoot, 'test', 'fixtures', 'targets', name) });
const noAllowlists = fixture('no-allowlists.yaml');

describe('a target file that names no models and no datasets', () => {
  it('fails nothing, does not exercise the allowlist checks, and says what to add', async () => {
    const run = await runLayout(noAllowlists, {}, { fuzz: 0 });
    expect(run.results.filter((r) => r.outcome === 'failed' || r.outcome === 'blocked').map((r) => `${r.checkId}: ${r.message}`)).toEqual([]);
    const modelPicker = run.results.filter((r) => /models-match-allowlist$/.test(r.checkId));
    expect(modelPicker.map((r) => r.checkId).sort()).toEqual([
      'langchain/checklist/3-models-match-allowlist',
      'librechat/checklist/2-models-match-allowlist',
      'open-webui/checklist/2-models-match-allowlist',
      'openai-sdk/checklist/1-models-match-allowlist',
    ]);
    for (const r of modelPicker) {
      expect(r.outcome, r.checkId).toBe('not_exercised');
      expect(r.message, r.checkId).toMatch(/not exercised: the target file names no models for key [^,]+, so its list cannot be compared with its allowlist/);
    }
    const chat = run.results.find((r) => r.checkId === 'dify/chat/works');
    expect(chat?.outcome).toBe('skipped');
    expect(chat?.message).toContain('but the target names no models for them: add models: [...]');
  });

  it('holds a key to no more than the names it lists, where its list per route leaves out a route it may call', async () => {
    const run = await runLayout(fixture('models-per-route-in-part.yaml'), {}, { fuzz: 0 });
    expect(run.results.filter((r) => r.outcome === 'failed' || r.outcome === 'blocked').map((r) => `${r.checkId}: ${r.message}`)).toEqual([]);
    // the HTTP model list and the OpenAI SDK's both saw research-agent, which the file does not list for the key
    for (const id of ['dify/models/works', 'openai-sdk/models/works']) {
      const result = run.results.find((r) => r.checkId === id);
      expect(result?.outcome, id).toBe('not_exercised');
      expect(result?.message, id).toContain('the target file names models for key chat-embeddings on chat only');
    }
  });
});
