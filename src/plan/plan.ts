// The planner: runbooks × contract × target → probes (deduplicated requests) and checks (what each product is told).
import type { Check, Contract, DriverId, Finding, Plan, Probe, RouteSpec, Runbook, Target, TargetKey, Verdict } from '../model.ts';
import { profileById } from '../clients/load.ts';
import { profileIdFor } from '../clients/profiles-for-runbooks.ts';
import { documentedCalls } from '../clients/findings.ts';
import { keyFor, keyLacking, needOf, otherFamilyKey, presetKey, revokedKey, satisfies } from './keys.ts';

export interface PlanFilters {
  products?: string[];
  routes?: string[];
  verdicts?: Verdict[];
  skipRoutes?: string[];
  uploads?: boolean; // false: no upload probes (--no-uploads)
}

/** The actions a driver can perform through its own client library; other routes go over plain HTTP. */
const driverRoutes: Record<DriverId, string[]> = {
  http: [],
  openai: ['models', 'chat', 'embeddings', 'transcriptions', 'speech', 'images'],
  'ai-sdk': ['chat', 'embeddings'],
  langchain: ['chat', 'embeddings'],
};

/** The generic profile is what the generic checks already send; replaying it would add nothing. */
const GENERIC_PROFILE = 'generic-http';
/** The profile of @ai-sdk/openai's createOpenAI, whose documented call a run settles by sending it. */
const AI_SDK_PROVIDER_PROFILE = 'ai-sdk-openai';

const uploadRoutes = new Set(['dataset-files', 'conversation-files', 'file-status']);

class PlanBuilder {
  readonly probes = new Map<string, Probe>();
  readonly checks: Check[] = [];

  constructor(
    readonly contract: Contract,
    readonly target: Target,
    readonly filters: PlanFilters,
  ) {}

  route(id: string): RouteSpec {
    const route = this.contract.routes.find((r) => r.id === id);
    if (!route) throw new Error(`unknown route ${id}`);
    return route;
  }

  /** Why a route cannot be called on this target, if it cannot. */
  blockedRoute(routeId: string): string | undefined {
    if (this.filters.skipRoutes?.includes(routeId)) return `route ${routeId} skipped by --skip-route`;
    if (this.target.allowedRoutes && !this.target.allowedRoutes.includes(routeId))
      return `route ${routeId} is not in the target's allowed_routes`;
    if (this.filters.uploads === false && uploadRoutes.has(routeId)) return 'uploads disabled by --no-uploads';
    if (!this.target.uploads && uploadRoutes.has(routeId)) return 'the target does not allow uploads';
    return undefined;
  }

  /** Adds a probe once; a second request for the same id returns the first. */
  probe(p: Omit<Probe, 'id' | 'keyPreset'> & { id?: string }, key?: TargetKey): string {
    const keyName = typeof p.key === 'string' ? p.key : '';
    const id = p.id ?? [p.route, p.action, keyName, p.driver !== 'http' ? p.driver : '', p.params?.variant ?? '']
      .filter(Boolean)
      .join(':');
    if (!this.probes.has(id)) {
      const skip = p.skip ?? this.blockedRoute(p.route) ?? (p.dependsOn ?? []).map((d) => this.probes.get(d)?.skip).find(Boolean);
      const keyPreset = key ? `${key.preset ?? key.name}${key.revoked ? ' (revoked)' : ''}` : p.key;
      this.probes.set(id, { ...p, id, keyPreset, ...(skip ? { skip } : {}) });
    }
    return id;
  }

  missingKey(routeId: string, what: string): string {
    return this.probe({ id: `${routeId}:no-key:${what}`, route: routeId, action: 'none', key: '@none', expect: 'success', driver: 'http', skip: `the target has no key that ${what}` });
  }

  // ----- the probes of each route -----

