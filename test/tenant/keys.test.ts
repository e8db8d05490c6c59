// The tenant's key ring on a seed written here: effective scopes and allowlists (a conversation key inherits
// from its linked keys), families, secrets handed out once, the Authorization header resolved, and the
// TargetKey view. Expected values written out by hand from GT-API.md's key model.
import { describe, expect, it } from 'vitest';
import { freshSecret, KeyRing } from '../../src/tenant/keys.ts';
import { loadContract } from '../../src/contract/load.ts';
import type { TenantSeed } from '../../src/tenant/seed.ts';

const contract = loadContract();
const S = {
  chat: 'gtak_chat_0123456789abcdef',
  up: 'gtak_upload_0123456789abcdef',
  conv: 'gtak_conversation_0123456789',
  old: 'gtak_revoked_0123456789abcd',
};
const seed: TenantSeed = {
  published: [],
  datasets: ['d1', 'd2'],
  keys: [
    { name: 'chat', preset: 'chat-embeddings', models: ['alias-a', 'alias-b', 'alias-a'], secret: S.chat },
    { name: 'up', preset: 'dataset-upload', datasets: ['d1'], secret: S.up },
    { name: 'conv', preset: 'conversation-app', links: { inference: 'chat', upload: 'up' }, secret: S.conv },
    { name: 'conv-chat-only', preset: 'conversation-app', links: { inference: 'chat' } },
    { name: 'custom', purpose: 'inference', scopes: ['inference:image', 'inference:image'], models: ['img'] },
    { name: 'old', preset: 'openai-chat', models: ['alias-a'], revoked: true, secret: S.old },
  ],
};

// Provisioned inside each test, so that a throw while provisioning fails the tests, not only the collection.
const provision = () => KeyRing.provision(seed, contract, false);

describe('KeyRing.provision', () => {

  it('gives each key its preset\'s purpose and scopes, or its own, without duplicates', () => {
    const { ring } = provision();
    expect(ring.byName('chat')).toEqual({ name: 'chat', preset: 'chat-embeddings', purpose: 'inference', scopes: ['inference:chat', 'inference:embed'], models: ['alias-a', 'alias-b'], datasets: [], family: 'conv-chat-only', revoked: false });
    expect(ring.byName('up')).toMatchObject({ purpose: 'upload', scopes: ['datasets:write'], models: [], datasets: ['d1'] });
    expect(ring.byName('custom')).toEqual({ name: 'custom', preset: undefined, purpose: 'inference', scopes: ['inference:image'], models: ['img'], datasets: [], family: 'custom', revoked: false });
    expect(ring.byName('old')).toMatchObject({ revoked: true, family: 'old' });
    expect(ring.byName('nobody')).toBeUndefined();
  });

  it('a conversation key holds its linked keys\' scopes and allowlists, and conversations:upload only with an upload key', () => {
    const { ring } = provision();
    expect(ring.byName('conv')).toEqual({
      name: 'conv',
      preset: 'conversation-app',
      purpose: 'conversation',
      scopes: ['inference:chat', 'inference:embed', 'datasets:write', 'conversations:upload'],
      models: ['alias-a', 'alias-b'],
      datasets: ['d1'],
      family: 'conv',
      revoked: false,
    });
    expect(ring.byName('conv-chat-only')).toMatchObject({ scopes: ['inference:chat', 'inference:embed'], models: ['alias-a', 'alias-b'], datasets: [] });
  });

  it('puts linked keys in the family of the conversation key that links them (the last one to)', () => {
    const { ring } = provision();
    expect(ring.keys.map((k) => [k.name, k.family])).toEqual([
      ['chat', 'conv-chat-only'],
      ['up', 'conv'],
      ['conv', 'conv'],
      ['conv-chat-only', 'conv-chat-only'],
      ['custom', 'custom'],
      ['old', 'old'],
    ]);
  });

  it('hands out the seed\'s secrets, and fresh ones for keys without one or when asked', () => {
    const { ring, secrets } = provision();
    expect(secrets).toMatchObject({ chat: S.chat, up: S.up, conv: S.conv, old: S.old });
    expect(secrets['custom']).toMatch(/^gtak_[A-Za-z0-9_-]{32}$/);
    const fresh = KeyRing.provision(seed, contract, true).secrets;
    expect(Object.keys(fresh)).toEqual(['chat', 'up', 'conv', 'conv-chat-only', 'custom', 'old']);
    // a seed's secret is replaced; a fresh secret is random per process and the same for a key name within it
    for (const name of ['chat', 'up', 'conv', 'old']) expect(fresh[name]).not.toBe(secrets[name]);
    expect(fresh['custom']).toBe(secrets['custom']);
    expect(freshSecret('chat')).toBe(fresh['chat']);
    expect(new Set(Object.values(fresh)).size).toBe(6);
    expect(freshSecret('a')).toMatch(/^gtak_[A-Za-z0-9_-]{32}$/);
    expect(JSON.stringify(ring.keys)).not.toContain('gtak_');
  });
});

describe('KeyRing.provision without a preset or an inference link', () => {
  it('a key with neither its own scopes nor a preset has none; a conversation key linking only an upload key has its scopes and no names', () => {
    const bare: TenantSeed = {
      published: [],
      datasets: ['d1'],
      keys: [
        { name: 'bare', purpose: 'inference', models: ['m'] },
        { name: 'up', preset: 'dataset-upload', datasets: ['d1'] },
        { name: 'conv-up-only', preset: 'conversation-app', links: { upload: 'up' } },
      ],
    };
    const { ring } = KeyRing.provision(bare, contract, true);
    expect(ring.byName('bare')).toMatchObject({ purpose: 'inference', scopes: [], models: ['m'], datasets: [] });
    expect(ring.byName('conv-up-only')).toMatchObject({ purpose: 'conversation', scopes: ['datasets:write', 'conversations:upload'], models: [], datasets: ['d1'] });
  });
});

