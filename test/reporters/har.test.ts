// evidence.har: HAR 1.2, field by field; each exchange once; as redacted as every other report; and read by a
// real HAR consumer (Playwright's routeFromHAR in Chromium answers the page's requests from it).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport, type TestRun } from '../../src/report/build.ts';
import { harFromReport } from '../../src/report/har.ts';
import { scrubDeep } from '../../src/report/scrub.ts';
import { rememberSecrets } from '../../src/http/redact.ts';
import { routeCatalog } from '../../src/report/run-context.ts';
import { leaksIn } from './secrets-scan.ts';
import type { ConformanceReport } from '../../src/report/report-model.ts';
import type { Exchange } from '../../src/model.ts';
import { defaultScenario, fixtureSecrets, metaOf } from '../fixtures/reports/scenario.ts';
import { browserSkipReason, openInChromium } from './browser.ts';
import { harSpecProblems } from './har-spec.ts';
import { parseTrafficText } from '../../src/clients/traffic.ts';
import { tempDir } from './fixture-run.ts';

function scenarioReport(): ConformanceReport {
  const scenario = defaultScenario();
  const tests: TestRun[] = scenario.checks
    .filter((c) => c.outcome)
    .map((c) => ({ name: c.check.title, meta: metaOf(c), state: c.outcome === 'failed' ? 'failed' : 'passed', errors: [], startTime: 1_700_000_000_000, durationMs: 5 }));
  return buildReport({ context: scenario.context, tests, routeCatalog: routeCatalog() });
}

const base: Exchange = {
  label: 'upload',
  request: { method: 'POST', url: 'http://127.0.0.1:9/api/tenant/v1/datasets/reference-briefs/files?x=1&y=two', headers: { 'content-type': 'multipart/form-data; boundary=b' }, body: 'file=a.txt <5 bytes text/plain>' },
  response: { status: 302, headers: { location: 'http://127.0.0.1:9/api/tenant/v1/files/f1', 'content-type': 'audio/wav' }, body: '<4044 bytes audio/wav>', bytes: 4044 },
  startedAt: '2025-01-01T00:00:01.000Z',
  durationMs: 7,
};

function withExchanges(report: ConformanceReport, exchanges: Exchange[][]): ConformanceReport {
  return { ...report, checks: report.checks.map((c, i) => ({ ...c, exchanges: exchanges[i] ?? [] })) };
}