  /** A successful call of the route with `key`, and the probes it depends on. */
  success(routeId: string, key: TargetKey, driver: DriverId, profile?: string, aiSdkProfile?: string): string {
    const viaDriver = driverRoutes[driver].includes(routeId) ? driver : 'http';
    // The Vercel AI SDK runbook documents @ai-sdk/openai's createOpenAI, not the openai-compatible provider.
    const provider = viaDriver === 'ai-sdk' && aiSdkProfile === AI_SDK_PROVIDER_PROFILE ? { aiSdkProvider: 'openai', variant: 'createOpenAI' } : undefined;
    const params = profile ? { profile, variant: `profile=${profile}` } : provider;
    switch (routeId) {
      case 'conversation-files': {
        const conversation = this.conversation(key);
        return this.probe({ route: routeId, action: 'upload', key: key.name, expect: 'success', driver: 'http', dependsOn: [conversation] }, key);
      }
      case 'file-status': {
        const upload = this.upload(key);
        return this.probe({ route: routeId, action: 'poll', key: key.name, expect: 'ready', driver: 'http', dependsOn: [upload] }, key);
      }
      case 'dataset-files':
        return this.upload(key);
      case 'conversations':
        return this.conversation(key);
      default:
        return this.probe({ route: routeId, action: 'call', key: key.name, expect: 'success', driver: viaDriver, params }, key);
    }
  }

  conversation(key: TargetKey): string {
    return this.probe({ route: 'conversations', action: 'create', key: key.name, expect: 'success', driver: 'http' }, key);
  }

  /** An upload the key can make: into its dataset when it may, else into a conversation. */
  upload(key: TargetKey): string {
    if (key.scopes.includes('datasets:write') && key.datasets.length > 0)
      return this.probe({ route: 'dataset-files', action: 'upload', key: key.name, expect: 'success', driver: 'http' }, key);
    return this.success('conversation-files', key, 'http');
  }

  denial(routeId: string, key: TargetKey, owner?: TargetKey): string {
    const dependsOn: string[] = [];
    if (routeId === 'file-status' || routeId === 'conversation-files') {
      const source = owner ?? this.anyOwner(routeId);
      if (!source) return this.missingKey(routeId, 'can make an object for the denial probe');
      dependsOn.push(routeId === 'file-status' ? this.upload(source) : this.conversation(source));
    }
    return this.probe({ route: routeId, action: 'denied', key: key.name, expect: 'denied', driver: 'http', dependsOn }, key);
  }

  anyOwner(routeId: string): TargetKey | undefined {
    const need = routeId === 'file-status' ? needOf(this.route('dataset-files')) : needOf(this.route('conversations'));
    return keyFor(this.target, routeId === 'file-status' ? 'dataset-upload' : 'conversation-app', need);
  }

  unauthorized(routeId: string, key: string, revoked?: TargetKey): string {
    return this.probe({ route: routeId, action: 'unauthorized', key, expect: 'unauthorized', driver: 'http' }, revoked);
  }

  // ----- checks per product -----

  addRunbook(runbook: Runbook): void {
    const ownKey = presetKey(this.target, this.contract, runbook.preset);
    for (const row of runbook.routes) {
      if (this.filters.routes && !this.filters.routes.includes(row.route)) continue;
      if (this.filters.verdicts && !this.filters.verdicts.includes(row.verdict)) continue;
      const route = this.route(row.route);
      const base = { group: 'route' as const, product: runbook.id, route: row.route, verdict: row.verdict };
      const severity = row.verdict === 'native' ? 'critical' : 'normal';
      const need = needOf(route, row.requires_scope);
      if (row.verdict === 'not_supported') {
        if (!ownKey) {
          this.checks.push({ ...base, id: `${runbook.id}/${row.route}/preset-denied`, title: `the ${runbook.preset} preset key is denied ${route.method} ${route.path}`, probes: [this.missingKey(row.route, `has the ${runbook.preset} preset`)], severity: 'normal', denial: true });
          continue;
        }
        const holds = satisfies(ownKey, needOf(route));
        const check: Check = {
          ...base,
          id: `${runbook.id}/${row.route}/preset-denied`,
          title: `the ${runbook.preset} preset key is denied ${route.method} ${route.path} (least privilege)`,
          probes: holds ? [] : [this.denial(row.route, ownKey)],
          severity: 'normal',
          denial: true,
        };
        if (holds) check.notExercised = presetHoldsReason(runbook.preset, route);
        this.checks.push(check);
        continue;
      }
      const positiveKey = keyFor(this.target, runbook.preset, need);
      const scopeWords = need.scopes.length ? need.scopes.join(' + ') : route.needs.purposes.join(' or ') + ' purpose';
      this.checks.push({
        ...base,
        id: `${runbook.id}/${row.route}/works`,
        title: `${route.method} ${route.path} works with a key holding ${scopeWords} and answers as the contract says`,
        probes: [positiveKey ? this.success(row.route, positiveKey, runbook.driver, this.profileFor(runbook, row.route), runbook.client_profile) : this.missingKey(row.route, `holds ${scopeWords}`)],
        severity,
      });
      const denyKey = keyLacking(this.target, runbook.preset, route, need);
      this.checks.push({
        ...base,
        id: `${runbook.id}/${row.route}/denied-without-scope`,
        title: `${route.method} ${route.path} is denied to a key without ${scopeWords}`,
        probes: [denyKey ? this.denial(row.route, denyKey, positiveKey) : this.missingKey(row.route, `lacks ${scopeWords}`)],
        severity,
        denial: true,
      });
    }
    this.addChecklist(runbook, ownKey);
  }

