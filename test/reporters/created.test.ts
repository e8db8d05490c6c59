// What a run created, from its exchanges: only a 2xx answer with an id, to a route the contract says creates.
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import type { Exchange } from '../../src/model.ts';
import { createdObjects } from '../../src/report/created.ts';
import { distinctExchanges } from '../../src/report/har.ts';
import { createdWords } from '../../src/report/summary.ts';

const base = 'https://gt.example/api/tenant';
let clock = 0;
function exchange(method: string, path: string, status: number | undefined, body?: unknown): Exchange {
  return {
    label: `${method} ${path}`,
    request: { method, url: `${base}${path}`, headers: {} },
    ...(status ? { response: { status, headers: {}, body: typeof body === 'string' ? body : JSON.stringify(body), bytes: 10 } } : { error: 'connection reset' }),
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)).toISOString(),
    durationMs: 1,
  } as Exchange;
}

describe('createdObjects', () => {
  it('lists the files and conversations the answers created, once each, with the checks that hold them', () => {
    const upload = exchange('POST', '/v1/datasets/ds_1/files', 201, { id: 'file_a', filename: 'gt-conformance-r1-a.txt', status: 'pending' });
    const created = createdObjects(loadContract(), distinctExchanges([
      { id: 'p/dataset-files/works', exchanges: [upload] },
      { id: 'p/file-status/works', exchanges: [upload, exchange('GET', '/v1/files/file_a', 200, { id: 'file_a', status: 'ready' })] },
      { id: 'p/conversations/works', exchanges: [exchange('POST', '/v1/conversations', 200, { id: 'conv_1', title: 'gt-conformance r1: x' })] },
      { id: 'p/conversation-files/works', exchanges: [exchange('POST', '/v1/conversations/files', 202, { id: 'file_b' })] },
    ]));
    expect(created).toEqual([
      { object: 'file', id: 'file_a', name: 'gt-conformance-r1-a.txt', route: 'POST /v1/datasets/{id}/files', checks: ['p/dataset-files/works', 'p/file-status/works'] },
      { object: 'conversation', id: 'conv_1', name: 'gt-conformance r1: x', route: 'POST /v1/conversations', checks: ['p/conversations/works'] },
      { object: 'file', id: 'file_b', route: 'POST /v1/conversations/files', checks: ['p/conversation-files/works'] },
    ]);
    expect(createdWords(created)).toBe('created on the tenant: 2 files, 1 conversation');
  });

  it('leaves out refusals, failures, answers without an id, reads and other routes', () => {
    const created = createdObjects(loadContract(), distinctExchanges([
      {
        id: 'c',
        exchanges: [
          exchange('POST', '/v1/datasets/ds_1/files', 403, { error: { message: 'no', type: 'x' }, id: 'file_x' }),
          exchange('POST', '/v1/conversations', undefined),
          exchange('POST', '/v1/conversations', 201, 'not json'),
          exchange('POST', '/v1/conversations', 201, { object: 'conversation' }),
          exchange('GET', '/v1/conversations', 200, { id: 'conv_read' }),
          exchange('POST', '/v1/chat/completions', 200, { id: 'chatcmpl_1' }),
        ],
      },
    ]));
    expect(created).toEqual([]);
    expect(createdWords(created)).toBe('created nothing on the tenant');
  });
});
