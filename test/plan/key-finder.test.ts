// The key finder on hand-made targets: which key a check gets for each need, and the skip message that says
// what the target lacks and which key would enable the check. No runbook is loaded.
import { describe, expect, it } from 'vitest';
import { keyFinder } from '../../src/plan/key-finder.ts';
import { loadContract } from '../../src/contract/load.ts';
import type { Target, TargetKey } from '../../src/model.ts';
import type { KeyNeed } from '../../src/targets/capabilities.ts';

const contract = loadContract();
const key = (name: string, over: Partial<TargetKey> = {}): TargetKey => ({ name, purpose: 'inference', scopes: ['inference:chat'], models: ['m'], datasets: [], hidden_models: [], family: 'f1', ...over });
const target = (keys: TargetKey[], over: Partial<Target> = {}): Target => ({ kind: 'embedded', baseUrl: 'http://127.0.0.1:1/api/tenant', keys, uploads: true, ...over });
const chat: KeyNeed = { purposes: ['inference', 'conversation'], scopes: ['inference:chat'], model: true, route: 'chat' };
const embed: KeyNeed = { purposes: ['inference', 'conversation'], scopes: ['inference:embed'], model: true, route: 'embeddings' };
const upload: KeyNeed = { purposes: ['upload', 'conversation'], scopes: ['datasets:write'], dataset: true, route: 'dataset-files' };

describe('holding', () => {
  const keys = [
    key('wide', { preset: 'chat-embeddings', scopes: ['inference:chat', 'inference:embed'] }),
    key('custom', { scopes: ['inference:chat'] }),
    key('narrow', { preset: 'openai-chat' }),
    key('b-narrow', { preset: 'openai-chat' }),
    key('conv', { purpose: 'conversation', preset: 'conversation-app', scopes: ['inference:chat', 'datasets:write', 'conversations:upload'], hidden_models: ['secret'] }),
  ];
  const finder = keyFinder(target(keys), contract);

  it('takes the narrowest key made from a preset, then by name; a preset asked for wins', () => {
    expect(finder.holding(chat).name).toBe('b-narrow');
    expect(finder.holding(chat, { prefer: 'chat-embeddings' }).name).toBe('wide');
    expect(finder.holding(chat, { prefer: 'voice-audio' }).name).toBe('b-narrow');
    expect(finder.holding(embed).name).toBe('wide');
  });

  it('keeps to the purposes asked for, and to keys that must not see a published name', () => {
    expect(finder.holding(chat, { purposes: ['conversation'] }).name).toBe('conv');
    expect(finder.holding(chat, { hides: true }).name).toBe('conv');
  });

  it('says what no key holds, and which preset would make one', () => {
    const none = keyFinder(target([key('narrow', { preset: 'openai-chat' })]), contract);
    expect(() => none.holding(embed)).toThrow('the tenant seed has no key that holds inference:embed (add one made with the chat-embeddings preset or holding inference:embed)');
    expect(() => none.holding(chat, { purposes: ['conversation'] })).toThrow(
      'the tenant seed has no key that holds inference:chat and is conversation-facing (add one made with the conversation-app preset or holding inference:chat)',
    );
    expect(() => none.holding(chat, { hides: true })).toThrow('the tenant seed has no key that holds inference:chat and names a published model it must not see (hidden_models) (add one made with the openai-chat preset or holding inference:chat)');
    expect(() => none.holding(upload, { label: 'uploads into a dataset' })).toThrow('the tenant seed has no key that uploads into a dataset (add one made with the dataset-upload preset or holding datasets:write)');
    expect(() => none.holding({ purposes: ['upload'], scopes: ['nope:nothing'] })).toThrow('the tenant seed has no key that holds nope:nothing');
    expect(() => none.holding({ purposes: ['upload'], scopes: [] })).toThrow('the tenant seed has no key that holds upload purpose (add one made with the dataset-upload preset)');
  });

  it('words a live target as its target file', () => {
    expect(() => keyFinder(target([], { kind: 'live' }), contract).holding(chat)).toThrow(/^the target file lists no key that holds inference:chat/);
  });

  it('never hands out a revoked key', () => {
    expect(() => keyFinder(target([key('gone', { revoked: true })]), contract).holding(chat)).toThrow(/no key that holds inference:chat/);
  });
});

