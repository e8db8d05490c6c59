// A target file that names no models (or no datasets) for a key, or models for only some of the routes it may call:
// its allowlist is unknown, or known in part, not empty. The model list is then not held to it ("not on its
// allowlist" for every other name: four false failures from a README-style file, twelve from a list per route that
// gave only chat), the allowlist check is not exercised, and a check that needs a name to call the route is skipped
// with a hint naming the key and the field to add.
import { describe, expect, it } from 'vitest';
import { checkModelList } from '../../src/checks/answers.ts';
import { loadContract } from '../../src/contract/load.ts';
import { keyFinder } from '../../src/plan/key-finder.ts';
import { allowlistGap } from '../../src/targets/capabilities.ts';
import { targetKeys } from '../../src/targets/keys.ts';
import type { Target } from '../../src/model.ts';

const list = (...ids: string[]) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'gt' })) });

describe('checkModelList with an allowlist the target file does not give whole', () => {
  it('finds only a hidden name, a missing data array and a name listed twice, where it gives none', () => {
    expect(checkModelList(list('mission-agent', 'research-agent'), [], ['internal-agent'], false)).toEqual([]);
    expect(checkModelList(list('mission-agent', 'internal-agent'), [], ['internal-agent'], false)).toEqual(['leak: the key sees "internal-agent", published but not on its allowlist']);
    expect(checkModelList(list('a', 'a'), [], [], false)).toEqual(['listed more than once: a']);
    expect(checkModelList({ object: 'list' }, [], [], false)).toEqual(['the answer has no data array']);
  });

  it('still finds a name it gives that the list lacks, where it gives part', () => {
    expect(checkModelList(list('research-agent'), ['mission-agent'], [], false)).toEqual(['the key does not see "mission-agent", on its allowlist']);
  });

  it('holds a complete allowlist, an empty one included, to the list exactly', () => {
    expect(checkModelList(list('mission-agent'), [])).toEqual(['the key sees "mission-agent", not on its allowlist (its models as the target file gives them: a leak, or a name to add there)']);
  });
});

describe('targetKeys: which allowlists a target file gives', () => {
  const keys = () =>
    targetKeys(
      [
        { name: 'no-models', preset: 'openai-chat', secret_env: 'A' },
        { name: 'empty', preset: 'openai-chat', secret_env: 'B', models: [] },
        { name: 'inf', preset: 'openai-chat', secret_env: 'C', models: ['mission-agent'] },
        { name: 'up', preset: 'dataset-upload', secret_env: 'D' },
        { name: 'app', preset: 'conversation-app', secret_env: 'E', links: { inference: 'inf', upload: 'up' } },
        { name: 'app2', preset: 'conversation-app', secret_env: 'F', links: { inference: 'no-models', upload: 'up' } },
        // chat and embeddings are the routes a chat-embeddings key calls with a model
        { name: 'chat-only', preset: 'chat-embeddings', secret_env: 'G', models: { chat: ['mission-agent'] } },
        { name: 'both-routes', preset: 'chat-embeddings', secret_env: 'H', models: { chat: ['mission-agent'], embeddings: ['research-agent'] } },
      ] as never,
      loadContract(),
    );

  it('knows the models a key lists, an empty list included, and those a conversation key inherits', () => {
    const known = Object.fromEntries(keys().map((k) => [k.name, k.modelsKnown !== false]));
    expect(known).toEqual({ 'no-models': false, empty: true, inf: true, up: true, app: true, app2: false, 'chat-only': false, 'both-routes': true });
    const byName = Object.fromEntries(keys().map((k) => [k.name, k]));
    expect(allowlistGap(byName.inf)).toBeUndefined();
    expect(allowlistGap(byName['no-models'])).toBe('the target file names no models for key no-models (openai-chat), so its list cannot be compared with its allowlist (add the published names it may use: models: [...])');
    expect(allowlistGap(byName['chat-only'])).toBe('the target file names models for key chat-only (chat-embeddings) on chat only, so a name it lists for another route may be its own (give every route it may call, or one list: models: [...])');
  });
});

describe('keyFinder.holding, a key without models or datasets in the file', () => {
  const target = (keys: ReturnType<typeof targetKeys>): Target => ({ kind: 'live', baseUrl: 'https://tenant.example/api/tenant', keys, uploads: true });
  const contract = () => loadContract();
  const route = (id: string) => contract().routes.find((r) => r.id === id)!;

  it('names the key that holds the scope and the field the file should add', () => {
    const finder = keyFinder(target(targetKeys([{ name: 'chat', preset: 'openai-chat', secret_env: 'A' }, { name: 'up', preset: 'dataset-upload', secret_env: 'B' }] as never, contract())), contract());
    const chat = route('chat');
    expect(() => finder.holding({ purposes: chat.needs.purposes, scopes: [chat.needs.scope!], model: true, route: 'chat' })).toThrow(
      'the target file lists no key that holds inference:chat (chat (openai-chat) holds it, but the target names no models for it: add models: [...])',
    );
    expect(() => finder.holding({ purposes: ['upload', 'conversation'], scopes: ['datasets:write'], dataset: true, route: 'dataset-files' })).toThrow(
      'the target file lists no key that holds datasets:write (up (dataset-upload) holds it, but the target names no datasets for it: add datasets: [...])',
    );
  });
});
