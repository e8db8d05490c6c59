// Recorded traffic for vendor mode, in either of two formats, told apart by content (not by extension):
// - the mock's JSON lines (`gt-conformance mock --record FILE`, src/tenant/record.ts RecordedTraffic), one
//   redacted request per line;
// - a HAR file (Chromium or Firefox dev tools, mitmproxy, Charles, Playwright, or a run's evidence.har): its
//   absolute URLs are mapped to tenant paths (the part from the contract's base path on), requests elsewhere
//   are left out and listed, and every header and body is redacted as it is read.
import { readFileSync, statSync } from 'node:fs';
import type { RecordedTraffic } from '../tenant/record.ts';
import type { BodySummary } from '../tenant/context.ts';
import { boundaryOf, parseMultipart } from '../tenant/multipart.ts';
import { redact, redactHeaders } from '../http/redact.ts';

export type TrafficEntry = RecordedTraffic;

export interface TrafficLine {
  /** where the request is in the file: the line number ("12") of a JSON-lines file, "log.entries[3]" of a HAR */
  where: string;
  entry: TrafficEntry;
}

export interface Traffic {
  format: 'jsonl' | 'har';
  lines: TrafficLine[];
  /** HAR requests that did not go under the tenant base path (METHOD URL), left out of the checks */
  leftOut: string[];
}

/** `FILE:12` for a line of JSON lines, `FILE: log.entries[3]` for a HAR entry. */
export function locate(file: string, where: string): string {
  return /^\d+$/.test(where) ? `${file}:${where}` : `${file}: ${where}`;
}

/** Bad input in a traffic file: one line saying what and where. */
export class TrafficFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrafficFileError';
  }
}

/** A HAR of a long browser session is large; beyond this it is refused rather than read into memory. */
export const MAX_TRAFFIC_BYTES = 256 * 1024 * 1024;
const DEFAULT_BASE_PATH = '/api/tenant';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------- the mock's JSON lines ----------

/** What makes a line a recorded request; the rest of the entry is optional to the checks. */
function shapeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not a JSON object';
  if (typeof value.method !== 'string' || !value.method) return 'no "method" string';
  if (typeof value.path !== 'string' || !value.path.startsWith('/')) return 'no "path" string starting with /';
  if (!isRecord(value.headers)) return 'no "headers" object';
  if (value.body !== undefined && !isRecord(value.body)) return '"body" is not an object';
  return undefined;
}

/** Parses JSON-lines text; blank lines are skipped. Throws TrafficFileError at the first bad line. */
export function parseTraffic(text: string, file: string): TrafficLine[] {
  const lines: TrafficLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new TrafficFileError(`${file}:${i + 1}: not valid JSON (a traffic file holds one JSON object per line, as written by mock --record, or is a HAR file)`);
    }
    const problem = shapeProblem(value);
    if (problem) throw new TrafficFileError(`${file}:${i + 1}: not a recorded request: ${problem}`);
    lines.push({ where: String(i + 1), entry: value as TrafficEntry });
  });
  return lines;
}

// ---------- HAR ----------

/** The tenant path of a URL: from the base path on (a proxy prefix before it is dropped), with the query; undefined when the base path is not in it. */
export function tenantPathOf(url: string, basePath: string = DEFAULT_BASE_PATH): string | undefined {
  let pathname: string;
  let search = '';
  try {
    const parsed = new URL(url);
    pathname = parsed.pathname;
    search = parsed.search;
  } catch {
    if (!url.startsWith('/')) return undefined;
    [pathname, search = ''] = url.split(/(?=\?)/);
  }
  const base = basePath.replace(/\/+$/, '');
  const at = pathname === base || pathname.startsWith(`${base}/`) ? 0 : pathname.indexOf(`${base}/`);
  return at < 0 ? undefined : pathname.slice(at) + search;
}

interface HarHeader {
  name: string;
  value: string;
}

/** HAR headers as a record: names lowercased (HTTP/2 pseudo-headers dropped), repeats joined, credentials masked. */
function harHeaders(list: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of Array.isArray(list) ? (list as HarHeader[]) : []) {
    if (!isRecord(h) || typeof h.name !== 'string' || h.name.startsWith(':')) continue;
    const name = h.name.toLowerCase();
    const value = String(h.value ?? '');
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return redactHeaders(headers);
}

