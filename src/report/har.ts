// evidence.har: every HTTP exchange of a run as a HAR 1.2 log (http://www.softwareishard.com/blog/har-12-spec/),
// for browser dev tools, Charles, mitmproxy and Playwright. Built from the report's checks, whose exchanges
// are already redacted (bodies cut at 4 KiB, binary bodies summarised). The entries reuse the strings of a
// report scrubDeep made (buildReport's); only the strings made here are scrubbed (any other report is scrubbed
// whole first), and writeReports scrubs the written text once more.
// Fields the spec requires are always present: -1 where it says "unknown", [] and {} where there is nothing.
import { STATUS_CODES } from 'node:http';
import type { Exchange } from '../model.ts';
import type { ConformanceReport } from './report-model.ts';
import { scrubDeep, scrubText } from './scrub.ts';

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarPostData {
  mimeType: string;
  params: Array<{ name: string; value?: string; fileName?: string; contentType?: string }>;
  text: string;
  comment?: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    queryString: HarNameValue[];
    postData?: HarPostData;
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    content: { size: number; mimeType: string; text?: string; comment?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
    /** Chromium's field for a request that got no answer */
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { blocked: number; dns: number; connect: number; ssl: number; send: number; wait: number; receive: number };
  comment?: string;
  /** Chromium's field: lists the entries under Fetch/XHR */
  _resourceType: 'fetch';
  /** the ids of the checks this exchange is evidence for */
  _checks: string[];
}

export interface HarLog {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    entries: HarEntry[];
    comment?: string;
  };
}

/** undici and the SDK drivers' fetch speak HTTP/1.1 to the tenant. */
const HTTP_VERSION = 'HTTP/1.1';
/** What the record writes for a body it did not keep (src/http/record.ts). */
const SUMMARISED = /^<(\d+) bytes ([^>,]*)(, cut at the size limit)?>$/;
/** What recordText appends to a body it cut. */
const CUT = / … \((?:\d+ bytes in all|cut at the size limit)[^)]*\)$/;

const nameValues = (headers: Record<string, string>): HarNameValue[] => Object.entries(headers).map(([name, value]) => ({ name, value }));

function header(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([n]) => n.toLowerCase() === name)?.[1];
}

/** The URL's query, decoded: new strings (a percent-encoded secret decodes to the secret), so scrubbed. */
function queryString(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name: scrubText(name), value: scrubText(value) }));
  } catch {
    return [];
  }
}

function postData(request: Exchange['request']): { postData?: HarPostData; bodySize: number } {
  const text = request.body;
  if (text === undefined || text === '') return { bodySize: request.method === 'GET' ? 0 : -1 };
  const mimeType = header(request.headers, 'content-type') ?? '';
  const summarised = /^multipart\//i.test(mimeType) || SUMMARISED.test(text);
  const cut = CUT.test(text);
  const comment = summarised ? 'the record summarises this body (parts, file names and sizes), it is not the bytes sent' : cut ? 'the record keeps the first 4 KiB of this body' : undefined;
  return {
    postData: { mimeType, params: [], text, ...(comment ? { comment } : {}) },
    bodySize: summarised || cut ? -1 : Buffer.byteLength(text),
  };
}

function content(response: NonNullable<Exchange['response']>): HarEntry['response']['content'] {
  const mimeType = header(response.headers, 'content-type') ?? 'x-unknown';
  const body = response.body;
  if (body === undefined) return { size: response.bytes, mimeType };
  const summary = SUMMARISED.exec(body);
  if (summary) return { size: response.bytes, mimeType, comment: `binary body not recorded (${response.bytes} bytes ${summary[2]})` };
  return { size: response.bytes, mimeType, text: body, ...(CUT.test(body) || Buffer.byteLength(body) < response.bytes ? { comment: 'the record keeps the first 4 KiB of this body' } : {}) };
}

function entry(exchange: Exchange, checks: string[]): HarEntry {
  const { request, response } = exchange;
  const { postData: data, bodySize } = postData(request);
  const time = Math.max(0, exchange.durationMs);
  return {
    startedDateTime: exchange.startedAt,
    time,
    request: {
      method: request.method,
      url: request.url,
      httpVersion: HTTP_VERSION,
      cookies: [],
      headers: nameValues(request.headers),
      queryString: queryString(request.url),
      ...(data ? { postData: data } : {}),
      headersSize: -1,
      bodySize,
    },
    response: response
      ? {
          status: response.status,
          statusText: STATUS_CODES[response.status] ?? '',
          httpVersion: HTTP_VERSION,
          cookies: [],
          headers: nameValues(response.headers),
          content: content(response),
          redirectURL: header(response.headers, 'location') ?? '',
          headersSize: -1,
          bodySize: response.bytes,
          ...(exchange.error ? { _error: exchange.error } : {}),
        }
      : // no answer (refused, reset, timeout): Chromium's own export shows such a request as status 0 with _error
        { status: 0, statusText: '', httpVersion: '', cookies: [], headers: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: -1, _error: exchange.error ?? 'no response' },
    cache: {},
    // the record keeps one duration per exchange: all of it is waiting for the answer
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: time, receive: 0 },
    comment: exchange.label,
    _resourceType: 'fetch',
    _checks: checks,
  };
}

/**
 * Every exchange of the checks once, with the ids of the checks it is evidence for, by start time. One probe's
 * exchange is recorded by every check the probe serves (several products share it): it is one request.
 */
export function distinctExchanges(checks: ReadonlyArray<{ id: string; exchanges: Exchange[] }>): DistinctExchange[] {
  // each exchange is keyed by its JSON: callers that need it twice (buildReport) ask once and pass the list on
  const byExchange = new Map<string, DistinctExchange>();
  for (const check of checks) {
    for (const exchange of check.exchanges) {
      const key = JSON.stringify(exchange);
      const seen = byExchange.get(key);
      if (seen) {
        if (!seen.checks.includes(check.id)) seen.checks.push(check.id);
      } else byExchange.set(key, { exchange, checks: [check.id] });
    }
  }
  return [...byExchange.values()].sort((a, b) => a.exchange.startedAt.localeCompare(b.exchange.startedAt));
}

/** The client writes this for a request it did not send (the run deadline had passed): src/http/client.ts. */
const NOT_SENT = /^not sent\b/;

/** One exchange of a run and the ids of the checks it is evidence for (distinctExchanges). */
export interface DistinctExchange {
  exchange: Exchange;
  checks: string[];
}

/** Requests the run's checks sent: their distinct exchanges (distinctExchanges) that reached the network. */
export function sentRequests(distinct: readonly DistinctExchange[]): number {
  return distinct.filter(({ exchange }) => exchange.response || !NOT_SENT.test(exchange.error ?? '')).length;
}

/** The HAR 1.2 log of every exchange in the report: each once (a shared probe's exchange lists all its checks), by start time. */
export function harFromReport(given: ConformanceReport): HarLog {
  // the report as it is when scrubDeep made it (buildReport's, writeReports'), else scrubbed whole
  const report = scrubDeep(given);
  const entries = distinctExchanges(report.checks).map(({ exchange, checks }) => entry(exchange, checks));
  return {
    log: {
      version: '1.2',
      creator: { name: report.harness.name, version: report.harness.version },
      entries,
      comment: scrubText(`gt-conformance run against ${report.target.kind} ${report.target.host}, seed ${report.seed}, ${report.startedAt} to ${report.finishedAt}; credentials masked, bodies cut at 4 KiB, binary bodies summarised`),
    },
  };
}
