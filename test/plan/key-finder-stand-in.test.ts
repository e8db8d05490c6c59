// The key finder's preset() for a target file that gives its keys by purpose and scopes instead of a preset name:
// such a key is the preset's key where its purpose and scopes are exactly the preset's (fixtures/contract/presets.yaml:
// openai-chat and agentic-ide are inference with inference:chat alone, chat-embeddings adds inference:embed).
// Every finder is built inside its test.
import { describe, expect, it } from 'vitest';
import { keyFinder } from '../../src/plan/key-finder.ts';
import { loadContract } from '../../src/contract/load.ts';
import type { Target, TargetKey } from '../../src/model.ts';

const key = (name: string, over: Partial<TargetKey> = {}): TargetKey => ({ name, purpose: 'inference', scopes: ['inference:chat'], models: ['m'], datasets: [], hidden_models: [], family: 'f1', ...over });
const live = (keys: TargetKey[]): Target => ({ kind: 'live', baseUrl: 'https://tenant.example/api/tenant', keys, uploads: true });

describe('keyFinder.preset, keys given by purpose and scopes', () => {
  it('takes a key with exactly the preset\'s purpose and scopes as the preset\'s key', () => {
    const finder = keyFinder(live([key('plain-chat'), key('chat-and-embed', { scopes: ['inference:embed', 'inference:chat'] })]), loadContract());
    expect(finder.preset('openai-chat').name).toBe('plain-chat');
    expect(finder.preset('agentic-ide').name).toBe('plain-chat');
    // the scopes in another order are the same set
    expect(finder.preset('chat-embeddings').name).toBe('chat-and-embed');
  });

  it('does not take a key with a scope more or less, or of another purpose', () => {
    const finder = keyFinder(
      live([key('more', { scopes: ['inference:chat', 'inference:image'] }), key('less', { scopes: [] }), key('other-purpose', { purpose: 'conversation' })]),
      loadContract(),
    );
    expect(() => finder.preset('openai-chat')).toThrow(
      'the target file lists no key that was made with the openai-chat preset (add the product\'s own key: preset openai-chat, or a key of purpose inference with exactly inference:chat)',
    );
  });

  it('does not take a key the file says was made with another preset, even with the same scopes', () => {
    const finder = keyFinder(live([key('editor', { preset: 'agentic-ide' })]), loadContract());
    expect(() => finder.preset('openai-chat')).toThrow(/no key that was made with the openai-chat preset/);
    expect(finder.preset('agentic-ide').name).toBe('editor');
  });

  it('prefers a key made with the preset to one that only matches it, and never takes a revoked one', () => {
    const finder = keyFinder(live([key('a-matches'), key('z-declared', { preset: 'openai-chat' })]), loadContract());
    expect(finder.preset('openai-chat').name).toBe('z-declared');
    const revokedOnly = keyFinder(live([key('old', { revoked: true })]), loadContract());
    expect(() => revokedOnly.preset('openai-chat')).toThrow(/no key that was made with the openai-chat preset/);
  });
});