describe('KeyRing.authenticate', () => {

  it('finds the key of a bearer secret, whatever the case of the scheme and the spaces around', () => {
    const { ring } = provision();
    for (const header of [`Bearer ${S.chat}`, `bearer ${S.chat}`, `BEARER ${S.chat}`, `Bearer   ${S.chat}`, `Bearer ${S.chat}  `]) {
      const result = ring.authenticate(header);
      expect(result.ok && result.key.name, header).toBe('chat');
    }
  });

  it('says why a header is refused: missing, malformed, unknown or revoked', () => {
    const { ring } = provision();
    expect(ring.authenticate(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(ring.authenticate('   ')).toEqual({ ok: false, reason: 'missing' });
    expect(ring.authenticate(`Basic ${S.chat}`)).toEqual({ ok: false, reason: 'malformed', presented: `Basic ${S.chat}` });
    expect(ring.authenticate('Bearer')).toEqual({ ok: false, reason: 'malformed', presented: 'Bearer' });
    expect(ring.authenticate('Bearer not-a-gt-key')).toEqual({ ok: false, reason: 'malformed', presented: 'not-a-gt-key' });
    expect(ring.authenticate(`Bearer ${S.chat} extra`)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(ring.authenticate(`Bearer\t${S.chat}`)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(ring.authenticate(`xBearer ${S.chat}`)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(ring.authenticate('Bearer gtak_unknown_0123456789abcd')).toEqual({ ok: false, reason: 'unknown', presented: 'gtak_unknown_0123456789abcd' });
    expect(ring.authenticate(`Bearer ${S.old}`)).toEqual({ ok: false, reason: 'revoked', presented: S.old, key: ring.byName('old') });
  });

  it('refuses a lowercase scheme only when asked to be case-sensitive (the bearer-lowercase-refused defect)', () => {
    const { ring } = provision();
    const strict = { schemeCaseSensitive: true };
    for (const header of [`Bearer   ${S.chat}`, `Bearer ${S.chat}  `]) expect(ring.authenticate(header, strict).ok, header).toBe(true);
    expect(ring.authenticate(`xBearer ${S.chat}`, strict)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(ring.authenticate(`Bearer ${S.chat} extra`, strict)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(ring.authenticate(`Bearer ${S.chat}x`, strict)).toMatchObject({ ok: false, reason: 'unknown' });
    expect(ring.authenticate(`bearer ${S.chat}`, { schemeCaseSensitive: true })).toEqual({ ok: false, reason: 'malformed', presented: `bearer ${S.chat}` });
    expect(ring.authenticate(`Bearer ${S.chat}`, { schemeCaseSensitive: true }).ok).toBe(true);
  });

  it('tells two keys apart by their whole secret', () => {
    const { ring } = provision();
    const result = ring.authenticate(`Bearer ${S.up}`);
    expect(result.ok && result.key.name).toBe('up');
    expect(ring.authenticate(`Bearer ${S.up.slice(0, -1)}X`)).toMatchObject({ ok: false, reason: 'unknown' });
  });
});

describe('KeyRing.targetKeys', () => {

  it('lists each key with the published names it must not see', () => {
    const { ring } = provision();
    const keys = ring.targetKeys([{ name: 'alias-a' }, { name: 'alias-b' }, { name: 'img' }, { name: 'internal' }], ['chat', 'embeddings']);
    expect(keys.find((k) => k.name === 'chat')).toEqual({
      name: 'chat',
      preset: 'chat-embeddings',
      purpose: 'inference',
      scopes: ['inference:chat', 'inference:embed'],
      models: ['alias-a', 'alias-b'],
      datasets: [],
      hidden_models: ['img', 'internal'],
      family: 'conv-chat-only',
      revoked: false,
    });
    expect(keys.find((k) => k.name === 'custom')).not.toHaveProperty('preset');
    expect(keys.find((k) => k.name === 'up')).toMatchObject({ datasets: ['d1'], hidden_models: ['alias-a', 'alias-b', 'img', 'internal'] });
  });

  it('splits a key\'s names by route where some published name serves only some routes', () => {
    const { ring } = provision();
    const keys = ring.targetKeys([{ name: 'alias-a', serves: ['chat'] }, { name: 'alias-b' }], ['chat', 'embeddings']);
    expect(keys.find((k) => k.name === 'chat')!.modelsByRoute).toEqual({ chat: ['alias-a', 'alias-b'], embeddings: ['alias-b'] });
    expect(keys.find((k) => k.name === 'up')).not.toHaveProperty('modelsByRoute'); // no names at all
    expect(ring.targetKeys([{ name: 'alias-a' }], ['chat']).find((k) => k.name === 'chat')).not.toHaveProperty('modelsByRoute');
  });

  it('hands out copies: changing the view does not change the ring', () => {
    const { ring } = provision();
    const [first] = ring.targetKeys([], []);
    first.scopes.push('x');
    first.models.push('y');
    first.datasets.push('z');
    expect(ring.keys[0]).toMatchObject({ scopes: ['inference:chat', 'inference:embed'], models: ['alias-a', 'alias-b'], datasets: [] });
  });
});
