// A target file whose keys give purpose and scopes and name no preset (test/fixtures/targets/scopes-only.yaml):
// each key stands in for the preset it matches exactly, so the checks of a product's own preset key run instead
// of being skipped for want of a key "made with the preset" (before, that file skipped 25 such checks). The oracle
// is the same keys written with their presets (minimal.yaml): every check has the same outcome.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSeedPath } from '../../src/tenant/index.ts';
import { projectRoot } from '../../src/paths.ts';
import { runLayout } from './layouts.ts';

const targetFile = (name: string) => path.join(projectRoot, 'test', 'fixtures', 'targets', name);

describe('a target file that gives its keys by purpose and scopes', () => {
  it('gives every check the outcome it has when the same keys name their presets', async () => {
    const [scopesOnly, withPresets] = await Promise.all(
      ['scopes-only.yaml', 'minimal.yaml'].map((file) => runLayout({ name: file, seed: defaultSeedPath, targetFile: targetFile(file) }, {}, { fuzz: 0 })),
    );
    const outcomes = (run: typeof scopesOnly) => Object.fromEntries(run.results.map((r) => [r.checkId, r.outcome]));
    expect(outcomes(scopesOnly)).toEqual(outcomes(withPresets));
    expect(scopesOnly.results.filter((r) => r.outcome === 'failed' || r.outcome === 'blocked').map((r) => `${r.checkId}: ${r.message}`)).toEqual([]);
    expect(scopesOnly.results.filter((r) => /was made with the/.test(r.message)).map((r) => r.checkId)).toEqual([]);
    // dify's preset is openai-chat (inference:chat alone), LangChain's chat-embeddings: each key is found by its scopes
    const outcome = (id: string) => scopesOnly.results.find((r) => r.checkId === id)?.outcome;
    expect(outcome('dify/images/preset-denied')).toBe('denied_as_expected');
    expect(outcome('langchain/speech/preset-denied')).toBe('denied_as_expected');
    expect(outcome('langchain/checklist/3-models-match-allowlist')).toBe('passed');
  });
});