  /** A product calling GT over plain HTTP has its requests replayed from its client profile, where one describes the route. */
  profileFor(runbook: Runbook, routeId: string): string | undefined {
    if (runbook.driver !== 'http') return undefined;
    const id = profileIdFor(runbook);
    const profile = id && id !== GENERIC_PROFILE ? profileById(id) : undefined;
    return profile?.routes[routeId] ? id : undefined;
  }

  addChecklist(runbook: Runbook, ownKey: TargetKey | undefined): void {
    runbook.checklist.forEach((item, index) => {
      const id = `${runbook.id}/checklist/${index + 1}${item.check ? `-${item.check}` : ''}`;
      const base = { id, group: 'validation' as const, product: runbook.id, title: item.text, severity: 'normal' as const };
      if (!item.check) {
        this.checks.push({ ...base, probes: [], manual: true });
        return;
      }
      if (this.filters.routes || this.filters.verdicts) return; // checklist items belong to the whole product
      this.checks.push({ ...base, route: checklistRoute[item.check], probes: this.checklistProbes(runbook, item.check, ownKey) });
    });
  }

  checklistProbes(runbook: Runbook, check: NonNullable<Runbook['checklist'][number]['check']>, ownKey: TargetKey | undefined): string[] {
    const needKey = (routeId: string, extra?: string) => {
      const key = keyFor(this.target, runbook.preset, needOf(this.route(routeId), extra));
      return key ? this.success(routeId, key, runbook.driver, this.profileFor(runbook, routeId), runbook.client_profile) : this.missingKey(routeId, `can call ${routeId} for ${runbook.preset}`);
    };
    switch (check) {
      case 'models-match-allowlist':
        return [ownKey ? this.success('models', ownKey, 'http') : this.missingKey('models', `has the ${runbook.preset} preset`)];
      case 'chat-with-alias':
        return [needKey('models'), needKey('chat')];
      case 'embeddings-with-alias':
        return [needKey('embeddings')];
      case 'stream-reaches-client':
        return [needKey('chat')];
      case 'upload-reaches-ready':
        return [needKey('file-status')];
      case 'conversation-upload-ready': {
        const key = keyFor(this.target, runbook.preset, needOf(this.route('conversation-files')));
        if (!key) return [this.missingKey('conversation-files', 'may upload into a conversation')];
        const upload = this.success('conversation-files', key, 'http');
        return [upload, this.probe({ route: 'file-status', action: 'poll', key: key.name, expect: 'ready', driver: 'http', dependsOn: [upload] }, key)];
      }
      case 'conversation-continuity': {
        const key = keyFor(this.target, runbook.preset, needOf(this.route('conversations')));
        if (!key) return [this.missingKey('conversations', 'is conversation-facing')];
        return [this.probe({ route: 'chat', action: 'conversation', key: key.name, expect: 'success', driver: 'http', dependsOn: [this.conversation(key)] }, key)];
      }
      case 'revoked-key-fails-closed': {
        const revoked = revokedKey(this.target);
        if (!revoked) return [this.missingKey('models', 'is revoked')];
        return ['models', 'chat'].map((r) => this.unauthorized(r, revoked.name, revoked));
      }
    }
  }

  // ----- cross-cutting checks, once per run -----

