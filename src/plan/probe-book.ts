// The probes of a plan, each added once however many checks need it, with what it depends on made
// explicit: a poll after its upload, a conversation upload after its bootstrap. Which route makes or
// reads what comes from the contract (routes.yaml: creates, reads, conversation), not from route names.
import type { Contract, DriverId, Probe, RouteSpec, Runbook, Target, TargetKey } from '../model.ts';
import { Unmet, type ClientChoice, type ProbeMaker } from '../kinds/kind.ts';
import { holds, needOf } from '../targets/capabilities.ts';
import { driverFor } from '../drivers/routes.ts';
import { profileById } from '../clients/load.ts';
import { DEFAULT_PROFILE, profileIdFor } from '../clients/profiles-for-runbooks.ts';
import { HARNESS_PROFILE } from '../kinds/clients.ts';

/** What the run may call, from the flags and the target. */
export interface RoutePolicy {
  skipRoutes?: string[];
  /** false: no upload and nothing that reads an upload (--no-uploads) */
  uploads?: boolean;
}

export class ProbeBook implements ProbeMaker {
  private readonly probes = new Map<string, Probe>();

  constructor(
    private readonly contract: Contract,
    private readonly target: Target,
    private readonly policy: RoutePolicy = {},
  ) {}

  get all(): Probe[] {
    return [...this.probes.values()];
  }

  /** The ids added so far, to undo what a check added before one of its needs turned out unmet. */
  snapshot(): Set<string> {
    return new Set(this.probes.keys());
  }

  rollback(to: Set<string>): void {
    for (const id of [...this.probes.keys()]) if (!to.has(id)) this.probes.delete(id);
  }

  /** Only the probes these checks use, and what those depend on. */
  keepOnly(used: Iterable<string>): void {
    const keep = new Set<string>();
    const visit = (id: string) => {
      if (keep.has(id)) return;
      keep.add(id);
      for (const dep of this.probes.get(id)?.dependsOn ?? []) visit(dep);
    };
    for (const id of used) visit(id);
    this.rollback(keep);
  }

  /** Why a route cannot be called on this target, if it cannot. */
  private blocked(route: RouteSpec): string | undefined {
    if (this.policy.skipRoutes?.includes(route.id)) return `route ${route.id} skipped by --skip-route`;
    if (this.target.allowedRoutes && !this.target.allowedRoutes.includes(route.id)) return `route ${route.id} is not in the target's allowed_routes`;
    if (route.creates && this.target.writes === false) return 'writes are not allowed on this target (writes: allowed in the target file, or --allow-writes, lets the run create uploads and conversations)';
    const touchesUploads = route.creates === 'file' || route.reads === 'file';
    if (touchesUploads && this.policy.uploads === false) return 'uploads disabled by --no-uploads';
    if (touchesUploads && !this.target.uploads) return 'the target does not allow uploads';
    return undefined;
  }

  /** Adds a probe once (same route, kind, key, driver, variant and prerequisites: same probe). */
  private add(route: RouteSpec, key: TargetKey | string, draft: Omit<Probe, 'id' | 'route' | 'key' | 'keyPreset'>): string {
    const reason = this.blocked(route);
    if (reason) throw new Unmet(reason);
    const keyName = typeof key === 'string' ? key : key.name;
    const after = (draft.dependsOn ?? []).map((d) => this.probes.get(d)?.route).join('+');
    const id = [route.id, draft.kind, keyName, draft.driver !== 'http' ? draft.driver : '', draft.params?.variant ?? ''].filter(Boolean).join(':') + (after ? `<-${after}` : '');
    if (!this.probes.has(id)) {
      const keyPreset = typeof key === 'string' ? key : `${key.preset ?? key.name}${key.revoked ? ' (revoked)' : ''}`;
      const { dependsOn, ...rest } = draft;
      this.probes.set(id, { id, route: route.id, key: keyName, keyPreset, ...rest, ...(dependsOn?.length ? { dependsOn } : {}) });
    }
    return id;
  }

  private creators(object: 'file' | 'conversation'): RouteSpec[] {
    return this.contract.routes.filter((r) => r.creates === object);
  }

