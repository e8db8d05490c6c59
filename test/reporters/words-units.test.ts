// The small formatting modules, each expected value written out by hand from their header comments:
// transcript.ts (curl -v style), names.ts (`product › route [verdict] › title`), terminal.ts (widths, SGR
// colours, wrapping between words, "1 min 05 s").
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/model.ts';
import type { ReportCheck } from '../../src/report/report-model.ts';
import { exchangeTitle, exchangeTranscript } from '../../src/report/transcript.ts';
import { checkName, verdictWords } from '../../src/report/names.ts';
import { consoleTraits, durationWords, painter, wrapText } from '../../src/report/terminal.ts';

const exchange = (fields: Partial<Exchange> = {}): Exchange => ({
  label: 'chat with the alias',
  request: { method: 'POST', url: 'https://gt.example/api/tenant/v1/chat/completions?x=1', headers: { authorization: 'Bearer gtak_****', 'content-type': 'application/json' }, body: '{"model":"m"}' },
  response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"c1"}', bytes: 11 },
  startedAt: '2025-01-01T00:00:00.000Z',
  durationMs: 12,
  ...fields,
});

describe('exchangeTitle', () => {
  it('METHOD path?query → status, the transport error, or "no response"', () => {
    expect(exchangeTitle(exchange())).toBe('POST /api/tenant/v1/chat/completions?x=1 → 200');
    expect(exchangeTitle(exchange({ response: undefined, error: 'connection refused' }))).toBe('POST /api/tenant/v1/chat/completions?x=1 → error: connection refused');
    expect(exchangeTitle(exchange({ response: undefined }))).toBe('POST /api/tenant/v1/chat/completions?x=1 → error: no response');
    expect(exchangeTitle(exchange({ request: { method: 'GET', url: '/v1/models', headers: {} } }))).toBe('GET /v1/models → 200');
  });
});

describe('exchangeTranscript', () => {
  it('the label and timing, then > request lines and body, then < response lines and body', () => {
    expect(exchangeTranscript(exchange())).toBe(
      [
        '# chat with the alias',
        '# started 2025-01-01T00:00:00.000Z, took 12 ms',
        '',
        '> POST https://gt.example/api/tenant/v1/chat/completions?x=1',
        '> authorization: Bearer gtak_****',
        '> content-type: application/json',
        '>',
        '{"model":"m"}',
        '',
        '< 200 (11 bytes)',
        '< content-type: application/json',
        '<',
        '{"id":"c1"}',
        '',
      ].join('\n'),
    );
  });

  it('no body lines for empty bodies; the error after what came, or alone', () => {
    const cut = exchange({ request: { method: 'GET', url: 'u', headers: {}, body: '' }, response: { status: 200, headers: {}, body: '', bytes: 0 }, error: 'stream broke' });
    expect(exchangeTranscript(cut)).toBe('# chat with the alias\n# started 2025-01-01T00:00:00.000Z, took 12 ms\n\n> GET u\n>\n\n< 200 (0 bytes)\n<\n! stream broke\n');
    const none = exchange({ request: { method: 'GET', url: 'u', headers: {} }, response: undefined, error: 'connection refused' });
    expect(exchangeTranscript(none)).toBe('# chat with the alias\n# started 2025-01-01T00:00:00.000Z, took 12 ms\n\n> GET u\n>\n\n! connection refused\n');
  });
});

describe('checkName and verdictWords', () => {
  const check = (fields: Partial<ReportCheck>): ReportCheck => ({ id: 'x', group: 'route', title: 'T', severity: 'normal', outcome: 'passed', message: '', ran: true, exchanges: [], ...fields });

  it('product › route [verdict] › title, and each group’s middle part', () => {
    expect(checkName(check({ product: 'alpha', route: 'chat', verdict: 'native' }))).toBe('alpha › chat [native] › T');
    expect(checkName(check({ product: 'alpha', verdict: 'native' }))).toBe('alpha › ? [native] › T');
    expect(checkName(check({ product: 'alpha', route: 'chat' }))).toBe('alpha › chat › T');
    expect(checkName(check({ product: 'alpha' }))).toBe('alpha › route › T');
    expect(checkName(check({ group: 'cross-cutting', route: 'models' }))).toBe('cross-cutting › models › T');
    expect(checkName(check({ group: 'validation', product: 'alpha', route: 'chat', verdict: 'native' }))).toBe('alpha › checklist › T');
    expect(checkName(check({ group: 'finding', product: 'beta', route: 'chat', verdict: 'native' }))).toBe('beta › chat [finding] › T');
    expect(checkName(check({ group: 'finding', product: 'beta' }))).toBe('beta › finding › T');
  });

  it('the verdicts in words', () => {
    expect(['native', 'gt_extension', 'not_supported', undefined].map((v) => verdictWords(v as never))).toEqual(['native', 'GT extension', 'not supported', '']);
  });
});

describe('terminal', () => {
  it('takes a terminal of 40 columns or more at its width, a narrower one or an unknown width at 100', () => {
    expect(consoleTraits({ isTTY: true, columns: 40 }, {}).width).toBe(40);
    expect(consoleTraits({ isTTY: true, columns: 39 }, {}).width).toBe(100);
    expect(consoleTraits({ isTTY: true }, {}).width).toBe(100);
    expect(consoleTraits({}, {})).toStrictEqual({ tty: false, width: 100, colour: false });
    expect(consoleTraits({ isTTY: true, columns: 80 }, { TERM: 'xterm' }, {})).toStrictEqual({ tty: true, width: 80, colour: true });
    expect(consoleTraits({ isTTY: true, columns: 80 }, { TERM: 'dumb' })).toStrictEqual({ tty: false, width: 100, colour: false });
  });

  it('paints with the SGR code of each colour, and leaves text without a colour alone', () => {
    const paint = painter(true);
    expect((['red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'grey', 'bold'] as const).map((c) => paint(c, 'x'))).toEqual(
      [31, 32, 33, 34, 35, 36, 90, 1].map((n) => `\x1b[${n}mx\x1b[0m`),
    );
    expect(paint(undefined, 'x')).toBe('x');
  });

  it('wraps at the width exactly, the first line with its own prefix, runs of spaces as one', () => {
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapText('aaa bbb ccc', 6)).toEqual(['aaa', 'bbb', 'ccc']);
    expect(wrapText('aaa   bbb', 80, '  ', '> ')).toEqual(['> aaa bbb']);
    expect(wrapText('aa bb\ncc dd', 5, '..', '>>')).toEqual(['>>aa', '..bb', '..cc', '..dd']);
    expect(wrapText('', 10, '  ', '> ')).toEqual(['> ']);
    expect(wrapText(' lead', 10)).toEqual(['lead']);
  });

  it('says a duration in seconds, and from a minute in minutes and two-digit seconds', () => {
    expect([0, 499, 500, 42_000, 59_499, 59_500, 65_000, 600_000, 3_725_000, -5000].map(durationWords)).toEqual(['0 s', '0 s', '1 s', '42 s', '59 s', '1 min 00 s', '1 min 05 s', '10 min 00 s', '62 min 05 s', '0 s']);
  });
});
