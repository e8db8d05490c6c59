// What the mutation run of src/report/{sanitize,scrub,created}.ts found untested (docs/testing.md, "Mutation
// scores"), with the expected values from each module's header comment: control characters shown as two hex
// digits, whitespace runs as one space, the cut at `max`, the & and ` entities; a deep scrub that leaves
// numbers, booleans and null as they are; created objects only from 2xx answers with a string id, merged
// across exchanges, and an answer to a path the contract does not have.
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import type { Exchange } from '../../src/model.ts';
import { createdObjects } from '../../src/report/created.ts';
import { distinctExchanges } from '../../src/report/har.ts';
import { markdownSafe, terminalSafe } from '../../src/report/sanitize.ts';
import { scrubDeep } from '../../src/report/scrub.ts';

describe('sanitize', () => {
  it('shows a control character below 0x10 with two hex digits', () => {
    expect(terminalSafe('a\x07b')).toBe('a\\x07b');
  });

  it('shows a control character past 0xFF with four hex digits (the Arabic letter mark is U+061C)', () => {
    expect(terminalSafe('a\u061cb')).toBe('a\\u061cb');
  });

  it('makes each run of white space, vertical tab and no-break space included, one space, and trims the ends', () => {
    expect(markdownSafe('  a \t\n b\vc\u00a0\u00a0d  ')).toBe('a b c d');
  });

  it('cuts at max characters only what is longer', () => {
    expect(markdownSafe('abc', 3)).toBe('abc');
    expect(markdownSafe('abcd', 3)).toBe('ab…');
  });

  it('writes & and ` as entities', () => {
    expect(markdownSafe('a & `b`')).toBe('a &amp; &#96;b&#96;');
  });
});

describe('scrubDeep', () => {
  it('copies numbers, booleans and null as they are', () => {
    expect(scrubDeep({ n: 5, b: true, z: null, list: [0, false] })).toEqual({ n: 5, b: true, z: null, list: [0, false] });
  });
});

const base = 'https://gt.example/api/tenant';
let clock = 0;
function exchange(method: string, path: string, status: number, body: unknown): Exchange {
  return {
    label: `${method} ${path}`,
    request: { method, url: `${base}${path}`, headers: {} },
    response: { status, headers: {}, body: JSON.stringify(body), bytes: 10 },
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)).toISOString(),
    durationMs: 1,
  } as Exchange;
}

describe('createdObjects', () => {
  it('takes 200 to 299 as created, not 199 or 300', () => {
    const of = (status: number) => createdObjects(loadContract(), distinctExchanges([{ id: 'c', exchanges: [exchange('POST', '/v1/conversations', status, { id: 'conv_1' })] }])).length;
    expect([of(199), of(200), of(299), of(300)]).toEqual([0, 1, 1, 0]);
  });

  it('needs a string id, and names an object only by a string title', () => {
    const created = createdObjects(loadContract(), distinctExchanges([
      { id: 'a', exchanges: [exchange('POST', '/v1/conversations', 200, { id: 7 })] },
      { id: 'b', exchanges: [exchange('POST', '/v1/conversations', 200, { id: 'conv_2', title: 7 })] },
    ]));
    expect(created).toEqual([{ object: 'conversation', id: 'conv_2', route: 'POST /v1/conversations', checks: ['b'] }]);
  });

  it('lists an id two answers carry once, with the checks of both, each once', () => {
    const created = createdObjects(loadContract(), distinctExchanges([
      { id: 'a', exchanges: [exchange('POST', '/v1/conversations', 200, { id: 'conv_3' })] },
      { id: 'b', exchanges: [exchange('POST', '/v1/conversations', 201, { id: 'conv_3' })] },
      { id: 'a', exchanges: [exchange('POST', '/v1/conversations', 200, { id: 'conv_3' })] },
    ]));
    expect(created).toEqual([{ object: 'conversation', id: 'conv_3', route: 'POST /v1/conversations', checks: ['a', 'b'] }]);
  });

  it('passes over an answer to a path the contract does not have', () => {
    expect(createdObjects(loadContract(), distinctExchanges([{ id: 'a', exchanges: [exchange('POST', '/v1/nowhere', 200, { id: 'x_1' })] }]))).toEqual([]);
  });
});
