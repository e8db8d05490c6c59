// The rules a live target's base_url must meet before a key is sent to it. A message never repeats a
// URL that holds a user name or password.
import { isIPv4 } from 'node:net';

/** 127.0.0.0/8, ::1 and localhost: plain http there never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/** What is wrong with a base URL, in one sentence, or undefined when it is fine. */
export function baseUrlProblem(raw: string, options: { insecureHttp?: boolean } = {}): string | undefined {
  const authority = raw.replace(SCHEME, '').split(/[/?#\\]/)[0];
  if (authority.includes('@')) return 'holds a user name or password before the host (user:…@host); remove it: the keys are sent as bearer tokens, and the URL is written in the reports';
  const scheme = SCHEME.exec(raw)?.[1].toLowerCase();
  if (!scheme || !authority) return `"${raw}" has no scheme: write https://<tenant-host>/api/tenant`;
  if (scheme !== 'https' && scheme !== 'http') return `"${raw}" uses ${scheme}://; write https://<tenant-host>/api/tenant`;
  if (raw.includes('?')) return 'holds a query (?…); give the scheme, host and path only';
  if (raw.includes('#')) return 'holds a fragment (#…); give the scheme, host and path only';
  if (raw.includes('\\')) return 'holds a backslash; separate the path with /';
  const pathPart = raw.replace(SCHEME, '').slice(authority.length);
  const dotSegment = pathPart.split('/').find((segment) => /^(\.|%2e){1,2}$/i.test(segment));
  if (dotSegment !== undefined) return `holds the dot-segment "${dotSegment}" in its path; write the path without . or .. segments`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `"${raw}" is not a valid URL`;
  }
  if (/\/v1\/?$/.test(url.pathname)) return 'give the base URL without /v1 (https://<tenant-host>/api/tenant): the harness adds the route paths';
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !options.insecureHttp) {
    return `plain http:// to ${url.host} would send the keys unencrypted; use https://, or pass --insecure-http to allow it`;
  }
  return undefined;
}