  success(route: RouteSpec, key: TargetKey, client: ClientChoice = { driver: 'http' }): string {
    if (route.reads === 'file') return this.add(route, key, { kind: 'poll', expect: 'ready', driver: 'http', dependsOn: [this.upload(key)] });
    if (route.creates === 'conversation') return this.bootstrap(key);
    if (route.creates === 'file') {
      const dependsOn = route.conversation === 'required' ? [this.bootstrap(key)] : [];
      return this.add(route, key, { kind: 'upload', expect: 'success', driver: 'http', dependsOn });
    }
    const params = client.profile ? { profile: client.profile, variant: `profile=${client.profile}` } : client.aiSdkProvider === 'openai' ? { aiSdkProvider: 'openai' as const, variant: 'createOpenAI' } : undefined;
    return this.add(route, key, { kind: 'call', expect: 'success', driver: client.driver, ...(params ? { params } : {}) });
  }

  bootstrap(key: TargetKey): string {
    const route = this.creators('conversation')[0];
    if (!route) throw new Unmet('the contract has no route that creates a conversation');
    return this.add(route, key, { kind: 'create', expect: 'success', driver: 'http' });
  }

  /** An upload the key can make: where it needs no conversation first when it may, else into a conversation. */
  private upload(key: TargetKey): string {
    const into = this.creators('file')
      .filter((r) => holds(key, needOf(r)))
      .sort((a, b) => Number(a.conversation === 'required') - Number(b.conversation === 'required'))[0];
    if (!into) throw new Unmet(`key ${key.name} may upload nowhere`);
    return this.success(into, key);
  }

  /** The key that makes the object a route reads or works in: `owner` when it can, else the narrowest that can. */
  private maker(routes: RouteSpec[], owner?: TargetKey): TargetKey {
    const can = (k: TargetKey) => routes.some((r) => holds(k, needOf(r)));
    if (owner && can(owner)) return owner;
    const key = this.target.keys.filter(can).sort((a, b) => a.scopes.length - b.scopes.length || a.name.localeCompare(b.name))[0];
    if (!key) throw new Unmet(`no key of the target can make the object ${routes.map((r) => r.id).join(' or ')} creates`);
    return key;
  }

  denial(route: RouteSpec, key: TargetKey, owner?: TargetKey): string {
    const dependsOn: string[] = [];
    if (route.reads === 'file') dependsOn.push(this.upload(this.maker(this.creators('file'), owner)));
    if (route.conversation === 'required') dependsOn.push(this.bootstrap(this.maker(this.creators('conversation'), owner)));
    return this.add(route, key, { kind: 'denied', expect: 'denied', driver: 'http', dependsOn });
  }

  unauthorized(route: RouteSpec, key: '@none' | '@malformed' | '@unknown' | TargetKey): string {
    return this.add(route, key, { kind: 'unauthorized', expect: 'unauthorized', driver: 'http' });
  }

  other(route: RouteSpec, key: TargetKey, spec: Pick<Probe, 'kind' | 'expect'> & { params?: Probe['params']; after?: string[]; driver?: DriverId }): string {
    return this.add(route, key, { kind: spec.kind, expect: spec.expect, driver: spec.driver ?? 'http', ...(spec.params ? { params: spec.params } : {}), dependsOn: spec.after });
  }

  clientOf(runbook: Runbook, route: RouteSpec): ClientChoice {
    const driver = driverFor(runbook.driver, route.id);
    const profileId = profileIdFor(runbook);
    const profile = profileId ? profileById(profileId) : undefined;
    // A product calling GT over plain HTTP has its own requests replayed, where its profile describes the route
    // (the harness's own requests are the documented ones already, and the default profile describes no
    // product's own requests: replaying either would add nothing).
    if (driver === 'http' && runbook.driver === 'http' && profile?.routes[route.id] && profileId !== HARNESS_PROFILE && profileId !== DEFAULT_PROFILE) return { driver, profile: profileId };
    // The Vercel AI SDK runbook documents @ai-sdk/openai's createOpenAI, not the openai-compatible provider.
    if (driver === 'ai-sdk' && profile?.library.name === '@ai-sdk/openai') return { driver, aiSdkProvider: 'openai' };
    return { driver };
  }
}
