// The key finder's preset() where the mutation run of src/plan found it untested (docs/testing.md, "Mutation
// scores"): a key made with the preset has exactly the preset's scopes (fixtures/contract/presets.yaml:
// openai-chat is inference:chat alone), even when a key of that preset has fewer; and for a check on a route
// that names a model, a key that may name one; and for a route that reads an object back (file status reads a
// file, fixtures/contract/routes.yaml), a key that can make one. Every finder is built inside its test.
import { describe, expect, it } from 'vitest';
import { keyFinder } from '../../src/plan/key-finder.ts';
import { loadContract } from '../../src/contract/load.ts';
import type { Target, TargetKey } from '../../src/model.ts';
import type { KeyNeed } from '../../src/targets/capabilities.ts';

const key = (name: string, over: Partial<TargetKey> = {}): TargetKey => ({ name, purpose: 'inference', scopes: ['inference:chat'], models: ['m'], datasets: [], hidden_models: [], family: 'f1', ...over });
const target = (keys: TargetKey[]): Target => ({ kind: 'embedded', baseUrl: 'http://127.0.0.1:1/api/tenant', keys, uploads: true });
const chat: KeyNeed = { purposes: ['inference', 'conversation'], scopes: ['inference:chat'], model: true, route: 'chat' };

describe('keyFinder.preset', () => {
  it('takes the key with exactly the preset\'s scopes over a narrower one of the same preset', () => {
    const finder = keyFinder(target([key('a-less', { preset: 'openai-chat', scopes: [] }), key('b-exact', { preset: 'openai-chat' })]), loadContract());
    expect(finder.preset('openai-chat').name).toBe('b-exact');
  });

  it('for a route that names a model, takes an exact key that may name one', () => {
    const finder = keyFinder(target([key('a-no-models', { preset: 'openai-chat', models: [] }), key('b-models', { preset: 'openai-chat' })]), loadContract());
    expect(finder.preset('openai-chat', chat).name).toBe('b-models');
    expect(finder.preset('openai-chat').name).toBe('a-no-models');
  });
});

describe('keyFinder.holding, a route that reads an object back', () => {
  const fileStatus: KeyNeed = { purposes: ['upload', 'conversation'], scopes: [], route: 'file-status' };
  const cannot = key('a-cannot-upload', { purpose: 'upload', scopes: [], models: [] });
  const can = key('b-uploads', { purpose: 'upload', scopes: ['datasets:write'], datasets: ['d1'], models: [] });

  it('takes a key that can make the object, over a narrower one that cannot', () => {
    expect(keyFinder(target([cannot, can]), loadContract()).holding(fileStatus).name).toBe('b-uploads');
  });

  it('finds none when no key can make the object', () => {
    expect(() => keyFinder(target([cannot]), loadContract()).holding(fileStatus)).toThrow(/^the tenant seed has no key that holds /);
  });
});
