// One redacted, JSON-able entry per request, for `mock --record FILE` and for tests.
// Bearer secrets become gtak_**** plus their last four characters; no secret is ever kept whole.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { BodySummary } from './context.ts';

export interface RecordedTraffic {
  at: string; // ISO time the request arrived
  method: string;
  path: string; // path and query
  route?: string; // route id, when the path matched one
  key?: string; // key name, when the bearer value named one
  headers: Record<string, string>;
  body?: BodySummary;
  status: number;
  response: { contentType?: string; bytes: number };
  durationMs: number;
}

const SECRET_IN_TEXT = /gtak_[A-Za-z0-9_-]+/g;
const MAX_STRING = 200;

export function maskSecret(value: string): string {
  return value.length >= 9 ? `gtak_****${value.slice(-4)}` : 'gtak_****';
}

export function redactText(text: string): string {
  return text.replace(SECRET_IN_TEXT, maskSecret);
}

function redactAuthorization(value: string): string {
  const match = /^(\S+)\s+(\S+)/.exec(value);
  if (!match) return '****';
  const token = match[2];
  return `${match[1]} ${token.startsWith('gtak_') ? maskSecret(token) : token.length > 8 ? `****${token.slice(-4)}` : '****'}`;
}

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (name === 'authorization') out[name] = redactAuthorization(value);
    else if (name === 'cookie' || name === 'proxy-authorization' || name === 'x-api-key') out[name] = '****';
    else out[name] = redactText(value);
  }
  return out;
}

/** A copy of a JSON value with secrets masked and long strings cut. */
export function redactJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    const text = redactText(value);
    return text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…(${text.length} chars)` : text;
  }
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactJson(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactJson(v, depth + 1)]));
}

export function redactBody(body: BodySummary | undefined): BodySummary | undefined {
  if (!body) return undefined;
  return {
    ...body,
    ...(body.json !== undefined ? { json: redactJson(body.json) } : {}),
    ...(body.parts ? { parts: body.parts.map((p) => ({ ...p, ...(p.value !== undefined ? { value: redactJson(p.value) as string } : {}) })) } : {}),
  };
}

/** A line `mock --record` wrote: a JSON object with the fields every entry has. */
function isRecordedLine(line: string): boolean {
  try {
    const entry = JSON.parse(line) as Partial<RecordedTraffic> | null;
    return typeof entry?.at === 'string' && typeof entry.method === 'string' && typeof entry.path === 'string' && typeof entry.status === 'number';
  } catch {
    return false;
  }
}

/**
 * Why `mock --record FILE` may not append to FILE, or undefined: a new file, an empty one, a recording
 * (its first and last lines are entries and it ends in a newline) or a device such as /dev/stdout is fine.
 */
export function recordFileProblem(file: string): string | undefined {
  let size: number;
  let fd: number | undefined;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return 'is a folder; give a file name for the recording';
    if (!stat.isFile() || stat.size === 0) return undefined;
    size = stat.size;
    fd = openSync(file, 'r');
    const span = Math.min(size, 64 * 1024);
    const head = Buffer.alloc(span);
    const tail = Buffer.alloc(span);
    readSync(fd, head, 0, span, 0);
    readSync(fd, tail, 0, span, size - span);
    const first = head.toString('utf8').split('\n')[0];
    const lines = tail.toString('utf8').split('\n');
    const recording = lines.pop() === '' && isRecordedLine(first) && isRecordedLine(lines.at(-1) ?? '');
    return recording ? undefined : 'exists and is not a recording written by mock --record; give a new file name (the harness appends only to its own recordings)';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? undefined : `cannot use the file: ${code ?? (err as Error).message}`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
