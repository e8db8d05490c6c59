// Provisioning: the default seed, seed files and their one-line errors, secrets, the Target view.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { createTenant, SeedError, TenantOptionError, type TenantSeed } from '../../src/tenant/index.ts';
import { API, testTenant } from './helpers.ts';

const contract = loadContract();
const dir = mkdtempSync(path.join(tmpdir(), 'gt-seed-'));
function seedFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('the default seed', () => {
  const tenant = createTenant();
  const key = (name: string) => tenant.target.keys.find((k) => k.name === name)!;

  it('has one key per preset of presets.yaml, named after the preset', () => {
    for (const preset of contract.presets) {
      const k = key(preset.id);
      expect(k, preset.id).toBeDefined();
      expect(k.preset).toBe(preset.id);
      expect(k.purpose).toBe(preset.purpose);
      // a conversation key's effective scopes are its linked keys': at least the preset's
      if (preset.purpose === 'conversation') expect(k.scopes).toEqual(expect.arrayContaining(preset.scopes));
      else expect([...k.scopes].sort()).toEqual([...preset.scopes].sort());
    }
  });

  it('links the conversation app to its inference and upload keys, as one family', () => {
    const app = key('conversation-app');
    // the conversation-app preset's scopes exactly: its linked inference key holds chat alone, its upload key datasets:write
    expect(app.scopes.sort()).toEqual(['conversations:upload', 'datasets:write', 'inference:chat']);
    expect(app.models).toEqual(key('conversation-app.inference').models);
    expect(app.datasets).toEqual(key('conversation-app.upload').datasets);
    for (const name of ['conversation-app', 'conversation-app.inference', 'conversation-app.upload']) expect(key(name).family).toBe('conversation-app');
    for (const name of ['other-family', 'other-family.inference', 'other-family.upload']) expect(key(name).family).toBe('other-family');
    expect(key('openai-chat').family).toBe('openai-chat');
  });

  it('has the openai-chat preset plus one scope keys, a revoked key and a foreign dataset', () => {
    for (const extra of ['embed', 'transcribe', 'speech', 'image']) {
      const k = key(`openai-chat+${extra}`);
      expect(k.preset).toBe('openai-chat');
      expect(k.scopes).toEqual(['inference:chat', `inference:${extra}`]);
    }
    expect(key('revoked').revoked).toBe(true);
    expect(key('openai-chat').revoked).toBe(false);
    const foreign = tenant.target.foreignDataset!;
    expect(foreign).toBe('restricted-archive');
    expect(tenant.target.keys.some((k) => k.datasets.includes(foreign))).toBe(false);
  });

  it('publishes names on no allowlist, listed as hidden for every key', () => {
    for (const k of tenant.target.keys) {
      expect(k.hidden_models).toContain('internal-ops-agent');
      expect(k.hidden_models).toContain('gpt-4o-2024-08-06');
      for (const m of k.models) expect(k.hidden_models).not.toContain(m);
    }
  });

  it('describes itself as an embedded target without secrets', () => {
    expect(tenant.target).toMatchObject({ kind: 'embedded', uploads: true });
    expect(tenant.target.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1\/api\/tenant$/);
    expect(JSON.stringify(tenant.target)).not.toMatch(/gtak_/);
  });

  it('gives every key a distinct fresh gtak_ secret', () => {
    const secrets = Object.values(tenant.secrets);
    expect(Object.keys(tenant.secrets).sort()).toEqual(tenant.target.keys.map((k) => k.name).sort());
    for (const s of secrets) expect(s).toMatch(/^gtak_[A-Za-z0-9_-]{32}$/);
    expect(new Set(secrets).size).toBe(secrets.length);
    // random per process, the same for a key name within it (src/tenant/keys.ts freshSecret)
    expect(createTenant().secrets['openai-chat']).toBe(tenant.secrets['openai-chat']);
  });
});

