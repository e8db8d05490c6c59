// The exact URL a product calls for a route, from its configured base URL, and which contract
// route (if any) a URL reaches.
import type { Contract, RouteSpec } from '../model.ts';
import type { ClientProfile, TrailingSlash } from './profile.ts';

export class RouteNotCalledError extends Error {
  constructor(
    readonly profileId: string,
    readonly routeId: string,
    readonly reason?: string,
  ) {
    super(`client profile "${profileId}" does not call route "${routeId}"${reason ? `: ${reason}` : ''}`);
    this.name = 'RouteNotCalledError';
  }
}

function join(base: string, path: string, mode: TrailingSlash): string {
  switch (mode) {
    case 'strip':
      return base.replace(/\/+$/, '') + path;
    case 'dedupe':
      return base.endsWith('/') && path.startsWith('/') ? base + path.slice(1) : base + path;
    case 'keep':
      return base + path;
  }
}

/** The URL the product sends a route's request to when its base URL field holds `configuredBaseUrl`. */
export function clientUrl(profile: ClientProfile, configuredBaseUrl: string, routeId: string): string {
  const call = profile.routes[routeId];
  if (!call) throw new RouteNotCalledError(profile.id, routeId, profile.not_called?.[routeId]);
  return join(configuredBaseUrl.trim(), call.path, call.trailing_slash ?? profile.url.trailing_slash);
}

/** Placeholders such as <tenant-host> make a documented value unparsable as a URL; give them a stand-in. */
function parse(url: string): URL | undefined {
  try {
    return new URL(url.replace(/<[^>]*>/g, 'placeholder'));
  } catch {
    return undefined;
  }
}

/** The path of a URL (or of a bare path), without query. */
export function urlPath(url: string): string {
  if (url.startsWith('/')) return url.split('?')[0];
  const pathname = parse(url)?.pathname;
  // URL parsing percent-encodes the braces of a {id} template; keep the template readable.
  return pathname === undefined ? url : pathname.replace(/%7B/gi, '{').replace(/%7D/gi, '}');
}

/** The path relative to the tenant base path (/api/tenant), or undefined when the URL is not under it. */
export function tenantRelativePath(url: string, contract: Contract): string | undefined {
  const pathname = urlPath(url);
  const base = contract.basePath.replace(/\/+$/, '');
  if (pathname === base) return '';
  return pathname.startsWith(`${base}/`) ? pathname.slice(base.length) : undefined;
}

function templateMatches(template: string, path: string): boolean {
  const pattern = template
    .split('/')
    .map((seg) => (/^\{[^}]+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`).test(path);
}

/** The contract route a URL (absolute, or a path starting with the tenant base path) reaches; undefined for none. */
export function contractPathFor(url: string, contract: Contract): RouteSpec | undefined {
  const rel = tenantRelativePath(url, contract);
  if (rel === undefined) return undefined;
  return contract.routes.find((r) => [r.path, ...(r.aliases ?? [])].some((t) => templateMatches(t, rel)));
}

/**
 * The base URL under which every route the profile calls reaches its own contract route, given the
 * tenant base URL (…/api/tenant): the tenant base itself or the tenant base plus /v1. Undefined when
 * neither works (a profile whose paths fit no contract route).
 */
export function workingBaseUrl(profile: ClientProfile, tenantBaseUrl: string, contract: Contract): string | undefined {
  const base = tenantBaseUrl.replace(/\/+$/, '');
  for (const candidate of [`${base}/v1`, base]) {
    const fits = Object.keys(profile.routes).every((routeId) => contractPathFor(clientUrl(profile, candidate, routeId), contract)?.id === routeId);
    if (fits) return candidate;
  }
  return undefined;
}