describe('lacking', () => {
  it('takes a key of the route\'s own purpose that provably lacks the scope, the narrowest first', () => {
    const finder = keyFinder(
      target([
        key('uploader', { purpose: 'upload', preset: 'dataset-upload', scopes: ['datasets:write'], models: [] }),
        key('chatty', { preset: 'openai-chat' }),
        key('voice', { preset: 'voice-audio', scopes: ['inference:chat', 'inference:transcribe', 'inference:speech'] }),
      ]),
      contract,
    );
    expect(finder.lacking(embed).name).toBe('chatty');
    expect(finder.lacking(embed, { prefer: 'voice-audio' }).name).toBe('voice');
    expect(finder.lacking(chat).name).toBe('uploader'); // no inference key lacks chat: one of another purpose
  });

  it('does not take a revoked key, nor one whose scopes are not known', () => {
    const finder = keyFinder(target([key('gone', { revoked: true }), key('linked', { purpose: 'conversation', scopes: ['conversations:upload'], scopesKnown: false })]), contract);
    expect(() => finder.lacking(embed)).toThrow('the tenant seed has no key that provably lacks inference:embed (linked may lack it, but the target does not say what it holds)');
  });

  it('names every key whose scopes are unknown, or asks for another preset', () => {
    const unknown = (name: string) => key(name, { preset: 'conversation-app', purpose: 'conversation', scopes: [], scopesKnown: false });
    expect(() => keyFinder(target([unknown('a'), unknown('b')]), contract).lacking(embed)).toThrow('(a (conversation-app), b (conversation-app) may lack it, but the target does not say what they hold)');
    expect(() => keyFinder(target([key('wide', { scopes: ['inference:chat', 'inference:embed'] })]), contract).lacking(embed, { label: 'cannot embed' })).toThrow(
      'the tenant seed has no key that cannot embed (add a key of another preset)',
    );
  });
});

describe('preset, revoked, ofPurpose, otherFamily, foreignDataset', () => {
  const keys = [
    key('chat-plus', { preset: 'openai-chat', scopes: ['inference:chat', 'inference:embed'] }),
    key('chat-exact', { preset: 'openai-chat' }),
    key('gone', { preset: 'openai-chat', revoked: true }),
    key('uploader', { purpose: 'upload', preset: 'dataset-upload', scopes: ['datasets:write'], datasets: ['d1'], models: [] }),
    key('other', { family: 'f2', preset: 'chat-embeddings', scopes: ['inference:chat', 'inference:embed'] }),
    key('other-narrow', { family: 'f2', preset: 'openai-chat' }),
  ];
  const finder = keyFinder(target(keys, { foreignDataset: 'not-yours' }), contract);

  it('preset: the key made exactly as the wizard makes it, else another of that preset', () => {
    expect(finder.preset('openai-chat').name).toBe('chat-exact');
    expect(keyFinder(target([keys[0]]), contract).preset('openai-chat').name).toBe('chat-plus');
    expect(() => finder.preset('voice-audio')).toThrow('the tenant seed has no key that was made with the voice-audio preset (add the product\'s own key: preset voice-audio, or a key of purpose inference with exactly inference:chat, inference:transcribe, inference:speech)');
    expect(() => keyFinder(target([keys[2]]), contract).preset('openai-chat')).toThrow(/made with the openai-chat preset/);
  });

  it('revoked: the revoked key, or how to add one', () => {
    expect(finder.revoked().name).toBe('gone');
    expect(() => keyFinder(target([keys[1]]), contract).revoked()).toThrow('the tenant seed has no key that is revoked (add a revoked key with revoked: true)');
  });

  it('ofPurpose: the narrowest valid key of the purpose', () => {
    expect(finder.ofPurpose('inference').name).toBe('chat-exact');
    expect(finder.ofPurpose('upload').name).toBe('uploader');
    expect(() => finder.ofPurpose('conversation')).toThrow('the tenant seed has no key that is an conversation key');
  });

  it('otherFamily: the narrowest key of another family that holds the need', () => {
    expect(finder.otherFamily(keys[1], chat).name).toBe('other-narrow');
    expect(finder.otherFamily(keys[1], embed).name).toBe('other');
    expect(() => keyFinder(target([keys[1], keys[4]]), contract).otherFamily(keys[4], embed)).toThrow('the tenant seed has no key that holds inference:embed in another key family than other (add a key of a second family (family: <name>))');
  });

  it('foreignDataset: the target\'s dataset outside every allowlist, or why there is none', () => {
    expect(finder.foreignDataset()).toBe('not-yours');
    expect(() => keyFinder(target(keys), contract).foreignDataset()).toThrow('the tenant seed has no dataset outside every allowlist (foreign_dataset)');
    expect(() => keyFinder(target(keys, { kind: 'live' }), contract).foreignDataset()).toThrow('the target file lists no dataset outside every allowlist (foreign_dataset)');
  });
});