describe('seed files', () => {
  const fixed = 'gtak_FixedSecretForTests0001';
  const yaml = `
published:
  - alias-one
  - { name: raw-one, kind: raw, owned_by: catalog }
datasets: [ds-one, ds-hidden]
keys:
  - name: chat
    preset: openai-chat
    models: [alias-one]
    secret: ${fixed}
  - name: up
    preset: dataset-upload
    datasets: [ds-one]
`;

  it('reads a YAML seed with a fixed secret that authenticates', async () => {
    const t = testTenant({ seed: seedFile('ok.yaml', yaml) });
    expect(t.secrets.chat).toBe(fixed);
    expect(t.secrets.up).toMatch(/^gtak_/);
    const res = await t.http.get(`${API}/models`).set('Authorization', `Bearer ${fixed}`).expect(200);
    expect(res.body.data).toEqual([expect.objectContaining({ id: 'alias-one', owned_by: 'gt-tenant' })]);
    expect(t.target.foreignDataset).toBe('ds-hidden');
    expect(t.target.keys.find((k) => k.name === 'chat')!.hidden_models).toEqual(['raw-one']);
  });

  it('reads a JSON seed', () => {
    const seed: TenantSeed = { published: ['a'], datasets: [], keys: [{ name: 'k', preset: 'openai-chat', models: ['a'] }] };
    const t = createTenant({ seed: seedFile('ok.json', JSON.stringify(seed)) });
    expect(t.target.keys.map((k) => k.name)).toEqual(['k']);
  });

  it('replaces fixed secrets with fresh ones when asked', () => {
    const t = createTenant({ seed: seedFile('fresh.yaml', yaml), freshSecrets: true });
    expect(t.secrets.chat).not.toBe(fixed);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['unreadable', '', /cannot read: ENOENT$/],
    ['not yaml', 'published: [a\nkeys: {', /bad-1\.yaml:\d+: not valid YAML or JSON/],
    ['unknown preset', 'published: [a]\nkeys:\n  - { name: k, preset: nope }\n', /bad-2\.yaml:3: keys\[0\]\.preset: "nope" is not a preset; presets: openai-chat/],
    ['unpublished model', 'published: [a]\nkeys:\n  - name: k\n    preset: openai-chat\n    models: [a, b]\n', /bad-3\.yaml:5: keys\[0\]\.models\[1\]: "b" is not a published name$/],
    ['unknown scope', 'published: []\nkeys:\n  - { name: k, purpose: inference, scopes: ["inference:fly"] }\n', /keys\[0\]\.scopes\[0\]: "inference:fly" is not a scope/],
    ['duplicate key', 'published: []\nkeys:\n  - { name: k, purpose: inference }\n  - { name: k, purpose: upload }\n', /bad-5\.yaml:4: keys\[1\]\.name: "k" is used by two keys/],
    ['bad secret', 'published: []\nkeys:\n  - { name: k, purpose: inference, secret: "sk-secret-value" }\n', /keys\[0\]\.secret: must be gtak_/],
    ['bad link', 'published: []\nkeys:\n  - { name: app, preset: conversation-app, links: { inference: up } }\n  - { name: up, purpose: upload }\n', /keys\[0\]\.links\.inference: "up" is not an inference key/],
    ['conversation with models', 'published: [a]\nkeys:\n  - { name: app, preset: conversation-app, models: [a] }\n', /inherits models, datasets and scopes/],
    ['bad dataset id', 'published: []\ndatasets: ["../etc"]\nkeys: []\n', /datasets\[0\]: "\.\.\/etc" is not a valid dataset id/],
    ['unknown field', 'published: []\nkeys: []\nextra: 1\n', /extra: unknown field; fields: published, datasets, keys/],
  ];
  bad.forEach(([label, text, message], i) => {
    it(`rejects a seed with ${label} in one line`, () => {
      const file = i === 0 ? path.join(dir, 'missing.yaml') : seedFile(`bad-${i}.yaml`, text);
      let error: unknown;
      try {
        createTenant({ seed: file });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(SeedError);
      const msg = (error as Error).message;
      expect(msg.split('\n')).toHaveLength(1);
      expect(msg).toMatch(/^seed /);
      expect(msg).toMatch(message);
      expect(msg).not.toContain('sk-secret-value');
    });
  });

  it('rejects bad options in one line', () => {
    expect(() => createTenant({ processingMs: -1 })).toThrow(TenantOptionError);
    expect(() => createTenant({ rateLimit: { every: 0, retryAfterSeconds: 1 } })).toThrow(/rateLimit\.every must be an integer >= 1/);
    expect(() => createTenant({ profile: 'strict' as 'default' })).toThrow(/unknown tenant profile "strict"/);
  });
});