describe('harFromReport', () => {
  it('is HAR 1.2 field by field', () => {
    const har = harFromReport(scenarioReport());
    expect(har.log.entries.length).toBeGreaterThan(5);
    expect(harSpecProblems(har)).toEqual([]);
  });

  it('the spec check catches a broken log', () => {
    const har = structuredClone(harFromReport(scenarioReport())) as unknown as { log: { version: string; entries: Array<Record<string, Record<string, unknown>>> } };
    har.log.version = '1.1';
    delete har.log.entries[0].request.headersSize;
    har.log.entries[1].response.content = { mimeType: 'x' };
    har.log.entries[2].timings.wait = -1;
    (har.log.entries[3] as Record<string, unknown>).extra = 1;
    expect(harSpecProblems(har)).toEqual(
      expect.arrayContaining([
        '.log.version: must be "1.2"',
        '.log.entries[0].request.headersSize: required',
        '.log.entries[1].response.content.size: required',
        '.log.entries[2].timings.wait: must be >= 0',
        '.log.entries[3].extra: not a HAR 1.2 field (custom fields start with _)',
      ]),
    );
  });

  it('maps an exchange to request, response, content, sizes and timings', () => {
    const har = harFromReport(withExchanges(scenarioReport(), [[base]]));
    const [entry] = har.log.entries;
    expect(entry).toMatchObject({
      startedDateTime: '2025-01-01T00:00:01.000Z',
      time: 7,
      cache: {},
      timings: { send: 0, wait: 7, receive: 0, blocked: -1, dns: -1, connect: -1, ssl: -1 },
      comment: 'upload',
      request: {
        method: 'POST',
        httpVersion: 'HTTP/1.1',
        queryString: [{ name: 'x', value: '1' }, { name: 'y', value: 'two' }],
        headers: [{ name: 'content-type', value: 'multipart/form-data; boundary=b' }],
        postData: { mimeType: 'multipart/form-data; boundary=b', params: [], text: 'file=a.txt <5 bytes text/plain>' },
        headersSize: -1,
        bodySize: -1, // a summary, not the bytes sent
      },
      response: {
        status: 302,
        statusText: 'Found',
        redirectURL: 'http://127.0.0.1:9/api/tenant/v1/files/f1',
        content: { size: 4044, mimeType: 'audio/wav' },
        bodySize: 4044,
        headersSize: -1,
      },
    });
    expect(entry.response.content.text).toBeUndefined();
    expect(entry.response.content.comment).toMatch(/binary body not recorded/);
  });

  it('gives a JSON request its exact size, and a request without an answer status 0 with the error', () => {
    const json: Exchange = { ...base, request: { ...base.request, headers: { 'content-type': 'application/json' }, body: '{"a":"é"}' }, response: undefined, error: 'connection refused' };
    const [entry] = harFromReport(withExchanges(scenarioReport(), [[json]])).log.entries;
    expect(entry.request.bodySize).toBe(10);
    expect(entry.response).toMatchObject({ status: 0, _error: 'connection refused', content: { size: 0, mimeType: 'x-unknown' } });
    expect(harSpecProblems({ log: { version: '1.2', creator: { name: 'x', version: '1' }, entries: [entry] } })).toEqual([]);
  });

  it('lists an exchange two checks share once, naming both, in start order', () => {
    const later = { ...base, startedAt: '2025-01-01T00:00:05.000Z', label: 'later' };
    const har = harFromReport(withExchanges(scenarioReport(), [[later, base], [base]]));
    expect(har.log.entries.map((e) => e.comment)).toEqual(['upload', 'later']);
    const ids = scenarioReport().checks.map((c) => c.id);
    expect(har.log.entries[0]._checks).toEqual([ids[0], ids[1]]);
    expect(har.log.entries[1]._checks).toEqual([ids[0]]);
  });

  it('holds no secret: a token that reached an exchange unmasked is masked in the HAR too', () => {
    const { listed, unlisted } = fixtureSecrets();
    const leaky: Exchange = { ...base, request: { ...base.request, url: `${base.request.url}&key=${listed}`, headers: { authorization: `Bearer ${unlisted}` }, body: `{"k":"${listed}"}` } };
    const text = JSON.stringify(harFromReport(withExchanges(scenarioReport(), [[leaky]])));
    expect(text).toContain('gtak_****');
    expect(leaksIn(text, [listed, unlisted])).toEqual([]);
  });

  it('holds no secret from a report already scrubbed, whose strings it reuses; the query it decodes is scrubbed too', () => {
    const known = 'gtak_har-query-Zq81xV04kPw7';
    rememberSecrets([known]); // as a run does with its keys: masked in every encoding
    const unknown = 'gtak_unknownToken4fJ9sQ2xLm'; // no one told the harness: only its plain form is recognisable
    const percent = (text: string) => [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    const leaky: Exchange = { ...base, request: { ...base.request, url: `${base.request.url}&key=${percent(known)}&other=${percent(unknown)}` } };
    const scrubbed = scrubDeep(withExchanges(scenarioReport(), [[leaky]]));
    const har = harFromReport(scrubbed);
    const entry = har.log.entries.find((e) => e.request.url.includes('key='));
    expect(entry?.request.queryString.map((q) => q.name)).toEqual(['x', 'y', 'key', 'other']);
    // decoded, the unknown token is plain, and masked as any gtak_ token is
    expect(entry?.request.queryString.find((q) => q.name === 'other')?.value).toMatch(/^gtak_\*{4}/);
    expect(leaksIn(JSON.stringify(entry?.request.queryString), [known, unknown])).toEqual([]);
    expect(leaksIn(JSON.stringify(har), [known])).toEqual([]);
  });
});

describe('evidence.har read back by verify-client', () => {
  it('gives every entry as a request under the tenant base path, in order', () => {
    const har = harFromReport(scenarioReport());
    const traffic = parseTrafficText(JSON.stringify(har), 'evidence.har');
    expect(traffic.format).toBe('har');
    expect(traffic.leftOut).toEqual([]);
    expect(traffic.lines.map((l) => `${l.entry.method} ${l.entry.path}`)).toEqual(har.log.entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname}`));
    expect(traffic.lines.map((l) => l.where)).toEqual(har.log.entries.map((_, i) => `log.entries[${i}]`));
  });
});

describe.skipIf(!!browserSkipReason())('evidence.har in a HAR consumer', () => {
  it("Playwright's routeFromHAR in Chromium serves the recorded answers, GET and POST", async () => {
    const report = scenarioReport();
    const file = path.join(tempDir('har'), 'evidence.har');
    const har = harFromReport(report);
    writeFileSync(file, JSON.stringify(har));
    const get = har.log.entries.find((e) => e.request.method === 'GET' && e.response.status === 200)!;
    const post = har.log.entries.find((e) => e.request.method === 'POST' && e.request.postData && e.response.status === 500)!;
    const opened = await openInChromium(file);
    try {
      await opened.page.context().routeFromHAR(file, { notFound: 'abort' });
      const page = await opened.page.context().newPage();
      const answer = await page.goto(get.request.url);
      expect(answer?.status()).toBe(200);
      expect(await answer?.text()).toBe(get.response.content.text);
      const posted = await page.evaluate(
        async ({ url, body }) => {
          const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
          return { status: r.status, text: await r.text() };
        },
        { url: post.request.url, body: post.request.postData!.text },
      );
      expect(posted).toEqual({ status: 500, text: post.response.content.text });
    } finally {
      await opened.close();
    }
  });
});
