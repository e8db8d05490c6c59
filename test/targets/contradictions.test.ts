// A target file that contradicts itself is bad input, one positioned line, not a run of failures: a name in both a
// key's models and its hidden_models made the model-list and alias checks fail ("leak: the key sees
// \"mission-agent\"") against a tenant that did what the file's models said.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { loadTargetFile } from '../../src/targets/live.ts';

function load(yaml: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gt-contradiction-'));
  try {
    const file = path.join(dir, 'target.yaml');
    writeFileSync(file, yaml);
    return loadTargetFile(file, loadContract(), {}, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const KEY = `base_url: https://gt.example.com/api/tenant
keys:
  - name: chat
    preset: openai-chat
    secret_env: GT_KEY_CHAT
`;

describe('a target file that contradicts itself', () => {
  it('refuses a name that is both in a key\'s models and in its hidden_models, at the hidden one', () => {
    const { live, errors } = load(`${KEY}    models: [mission-agent, research-agent]\n    hidden_models: [internal-agent, research-agent]\n`);
    expect(live).toBeUndefined();
    expect(errors).toEqual([
      expect.objectContaining({ line: 7, path: 'keys[0].hidden_models[1]', message: '"research-agent" is in the key\'s models too: a name the key may use cannot be one it must not see' }),
    ]);
  });

  it('finds it in the models of any route, and takes names that differ', () => {
    expect(load(`${KEY}    models: { chat: [mission-agent], embeddings: [research-agent] }\n    hidden_models: [research-agent]\n`).errors.map((e) => e.path)).toEqual(['keys[0].hidden_models[0]']);
    expect(load(`${KEY}    models: [mission-agent]\n    hidden_models: [internal-agent]\n`).errors).toEqual([]);
    expect(load(`${KEY}    hidden_models: [internal-agent]\n`).errors).toEqual([]);
  });
});
