// evidence.har entry by entry, for exchanges written out by hand: the HAR 1.2 fields (http://www.softwareishard.com/blog/har-12-spec/:
// bodySize -1 when unknown, 0 for none; statusText; content.mimeType; redirectURL "" when there is none;
// postData.mimeType), the forms the record writes for a body it did not keep whole (src/http/record.ts:
// `<N bytes TYPE>` for a binary body, ` … (N bytes in all)` after a cut one), and Chromium's `_error` for a
// request without an answer. Every expected value comes from the spec or those comments, not from the code.
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/model.ts';
import type { ConformanceReport, ReportCheck } from '../../src/report/report-model.ts';
import { distinctExchanges, harFromReport, sentRequests, type HarEntry } from '../../src/report/har.ts';
import { handReport } from './hand-report.ts';

function exchange(fields: { method?: string; url?: string; headers?: Record<string, string>; body?: string; response?: Exchange['response']; error?: string; startedAt?: string }): Exchange {
  return {
    label: 'l',
    request: { method: fields.method ?? 'POST', url: fields.url ?? 'https://gt.example/api/tenant/v1/x', headers: fields.headers ?? {}, ...(fields.body !== undefined ? { body: fields.body } : {}) },
    ...(fields.response ? { response: fields.response } : {}),
    ...(fields.error !== undefined ? { error: fields.error } : {}),
    startedAt: fields.startedAt ?? '2025-01-01T00:00:00.000Z',
    durationMs: 4,
  };
}

function checkWith(id: string, exchanges: Exchange[]): ReportCheck {
  return { id, group: 'route', title: id, severity: 'normal', outcome: 'passed', message: '', ran: true, exchanges };
}

const report = (checks: ReportCheck[]): ConformanceReport => handReport(checks, { harness: { name: 'gt-conformance', version: '1.2.3' }, seed: 7, finishedAt: '2025-01-01T00:01:00.000Z' });

const entryOf = (e: Exchange): HarEntry => harFromReport(report([checkWith('a', [e])])).log.entries[0];
const ok = (body: string | undefined, bytes: number, headers: Record<string, string> = { 'content-type': 'application/json' }): Exchange['response'] => ({ status: 200, headers, ...(body !== undefined ? { body } : {}), bytes });

