// Finds the target key a check needs, from what the key can and provably cannot do. An unmet need is an
// Unmet whose message says what the target lacks and which key would enable the check.
import type { Contract, Preset, Purpose, Target, TargetKey } from '../model.ts';
import { byNarrowness, holds, keyWords, lacks, mayNameAModel, needOf, type KeyNeed } from '../targets/capabilities.ts';
import { needWords, Unmet, type KeyFinder } from '../kinds/kind.ts';

/** The narrowest wizard preset that would make a key meeting the need, for the skip message. */
function presetFor(contract: Contract, need: KeyNeed): string | undefined {
  const fit = contract.presets.filter((p) => need.purposes.includes(p.purpose) && need.scopes.every((s) => p.scopes.includes(s)));
  return fit.sort((a, b) => a.scopes.length - b.scopes.length)[0]?.id;
}

function isShapedLike(key: TargetKey, preset: Preset): boolean {
  return key.purpose === preset.purpose && key.scopes.length === preset.scopes.length && preset.scopes.every((s) => key.scopes.includes(s));
}

/**
 * Keys of the right purpose and scopes that a check still cannot use because the file names no model or dataset
 * for them (a call needs a name that serves it): the hint says which and what to add.
 */
function allowlistHint(keys: TargetKey[], need: KeyNeed): string | undefined {
  const fits = keys.filter((k) => need.purposes.includes(k.purpose) && need.scopes.every((s) => k.scopes.includes(s)));
  for (const [field, lacking] of [
    ['models', fits.filter((k) => k.purpose !== 'upload' && k.models.length === 0)],
    ['datasets', need.dataset ? fits.filter((k) => k.datasets.length === 0) : []],
  ] as const) {
    if (lacking.length) return `${lacking.map(keyWords).join(', ')} ${lacking.length === 1 ? 'holds' : 'hold'} it, but the target names no ${field} for ${lacking.length === 1 ? 'it' : 'them'}: add ${field}: [...]`;
  }
  return undefined;
}

export function keyFinder(target: Target, contract: Contract): KeyFinder {
  const live = target.keys.filter((k) => !k.revoked);
  const where = target.kind === 'live' ? 'the target file lists' : 'the tenant seed has';
  const unmet = (what: string, hint?: string) => new Unmet(`${where} no key that ${what}${hint ? ` (${hint})` : ''}`);
  const presetHint = (need: KeyNeed) => {
    const preset = presetFor(contract, need);
    return preset ? `add one made with the ${preset} preset${need.scopes.length ? ` or holding ${need.scopes.join(', ')}` : ''}` : undefined;
  };
  const prefer = (keys: TargetKey[], preset?: string) => (preset && keys.find((k) => k.preset === preset)) || keys[0];
  /** The key may name a model on the route (where the route names one): a refusal then is not about the model. */
  const namesTheRoute = (need: KeyNeed) => (k: TargetKey) => mayNameAModel(k, need.route, !!need.model);
  /** A route that reads an object back succeeds on an object the key made itself (src/plan/probe-book.ts): the key must be able to make one. */
  const makesWhatItReads = (need: KeyNeed) => {
    const reads = contract.routes.find((r) => r.id === need.route)?.reads;
    const makers = reads ? contract.routes.filter((r) => r.creates === reads) : [];
    return (k: TargetKey) => makers.length === 0 || makers.some((r) => holds(k, needOf(r)));
  };

  return {
    holding(need, options = {}) {
      const purposes = options.purposes ? need.purposes.filter((p) => options.purposes!.includes(p)) : need.purposes;
      const canMake = makesWhatItReads(need);
      const able = target.keys
        .filter((k) => holds(k, { ...need, purposes }) && canMake(k) && (!options.hides || k.hidden_models.length > 0))
        .sort(byNarrowness);
      const key = prefer(able, options.prefer);
      if (key) return key;
      const what = `holds ${needWords({ ...need, purposes })}${options.purposes ? ` and is ${purposes.join(' or ')}-facing` : ''}${options.hides ? ' and names a published model it must not see (hidden_models)' : ''}`;
      throw unmet(options.label ?? what, allowlistHint(live, { ...need, purposes }) ?? presetHint({ ...need, purposes }));
    },

    lacking(need, options = {}) {
      const lacking = live.filter((k) => lacks(k, need)).sort(byNarrowness);
      // A key of the route's own purpose without the scope proves more than a key of another purpose, and one
      // that may name a model on the route more again: only the missing scope can refuse it.
      const samePurpose = lacking.filter((k) => need.purposes.includes(k.purpose));
      const named = samePurpose.filter(namesTheRoute(need));
      const key = prefer(named.length ? named : samePurpose.length ? samePurpose : lacking, options.prefer);
      if (key) return key;
      const unknown = live.filter((k) => !lacks(k, need) && !holds(k, need));
      const hint = unknown.length ? `${unknown.map(keyWords).join(', ')} may lack it, but the target does not say what ${unknown.length === 1 ? 'it holds' : 'they hold'}` : 'add a key of another preset';
      throw unmet(options.label ?? `provably lacks ${needWords(need)}`, hint);
    },

    preset(presetId, need) {
      const spec = contract.presets.find((p) => p.id === presetId);
      const presetScopes = spec?.scopes ?? [];
      const declared = live.filter((k) => k.preset === presetId);
      // A key the file gives by purpose and scopes, naming no preset, is the preset's key where it has exactly the
      // preset's purpose and scopes: the tenant cannot tell the two apart (GT-API.md: a preset is a purpose and scopes).
      const own = (declared.length ? declared : live.filter((k) => !k.preset && spec !== undefined && isShapedLike(k, spec))).sort(byNarrowness);
      const exact = own.filter((k) => k.scopes.length === presetScopes.length);
      const key = (need && exact.find(namesTheRoute(need))) ?? exact[0] ?? own[0];
      if (key) return key;
      const alternative = spec ? `, or a key of purpose ${spec.purpose} with exactly ${spec.scopes.join(', ')}` : '';
      throw unmet(`was made with the ${presetId} preset`, `add the product's own key: preset ${presetId}${alternative}`);
    },

    revoked() {
      const key = target.keys.find((k) => k.revoked);
      if (key) return key;
      throw unmet('is revoked', 'add a revoked key with revoked: true');
    },

    ofPurpose(purpose: Purpose) {
      const key = live.filter((k) => k.purpose === purpose).sort(byNarrowness)[0];
      if (key) return key;
      throw unmet(`is an ${purpose} key`);
    },

    otherFamily(of, need) {
      const key = target.keys.filter((k) => k.family !== of.family && holds(k, need)).sort(byNarrowness)[0];
      if (key) return key;
      throw unmet(`holds ${needWords(need)} in another key family than ${of.name}`, 'add a key of a second family (family: <name>)');
    },

    foreignDataset() {
      if (target.foreignDataset) return target.foreignDataset;
      throw new Unmet(`${where} no dataset outside every allowlist (foreign_dataset)`);
    },
  };
}