  addCrossCutting(): void {
    const add = this.crossCutting.bind(this);
    const routes = this.contract.routes.filter((r) => !this.filters.routes || this.filters.routes.includes(r.id));
    const revoked = revokedKey(this.target);
    for (const route of routes) {
      const label = `${route.method} ${route.path}`;
      add(route.id, 'no-key', `${label} without a key answers 401`, [this.unauthorized(route.id, '@none')], 'blocker');
      add(route.id, 'malformed-key', `${label} with a malformed bearer value answers 401`, [this.unauthorized(route.id, '@malformed')], 'blocker');
      add(route.id, 'unknown-key', `${label} with an unknown gtak_ key answers 401 without echoing it`, [this.unauthorized(route.id, '@unknown')], 'blocker');
      add(route.id, 'revoked-key', `${label} with a revoked key answers 401`, [revoked ? this.unauthorized(route.id, revoked.name, revoked) : this.missingKey(route.id, 'is revoked')], 'blocker');
    }
    this.addCrossCuttingRoutes(routes.map((r) => r.id));
  }

  addCrossCuttingRoutes(routeIds: string[]): void {
    const has = (r: string) => routeIds.includes(r);
    const add = this.crossCutting.bind(this);
    const chatKey = keyFor(this.target, 'openai-chat', needOf(this.route('chat')));
    const embedKey = keyFor(this.target, 'chat-embeddings', needOf(this.route('embeddings')));
    const uploadKey = keyFor(this.target, 'dataset-upload', needOf(this.route('dataset-files')));
    const convKey = keyFor(this.target, 'conversation-app', needOf(this.route('conversation-files')));
    const foreignKey = (need: ReturnType<typeof needOf>, of?: TargetKey) => (of ? otherFamilyKey(this.target, of.family, need) : undefined);
    const key = (k: TargetKey | undefined, what: string, route: string, make: (k: TargetKey) => string) => (k ? make(k) : this.missingKey(route, what));

    if (has('models')) {
      const upload = this.target.keys.find((k) => !k.revoked && k.purpose === 'upload');
      add('models', 'upload-key', 'an upload key lists no models (403 or an empty list)', [key(upload, 'is an upload key', 'models', (k) => this.denial('models', k))]);
      const lister = keyFor(this.target, 'openai-chat', needOf(this.route('models')));
      add('models', 'lowercase-bearer', 'GET /v1/models with "Authorization: bearer <key>" is served (RFC 7235: the scheme is case-insensitive)', [key(lister, 'may list models', 'models', (k) => this.probe({ route: 'models', action: 'lowercase-bearer', key: k.name, expect: 'success', driver: 'http' }, k))], 'normal');
    }
    if (has('chat')) {
      add('chat', 'model-not-allowlisted', 'chat with a published model not on the key allowlist is denied', [key(chatKey, 'may chat', 'chat', (k) => this.probe({ route: 'chat', action: 'hidden-model', key: k.name, expect: 'denied', driver: 'http' }, k))]);
      add('chat', 'malformed-json', 'chat with malformed JSON answers 400 or 422, never 5xx', [key(chatKey, 'may chat', 'chat', (k) => this.badRequest('chat', k, 'malformed-json'))]);
      add('chat', 'missing-field', 'chat without messages answers 400 or 422, never 5xx', [key(chatKey, 'may chat', 'chat', (k) => this.badRequest('chat', k, 'missing-field'))]);
      add('chat', 'foreign-conversation', "chat bound to another key family's conversation is refused", [key(convKey, 'is conversation-facing', 'chat', (k) => {
        const other = foreignKey(needOf(this.route('conversations')), k);
        return other ? this.probe({ route: 'chat', action: 'foreign-conversation', key: other.name, expect: 'denied', driver: 'http', dependsOn: [this.conversation(k)] }, other) : this.missingKey('chat', 'is conversation-facing in another family');
      })]);
      add('chat', 'unknown-conversation', 'chat bound to an unknown conversation id is refused', [key(convKey, 'is conversation-facing', 'chat', (k) => this.probe({ route: 'chat', action: 'unknown-conversation', key: k.name, expect: 'denied', driver: 'http' }, k))]);
    }
    if (has('embeddings')) {
      add('embeddings', 'model-not-allowlisted', 'embeddings with a published model not on the key allowlist is denied', [key(embedKey, 'may embed', 'embeddings', (k) => this.probe({ route: 'embeddings', action: 'hidden-model', key: k.name, expect: 'denied', driver: 'http' }, k))]);
      add('embeddings', 'missing-field', 'embeddings without input answers 400 or 422, never 5xx', [key(embedKey, 'may embed', 'embeddings', (k) => this.badRequest('embeddings', k, 'missing-field'))]);
    }
    if (has('speech')) {
      const k = keyFor(this.target, 'voice-audio', needOf(this.route('speech')));
      add('speech', 'missing-field', 'speech without input answers 400 or 422, never 5xx', [key(k, 'may synthesise speech', 'speech', (kk) => this.badRequest('speech', kk, 'missing-field'))]);
    }
    if (has('images')) {
      const k = keyFor(this.target, 'image-generation', needOf(this.route('images')));
      add('images', 'missing-field', 'image generation without prompt answers 400 or 422, never 5xx', [key(k, 'may generate images', 'images', (kk) => this.badRequest('images', kk, 'missing-field'))]);
    }
    if (has('conversations')) {
      add('conversations', 'bootstrap', 'a conversation-facing key bootstraps a conversation: id in the body and in X-GT-Conversation-Id', [key(convKey, 'is conversation-facing', 'conversations', (k) => this.conversation(k))]);
      const inference = chatKey;
      add('conversations', 'inference-key-denied', 'an inference key may not bootstrap a conversation', [key(inference, 'is an inference key', 'conversations', (k) => this.denial('conversations', k))]);
      add('conversations', 'model-not-allowlisted', 'a conversation on a model not on the key allowlist is refused', [key(convKey, 'is conversation-facing', 'conversations', (k) => this.probe({ route: 'conversations', action: 'hidden-model', key: k.name, expect: 'denied', driver: 'http' }, k))]);
      add('conversations', 'missing-field', 'a conversation without model answers 400 or 422, never 5xx', [key(convKey, 'is conversation-facing', 'conversations', (k) => this.badRequest('conversations', k, 'missing-field'))]);
    }
    if (has('dataset-files')) {
      add('dataset-files', 'dataset-not-allowlisted', 'an upload into a dataset not on the key allowlist is denied', [key(uploadKey, 'may upload into a dataset', 'dataset-files', (k) => this.target.foreignDataset ? this.probe({ route: 'dataset-files', action: 'foreign-dataset', key: k.name, expect: 'denied', driver: 'http' }, k) : this.missingKey('dataset-files', 'names a dataset outside every allowlist (foreign_dataset)'))]);
      add('dataset-files', 'undecodable-file', 'an undecodable file is refused at upload or ends failed with a reason', [key(uploadKey, 'may upload into a dataset', 'dataset-files', (k) => this.probe({ route: 'file-status', action: 'failed-upload', key: k.name, expect: 'failed_with_reason', driver: 'http' }, k))]);
    }
    if (has('conversation-files')) {
      add('conversation-files', 'missing-header', 'a conversation upload without X-GT-Conversation-Id answers 400 or 422', [key(convKey, 'may upload into a conversation', 'conversation-files', (k) => this.badRequest('conversation-files', k, 'missing-header'))]);
      add('conversation-files', 'unknown-conversation', 'a conversation upload with an unknown conversation id is refused', [key(convKey, 'may upload into a conversation', 'conversation-files', (k) => this.probe({ route: 'conversation-files', action: 'unknown-conversation', key: k.name, expect: 'denied', driver: 'http' }, k))]);
      add('conversation-files', 'foreign-conversation', "a conversation upload into another family's conversation is refused", [key(convKey, 'may upload into a conversation', 'conversation-files', (k) => {
        const other = foreignKey(needOf(this.route('conversation-files')), k);
        return other ? this.probe({ route: 'conversation-files', action: 'foreign-conversation', key: other.name, expect: 'denied', driver: 'http', dependsOn: [this.conversation(k)] }, other) : this.missingKey('conversation-files', 'may upload into a conversation in another family');
      })]);
    }
    if (has('file-status')) {
      add('file-status', 'foreign-file', "another key family's file is not visible on /v1/files/{id} nor /v1/uploads/{id}", [key(uploadKey, 'may upload', 'file-status', (owner) => {
        // A key of another family that may read files at all: only the family boundary can refuse it.
        const other = foreignKey(needOf(this.route('file-status')), owner);
        return other ? this.denial('file-status', other, owner) : this.missingKey('file-status', 'is in another family');
      })]);
    }
  }