describe('evidence.har requests', () => {
  it('bodySize: 0 for a GET without a body, -1 (unknown) for another method without one, the bytes of a JSON body', () => {
    expect(entryOf(exchange({ method: 'GET' })).request.bodySize).toBe(0);
    expect(entryOf(exchange({ method: 'GET', body: '' })).request.bodySize).toBe(0);
    expect(entryOf(exchange({ method: 'DELETE' })).request.bodySize).toBe(-1);
    expect(entryOf(exchange({ method: 'POST', body: '' })).request.bodySize).toBe(-1);
    const empty = entryOf(exchange({ method: 'POST', body: '' })).request;
    expect(empty.postData).toBeUndefined();
    const json = entryOf(exchange({ headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' })).request;
    expect(json.bodySize).toBe(7);
    expect(json.postData).toStrictEqual({ mimeType: 'application/json', params: [], text: '{"a":1}' });
  });

  it("postData.mimeType is the request's content type, or empty without one", () => {
    expect(entryOf(exchange({ body: 'x=1' })).request.postData).toStrictEqual({ mimeType: '', params: [], text: 'x=1' });
  });

  it('a summarised body (multipart, or `<N bytes TYPE>`) has an unknown size and says it is a summary', () => {
    const SUMMARY = 'the record summarises this body (parts, file names and sizes), it is not the bytes sent';
    const binary = entryOf(exchange({ headers: { 'content-type': 'audio/wav' }, body: '<4044 bytes audio/wav>' })).request;
    expect(binary).toMatchObject({ bodySize: -1, postData: { mimeType: 'audio/wav', text: '<4044 bytes audio/wav>', comment: SUMMARY } });
    expect(entryOf(exchange({ body: '<9 bytes of unknown type, cut at the size limit>' })).request).toMatchObject({ bodySize: -1, postData: { comment: SUMMARY } });
    expect(entryOf(exchange({ headers: { 'content-type': 'Multipart/Form-Data; boundary=b' }, body: 'model="m"' })).request).toMatchObject({ bodySize: -1, postData: { comment: SUMMARY } });
    // text that only holds such a form, or a type that only contains "multipart/", is the body itself
    for (const body of ['say <4 bytes text/plain>', '<4 bytes text/plain> said']) {
      const r = entryOf(exchange({ headers: { 'content-type': 'text/plain' }, body })).request;
      expect(r.bodySize, body).toBe(body.length);
      expect(r.postData!.comment, body).toBeUndefined();
    }
    expect(entryOf(exchange({ headers: { 'content-type': 'application/x-multipart/a' }, body: 'abc' })).request.bodySize).toBe(3);
  });

  it('a body the record cut has an unknown size and says the record keeps its first 4 KiB', () => {
    const KEPT = 'the record keeps the first 4 KiB of this body';
    for (const body of ['{"a":"xyz … (12345 bytes in all)', '{"a":"xyz … (5 bytes in all, cut at the size limit)', 'abc … (cut at the size limit)']) {
      expect(entryOf(exchange({ body })).request, body).toMatchObject({ bodySize: -1, postData: { text: body, comment: KEPT } });
    }
    // the words anywhere but at the end are the body's own
    const own = 'abc … (12 bytes in all) and more';
    expect(entryOf(exchange({ body: own })).request).toMatchObject({ bodySize: Buffer.byteLength(own) });
    expect(entryOf(exchange({ body: own })).request.postData!.comment).toBeUndefined();
  });

  it('lists the query string, none for a URL that does not parse', () => {
    expect(entryOf(exchange({ url: 'https://gt.example/v1/files?limit=2&after=f%201' })).request.queryString).toEqual([
      { name: 'limit', value: '2' },
      { name: 'after', value: 'f 1' },
    ]);
    expect(entryOf(exchange({ url: '/v1/files?limit=2' })).request.queryString).toEqual([]);
  });
});

describe('evidence.har responses', () => {
  it('content: the text and its mime type, x-unknown without a content type, no text without a body', () => {
    expect(entryOf(exchange({ response: ok('{"a":1}', 7) })).response.content).toStrictEqual({ size: 7, mimeType: 'application/json', text: '{"a":1}' });
    expect(entryOf(exchange({ response: ok('hi', 2, {}) })).response.content).toStrictEqual({ size: 2, mimeType: 'x-unknown', text: 'hi' });
    expect(entryOf(exchange({ response: ok(undefined, 0) })).response.content).toStrictEqual({ size: 0, mimeType: 'application/json' });
  });

  it('a binary body is described, not given; a cut or shorter body says the record keeps its first 4 KiB', () => {
    expect(entryOf(exchange({ response: ok('<8 bytes image/png>', 8, { 'content-type': 'image/png' }) })).response.content).toStrictEqual({ size: 8, mimeType: 'image/png', comment: 'binary body not recorded (8 bytes image/png)' });
    const KEPT = 'the record keeps the first 4 KiB of this body';
    expect(entryOf(exchange({ response: ok('abc … (9000 bytes in all)', 9000) })).response.content.comment).toBe(KEPT);
    // a body shorter than the bytes received (the record kept a part without saying so)
    expect(entryOf(exchange({ response: ok('abc', 4) })).response.content).toStrictEqual({ size: 4, mimeType: 'application/json', text: 'abc', comment: KEPT });
    // exactly the bytes received: whole ("é" is two bytes)
    expect(entryOf(exchange({ response: ok('é', 2) })).response.content.comment).toBeUndefined();
    expect(entryOf(exchange({ response: ok('abc', 3) })).response.content.comment).toBeUndefined();
  });

  it('statusText from the status, empty for one HTTP does not name; redirectURL from Location, else empty', () => {
    const r = entryOf(exchange({ response: { status: 599, headers: {}, body: '', bytes: 0 } })).response;
    expect(r).toMatchObject({ status: 599, statusText: '', redirectURL: '', httpVersion: 'HTTP/1.1', cookies: [], headersSize: -1, bodySize: 0 });
    expect(r._error).toBeUndefined();
    expect(entryOf(exchange({ response: { status: 404, headers: { Location: '/x' }, bytes: 0 } })).response).toMatchObject({ statusText: 'Not Found', redirectURL: '/x' });
  });

  it('an answer cut by an error keeps both; no answer is status 0 with the error, or "no response"', () => {
    expect(entryOf(exchange({ response: ok('ab', 10), error: 'stream broke' })).response._error).toBe('stream broke');
    const none = { status: 0, statusText: '', httpVersion: '', cookies: [], headers: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: -1 };
    expect(entryOf(exchange({ error: 'connection refused' })).response).toStrictEqual({ ...none, _error: 'connection refused' });
    expect(entryOf(exchange({})).response).toStrictEqual({ ...none, _error: 'no response' });
  });

  it("marks every entry as a fetch for Chromium, and says in the log's comment what run it is", () => {
    const har = harFromReport(report([checkWith('a', [exchange({})])]));
    expect(har.log.entries[0]._resourceType).toBe('fetch');
    expect(har.log.entries[0].request.cookies).toEqual([]);
    expect(har.log.creator).toEqual({ name: 'gt-conformance', version: '1.2.3' });
    expect(har.log.comment).toBe('gt-conformance run against live gt.example, seed 7, 2025-01-01T00:00:00.000Z to 2025-01-01T00:01:00.000Z; credentials masked, bodies cut at 4 KiB, binary bodies summarised');
  });
});

describe('distinctExchanges and sentRequests', () => {
  it('names a check once even when it lists the same exchange twice', () => {
    const e = exchange({});
    expect(distinctExchanges([checkWith('a', [e, e]), checkWith('b', [e])])).toEqual([{ exchange: e, checks: ['a', 'b'] }]);
  });

  it('counts the requests that reached the network: answered, or failed after being sent', () => {
    const checks = [
      checkWith('a', [
        exchange({ response: ok('', 0), startedAt: '2025-01-01T00:00:01.000Z' }),
        exchange({ error: 'not sent: the run deadline had passed', startedAt: '2025-01-01T00:00:02.000Z' }),
        exchange({ error: 'connection reset', startedAt: '2025-01-01T00:00:03.000Z' }),
        exchange({ error: 'upstream said it was not sent', startedAt: '2025-01-01T00:00:04.000Z' }),
        exchange({ startedAt: '2025-01-01T00:00:05.000Z' }),
      ]),
    ];
    expect(sentRequests(distinctExchanges(checks))).toBe(4);
    expect(sentRequests(distinctExchanges([]))).toBe(0);
  });
});
