// A target file that names no models (or no datasets) for a key: its allowlist is unknown, not empty. The model
// list is then checked only for the names the key must not see, its allowlist check is not exercised (it said
// "not on its allowlist" for every name before: four false failures from a README-style file), and a check that
// needs a name to call the route is skipped with a hint naming the key and the field to add.
import { describe, expect, it } from 'vitest';
import { checkModelList } from '../../src/checks/answers.ts';
import { loadContract } from '../../src/contract/load.ts';
import { keyFinder } from '../../src/plan/key-finder.ts';
import { allowlistOf } from '../../src/targets/capabilities.ts';
import { targetKeys } from '../../src/targets/keys.ts';
import type { Target } from '../../src/model.ts';

const list = (...ids: string[]) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'gt' })) });

describe('checkModelList with an unknown allowlist', () => {
  it('finds only a hidden name, a missing data array and a name listed twice', () => {
    expect(checkModelList(list('mission-agent', 'research-agent'), undefined, ['internal-agent'])).toEqual([]);
    expect(checkModelList(list('mission-agent', 'internal-agent'), undefined, ['internal-agent'])).toEqual(['leak: the key sees "internal-agent", published but not on its allowlist']);
    expect(checkModelList(list('a', 'a'), undefined)).toEqual(['listed more than once: a']);
    expect(checkModelList({ object: 'list' }, undefined)).toEqual(['the answer has no data array']);
  });

  it('still holds a known empty allowlist to an empty list', () => {
    expect(checkModelList(list('mission-agent'), [])).toEqual(['the key sees "mission-agent", not on its allowlist']);
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
      ] as never,
      loadContract(),
    );

  it('knows the models a key lists, an empty list included, and those a conversation key inherits', () => {
    const byName = Object.fromEntries(keys().map((k) => [k.name, allowlistOf(k)]));
    expect(byName).toEqual({ 'no-models': undefined, empty: [], inf: ['mission-agent'], up: [], app: ['mission-agent'], app2: undefined });
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