  crossCutting(route: string, kind: string, title: string, probes: string[], severity: Check['severity'] = 'critical'): void {
    const denial = !['malformed-json', 'missing-field', 'missing-header', 'bootstrap', 'undecodable-file', 'lowercase-bearer'].includes(kind);
    this.checks.push({ id: `cross-cutting/${route}/${kind}`, group: 'cross-cutting', route, title, probes, severity, denial });
  }

  // ----- runbook findings -----

  /**
   * One check per finding; a base-URL finding also sends the request the product would send with the
   * documented value, to record whether the tenant serves it (GT-API.md leaves paths without /v1 open).
   */
  addFindings(runbook: Runbook, findings: Finding[]): void {
    const profileId = profileIdFor(runbook);
    const profile = profileId ? profileById(profileId) : undefined;
    const calls = profile ? documentedCalls(runbook, profile, this.contract).filter((c) => c.reaches !== c.route && c.tenantPath) : [];
    findings.forEach((finding, i) => {
      const probes = calls
        .filter((c) => finding.message.includes(c.fieldName))
        .map((c) => {
          const key = keyFor(this.target, runbook.preset, needOf(this.route(c.route)));
          return key
            ? this.probe({ id: `documented:${c.method} ${c.tenantPath}:${key.name}`, route: c.route, action: 'served', key: key.name, expect: 'served', driver: 'http', params: { path: c.tenantPath, method: c.method } }, key)
            : this.missingKey(c.route, `can call ${c.route}`);
        });
      this.checks.push({ id: `${runbook.id}/finding/${i + 1}`, group: 'finding', product: runbook.id, title: finding.message, probes: [...new Set(probes)], severity: 'minor', finding });
    });
    if (profile?.id === AI_SDK_PROVIDER_PROFILE) {
      const key = keyFor(this.target, runbook.preset, needOf(this.route('chat')));
      this.checks.push({
        id: `${runbook.id}/finding/documented-call`,
        group: 'finding',
        product: runbook.id,
        title: "the runbook's documented createOpenAI + openai('<alias>') call reaches chat completions",
        probes: [key ? this.probe({ route: 'chat', action: 'documented-call', key: key.name, expect: 'success', driver: 'ai-sdk', params: { product: runbook.product } }, key) : this.missingKey('chat', 'may chat')],
        severity: 'minor',
      });
    }
  }