/** The body summary the checks read (as the mock records it), from a HAR request's postData. */
function harBody(postData: unknown, contentType: string | undefined): BodySummary | undefined {
  if (!isRecord(postData)) return undefined;
  const text = typeof postData.text === 'string' ? postData.text : '';
  const mimeType = contentType ?? (typeof postData.mimeType === 'string' ? postData.mimeType : '');
  const bytes = Buffer.byteLength(text);
  if (/json/i.test(mimeType) || /^\s*[{[]/.test(text)) {
    try {
      return { bytes, kind: 'json', json: JSON.parse(redact(text)) };
    } catch {
      return { bytes, kind: 'other' };
    }
  }
  const boundary = boundaryOf(mimeType);
  if (boundary) {
    try {
      const parts = parseMultipart(Buffer.from(text, 'utf8'), boundary).map((p) => ({
        name: p.name,
        ...(p.filename !== undefined ? { filename: p.filename, bytes: p.data.length } : { bytes: p.data.length, value: redact(p.data.toString('utf8')) }),
      }));
      return { bytes, kind: 'multipart', parts };
    } catch {
      // a recorder that left the file bytes out: its params still name the parts
    }
    const params = Array.isArray(postData.params) ? postData.params.filter(isRecord) : [];
    const parts = params.map((p) => ({ name: String(p.name), ...(p.fileName !== undefined ? { filename: String(p.fileName), bytes: 0 } : { bytes: 0, value: redact(String(p.value ?? '')) }) }));
    return { bytes, kind: 'multipart', ...(parts.length ? { parts } : {}) };
  }
  return { bytes, kind: 'other' };
}

/** Parses a HAR log into the requests under the tenant base path. Throws TrafficFileError naming the bad field. */
export function parseHar(har: unknown, file: string, basePath: string = DEFAULT_BASE_PATH): Traffic {
  const log = isRecord(har) ? har.log : undefined;
  if (!isRecord(log) || !Array.isArray(log.entries)) throw new TrafficFileError(`${file}: log.entries: a HAR file needs a log with an entries array`);
  const lines: TrafficLine[] = [];
  const leftOut: string[] = [];
  log.entries.forEach((e: unknown, i) => {
    const where = `log.entries[${i}]`;
    const request = isRecord(e) ? e.request : undefined;
    if (!isRecord(request) || typeof request.method !== 'string' || typeof request.url !== 'string') {
      throw new TrafficFileError(`${file}: ${where}.request: needs a method and a url`);
    }
    const path = tenantPathOf(request.url, basePath);
    if (path === undefined) {
      leftOut.push(`${request.method} ${redact(request.url)}`);
      return;
    }
    const response = isRecord((e as Record<string, unknown>).response) ? ((e as Record<string, unknown>).response as Record<string, unknown>) : {};
    const content = isRecord(response.content) ? response.content : {};
    const headers = harHeaders(request.headers);
    const body = harBody(request.postData, headers['content-type']);
    lines.push({
      where,
      entry: {
        at: String((e as Record<string, unknown>).startedDateTime ?? ''),
        method: request.method.toUpperCase(),
        path: redact(path),
        headers,
        ...(body ? { body } : {}),
        status: typeof response.status === 'number' ? response.status : 0,
        response: { ...(typeof content.mimeType === 'string' ? { contentType: content.mimeType } : {}), bytes: typeof content.size === 'number' ? Math.max(0, content.size) : 0 },
        durationMs: typeof (e as Record<string, unknown>).time === 'number' ? ((e as Record<string, unknown>).time as number) : 0,
      },
    });
  });
  return { format: 'har', lines, leftOut };
}

// ---------- either ----------

/** A HAR when the whole text is one JSON object with a log; JSON lines otherwise. */
export function parseTrafficText(text: string, file: string, basePath: string = DEFAULT_BASE_PATH): Traffic {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{')) {
    let whole: unknown;
    try {
      whole = JSON.parse(trimmed);
    } catch {
      whole = undefined; // JSON lines (several objects), or broken: the line parser says where
    }
    if (isRecord(whole) && 'log' in whole) return parseHar(whole, file, basePath);
  }
  return { format: 'jsonl', lines: parseTraffic(text, file), leftOut: [] };
}

export function readTraffic(file: string, basePath: string = DEFAULT_BASE_PATH): Traffic {
  let text: string;
  try {
    if (statSync(file).size > MAX_TRAFFIC_BYTES) throw new TrafficFileError(`${file}: larger than ${MAX_TRAFFIC_BYTES / 1024 / 1024} MiB; record a shorter session`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof TrafficFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new TrafficFileError(`${file}: ${code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? (err as Error).message})`}`);
  }
  const traffic = parseTrafficText(text, file, basePath);
  if (traffic.lines.length === 0) {
    const elsewhere = traffic.leftOut.length ? ` (${traffic.leftOut.length} went elsewhere, e.g. ${traffic.leftOut[0]})` : '';
    throw new TrafficFileError(`${file}: no recorded request${traffic.format === 'har' ? ` under ${basePath}` : 's'} in the file${elsewhere}`);
  }
  return traffic;
}
