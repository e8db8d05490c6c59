// The tenant's keys as GT has them: purposes, effective scopes and allowlists (a conversation key
// inherits from its linked keys), families, revocation. Secrets are kept only as sha256 hashes and
// compared in constant time.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Contract, Purpose, TargetKey } from '../model.ts';
import { SECRET_PATTERN, type TenantSeed } from './seed.ts';

export interface TenantKey {
  name: string;
  preset?: string;
  purpose: Purpose;
  /** effective scopes: a conversation key's are its linked keys' plus conversations:upload when it links an upload key */
  scopes: string[];
  models: string[];
  datasets: string[];
  family: string;
  revoked: boolean;
}

interface StoredKey {
  key: TenantKey;
  hash: Buffer;
}

export type AuthResult =
  | { ok: true; key: TenantKey }
  | { ok: false; reason: 'missing' | 'malformed' | 'unknown'; presented?: string }
  | { ok: false; reason: 'revoked'; presented: string; key: TenantKey };

export const CONVERSATION_UPLOAD_SCOPE = 'conversations:upload';

/**
 * Random per process, the same for a key name within it: the secrets of one run are unknown to any other
 * process, and a process that starts many tenants (the selftest, the tests) has one set of secrets to mask,
 * not one more per tenant (each remembered secret makes every later redaction slower: src/http/redact.ts).
 */
const PROCESS_SALT = randomBytes(32);

export function freshSecret(keyName: string): string {
  return `gtak_${createHmac('sha256', PROCESS_SALT).update(keyName).digest().subarray(0, 24).toString('base64url')}`;
}

function hashOf(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export class KeyRing {
  private readonly stored: StoredKey[];
  readonly keys: TenantKey[];

  /** Provisions the seed's keys; the secrets (name → secret) are handed out once here and not kept. */
  static provision(seed: TenantSeed, contract: Contract, freshSecrets: boolean): { ring: KeyRing; secrets: Record<string, string> } {
    const secrets: Record<string, string> = {};
    const ring = new KeyRing(seed, contract, freshSecrets, secrets);
    return { ring, secrets };
  }

  private constructor(seed: TenantSeed, contract: Contract, freshSecrets: boolean, secretsOut: Record<string, string>) {
    const presetOf = (id?: string) => contract.presets.find((p) => p.id === id);
    const seedKeys = new Map(seed.keys.map((k) => [k.name, k]));
    const familyOf = new Map<string, string>();
    for (const k of seed.keys) {
      if (k.links?.inference) familyOf.set(k.links.inference, k.name);
      if (k.links?.upload) familyOf.set(k.links.upload, k.name);
    }
    const own = (name: string) => {
      const k = seedKeys.get(name)!;
      const preset = presetOf(k.preset);
      return {
        purpose: (k.purpose ?? preset!.purpose) as Purpose,
        scopes: k.scopes ?? preset?.scopes ?? [],
        models: k.models ?? [],
        datasets: k.datasets ?? [],
      };
    };
    this.stored = seed.keys.map((k) => {
      const mine = own(k.name);
      let { scopes, models, datasets } = mine;
      if (mine.purpose === 'conversation') {
        const inference = k.links?.inference ? own(k.links.inference) : undefined;
        const upload = k.links?.upload ? own(k.links.upload) : undefined;
        scopes = [...(inference?.scopes ?? []), ...(upload?.scopes ?? []), ...(upload ? [CONVERSATION_UPLOAD_SCOPE] : [])];
        models = inference?.models ?? [];
        datasets = upload?.datasets ?? [];
      }
      const secret = !freshSecrets && k.secret ? k.secret : freshSecret(k.name);
      secretsOut[k.name] = secret;
      const key: TenantKey = {
        name: k.name,
        preset: k.preset,
        purpose: mine.purpose,
        scopes: [...new Set(scopes)],
        models: [...new Set(models)],
        datasets: [...new Set(datasets)],
        family: familyOf.get(k.name) ?? k.name,
        revoked: k.revoked ?? false,
      };
      return { key, hash: hashOf(secret) };
    });
    this.keys = this.stored.map((s) => s.key);
  }

  byName(name: string): TenantKey | undefined {
    return this.keys.find((k) => k.name === name);
  }

  /**
   * Resolves an Authorization header value. The scheme is case-insensitive (RFC 7235 section 2.1), unless
   * `schemeCaseSensitive` (the bearer-lowercase-refused defect). Compares against every stored hash, in constant time each.
   */
  authenticate(header: string | undefined, { schemeCaseSensitive = false } = {}): AuthResult {
    if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
    const match = (schemeCaseSensitive ? /^Bearer[ ]+(\S+)\s*$/ : /^Bearer[ ]+(\S+)\s*$/i).exec(header);
    const presented = match?.[1];
    if (!presented || !SECRET_PATTERN.test(presented)) return { ok: false, reason: 'malformed', presented: presented ?? header };
    const hash = hashOf(presented);
    let found: StoredKey | undefined;
    for (const s of this.stored) {
      if (timingSafeEqual(s.hash, hash)) found = s;
    }
    if (!found) return { ok: false, reason: 'unknown', presented };
    if (found.key.revoked) return { ok: false, reason: 'revoked', presented, key: found.key };
    return { ok: true, key: found.key };
  }

  /** The TargetKey view of every key: effective scopes, allowlists (per route where names serve only some), and the published names it must not see. */
  targetKeys(published: Array<{ name: string; serves?: string[] }>, modelRoutes: string[]): TargetKey[] {
    const names = published.map((p) => p.name);
    const servesOf = new Map(published.map((p) => [p.name, p.serves]));
    const split = published.some((p) => p.serves);
    return this.keys.map((k) => ({
      name: k.name,
      ...(k.preset ? { preset: k.preset } : {}),
      purpose: k.purpose,
      scopes: [...k.scopes],
      models: [...k.models],
      ...(split && k.models.length ? { modelsByRoute: Object.fromEntries(modelRoutes.map((r) => [r, k.models.filter((m) => !servesOf.get(m) || servesOf.get(m)!.includes(r))])) } : {}),
      datasets: [...k.datasets],
      hidden_models: names.filter((n) => !k.models.includes(n)),
      family: k.family,
      revoked: k.revoked,
    }));
  }
}