  badRequest(routeId: string, key: TargetKey, variant: string): string {
    const dependsOn = routeId === 'conversation-files' && variant !== 'missing-header' ? [this.conversation(key)] : [];
    return this.probe({ route: routeId, action: 'bad-request', key: key.name, expect: 'bad_request', driver: 'http', params: { variant }, dependsOn }, key);
  }
}

const checklistRoute: Record<string, string> = {
  'models-match-allowlist': 'models',
  'chat-with-alias': 'chat',
  'embeddings-with-alias': 'embeddings',
  'stream-reaches-client': 'chat',
  'upload-reaches-ready': 'file-status',
  'conversation-upload-ready': 'conversation-files',
  'conversation-continuity': 'chat',
  'revoked-key-fails-closed': 'models',
};

function presetHoldsReason(preset: string, route: RouteSpec): string {
  if (!route.needs.scope) return `every ${route.needs.purposes.join(' or ')} key may call ${route.method} ${route.path}, so the ${preset} preset cannot be denied it`;
  return `the ${preset} preset holds ${route.needs.scope} for another route, so a denial cannot be shown`;
}

export function buildPlan(runbooks: Runbook[], contract: Contract, target: Target, filters: PlanFilters = {}, findings: Finding[] = []): Plan {
  const builder = new PlanBuilder(contract, target, filters);
  const chosen = runbooks.filter((r) => !filters.products || filters.products.includes(r.id));
  for (const runbook of chosen) {
    builder.addRunbook(runbook);
    if (!filters.routes && !filters.verdicts) builder.addFindings(runbook, findings.filter((f) => f.product === runbook.id));
  }
  builder.addCrossCutting();
  const products = new Set(chosen.map((r) => r.id));
  return { probes: [...builder.probes.values()], checks: builder.checks, findings: findings.filter((f) => products.has(f.product)) };
}
