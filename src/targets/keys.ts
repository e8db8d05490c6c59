// The keys of a live target file as the harness can rely on them: what each key holds, directly or through
// the keys it links (a conversation key inherits its linked inference and upload keys' scopes and
// allowlists), its published names per route, and its family. What the file does not say stays unknown:
// a conversation key whose linked keys are not listed holds its preset's scopes, and may hold more; one
// whose family lists only some of them holds what those give, and may hold more; `links` lists them all.
import type { Contract, Purpose, TargetKey } from '../model.ts';

/** The scope a conversation key gets from a linked upload key (GT-API.md: R9's "directly or through a linked upload key"). */
const CONVERSATION_UPLOAD_SCOPE = 'conversations:upload';

export interface FileKey {
  name: string;
  preset?: string;
  purpose?: Purpose;
  scopes?: string[];
  secret_env: string;
  /** the published names the key may use: one list for every route, or a list per route id */
  models?: string[] | Record<string, string[]>;
  hidden_models?: string[];
  datasets?: string[];
  family?: string;
  /** a conversation key's linked keys, by name in the same file */
  links?: { inference?: string; upload?: string };
  revoked?: boolean;
}

function namesOf(models: FileKey['models']): { all: string[]; byRoute?: Record<string, string[]> } {
  if (!models) return { all: [] };
  if (Array.isArray(models)) return { all: models };
  return { all: [...new Set(Object.values(models).flat())], byRoute: models };
}

/** The TargetKeys of a target file's keys (the file is already valid against its schema and presets). */
export function targetKeys(keys: FileKey[], contract: Contract): TargetKey[] {
  const byName = new Map(keys.map((k) => [k.name, k]));
  const purposeOf = (k: FileKey): Purpose => k.purpose ?? contract.presets.find((p) => p.id === k.preset)?.purpose ?? 'inference';
  const ownScopes = (k: FileKey) => k.scopes ?? contract.presets.find((p) => p.id === k.preset)?.scopes ?? [];

  /** A conversation key's linked keys: named in `links`, else the inference and upload keys of its family. */
  const linksOf = (k: FileKey): { inference?: FileKey; upload?: FileKey } => {
    const family = k.family ? keys.filter((o) => o !== k && o.family === k.family) : [];
    const pick = (kind: 'inference' | 'upload') => (k.links?.[kind] ? byName.get(k.links[kind]!) : family.find((o) => purposeOf(o) === kind));
    return { inference: pick('inference'), upload: pick('upload') };
  };
  const familyOf = new Map<string, string>();
  for (const k of keys) {
    if (purposeOf(k) !== 'conversation') continue;
    const links = linksOf(k);
    const family = k.family ?? k.name;
    for (const linked of [links.inference, links.upload]) if (linked) familyOf.set(linked.name, linked.family ?? family);
  }

  return keys.map((k) => {
    const purpose = purposeOf(k);
    const own = namesOf(k.models);
    let scopes = ownScopes(k);
    let names = own;
    let datasets = k.datasets ?? [];
    let scopesKnown = true;
    let modelsKnown = k.models !== undefined;
    if (purpose === 'conversation') {
      const { inference, upload } = linksOf(k);
      const inherited = [...(inference ? ownScopes(inference) : []), ...(upload ? [...ownScopes(upload), CONVERSATION_UPLOAD_SCOPE] : [])];
      // It holds what its listed linked keys give; with none listed, what its preset gives (the wizard links both).
      scopes = [...new Set([...(k.scopes ?? (inference || upload ? [] : scopes)), ...inherited])];
      // `links` names every linked key; without it (or scopes written out), more may be inherited than the file shows.
      scopesKnown = !!k.scopes || !!k.links || (!!inference && !!upload);
      if (!k.models && inference) {
        names = namesOf(inference.models);
        modelsKnown = inference.models !== undefined;
      }
      if (!k.datasets && upload) datasets = upload.datasets ?? [];
    }
    // A list per route is the whole allowlist only when it gives every route the key may call with a model.
    const uncovered = names.byRoute && contract.routes.some((r) => r.needs.model && r.needs.purposes.includes(purpose) && (!r.needs.scope || scopes.includes(r.needs.scope)) && !(r.id in names.byRoute!));
    if (uncovered) modelsKnown = false;
    return {
      name: k.name,
      ...(k.preset ? { preset: k.preset } : {}),
      purpose,
      scopes,
      ...(scopesKnown ? {} : { scopesKnown: false }),
      models: names.all,
      ...(modelsKnown || purpose === 'upload' ? {} : { modelsKnown: false }),
      ...(names.byRoute ? { modelsByRoute: names.byRoute } : {}),
      datasets,
      hidden_models: k.hidden_models ?? [],
      family: familyOf.get(k.name) ?? k.family ?? k.name,
      revoked: k.revoked,
      secret_env: k.secret_env,
    };
  });
}
