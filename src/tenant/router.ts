// Matches request paths against the contract's route catalog (paths, aliases, {params}).
import type { Contract, RouteSpec } from '../model.ts';

interface Matcher {
  route: RouteSpec;
  pattern: RegExp;
  params: string[];
  /** matched through an alias path, e.g. /v1/uploads/{id} */
  alias: boolean;
  /** matched without the /v1 prefix (tolerant profile) */
  unversioned: boolean;
}

export type RouteMatch =
  | { kind: 'route'; route: RouteSpec; params: Record<string, string>; alias: boolean; unversioned: boolean }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

function compile(basePath: string, template: string): { pattern: RegExp; params: string[] } {
  const params: string[] = [];
  const source = (basePath + template)
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        params.push(param[1]);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), params };
}

export class Router {
  private readonly matchers: Matcher[] = [];

  constructor(contract: Contract, servesWithoutV1: boolean) {
    for (const route of contract.routes) {
      const paths = [{ path: route.path, alias: false }, ...(route.aliases ?? []).map((path) => ({ path, alias: true }))];
      for (const { path, alias } of paths) {
        this.matchers.push({ route, alias, unversioned: false, ...compile(contract.basePath, path) });
        if (servesWithoutV1 && path.startsWith('/v1/')) {
          this.matchers.push({ route, alias, unversioned: true, ...compile(contract.basePath, path.slice(3)) });
        }
      }
    }
  }

  match(method: string, pathname: string): RouteMatch {
    const allowed: string[] = [];
    for (const m of this.matchers) {
      const found = m.pattern.exec(pathname);
      if (!found) continue;
      if (m.route.method !== method) {
        allowed.push(m.route.method);
        continue;
      }
      const params: Record<string, string> = {};
      m.params.forEach((name, i) => {
        try {
          params[name] = decodeURIComponent(found[i + 1]);
        } catch {
          params[name] = found[i + 1];
        }
      });
      return { kind: 'route', route: m.route, params, alias: m.alias, unversioned: m.unversioned };
    }
    return allowed.length ? { kind: 'wrong-method', allowed: [...new Set(allowed)] } : { kind: 'none' };
  }
}
