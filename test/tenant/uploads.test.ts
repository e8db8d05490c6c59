// The upload lifecycle on both upload routes and both status paths: non-terminal states, then
// ready, or failed with a reason; terminal states stay terminal; files are visible to their family only.
import { describe, expect, it, vi } from 'vitest';
import { UNDECODABLE_MARKER } from '../../src/tenant/content/decode-check.ts';
import { API, expectErrorBody, PDF_BYTES, testTenant, type TestTenant } from './helpers.ts';

const PROCESSING_MS = 300;

async function datasetUpload(t: TestTenant, data: Buffer, filename: string, key = 'dataset-upload') {
  const res = await t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', t.bearer(key)).attach('file', data, filename).expect(201);
  return res.body as { id: string; status: string };
}

async function conversationUpload(t: TestTenant, data: Buffer, filename: string) {
  const conv = await t.http.post(`${API}/conversations`).set('Authorization', t.bearer('conversation-app')).send({ model: 'mission-agent' }).expect(201);
  const res = await t.http.post(`${API}/conversations/files`).set('Authorization', t.bearer('conversation-app'))
    .set('X-GT-Conversation-Id', conv.body.id).attach('file', data, filename).expect(201);
  expect(res.headers['x-gt-conversation-id']).toBe(conv.body.id);
  return res.body as { id: string; status: string };
}

const uploads = {
  'dataset upload (R8)': (t: TestTenant, data: Buffer, filename: string) => datasetUpload(t, data, filename),
  'conversation upload (R9)': conversationUpload,
};
const statusPaths = ['files', 'uploads'] as const;
const statusKey = { 'dataset upload (R8)': 'dataset-upload', 'conversation upload (R9)': 'conversation-app' } as const;

async function status(t: TestTenant, path: string, id: string, key: string) {
  const res = await t.http.get(`${API}/${path}/${id}`).set('Authorization', t.bearer(key)).expect(200);
  return res.body as Record<string, unknown>;
}

describe.each(Object.keys(uploads) as Array<keyof typeof uploads>)('%s', (label) => {
  for (const path of statusPaths) {
    it(`moves uploaded → processing → ready on /v1/${path}/{id}, and stays ready`, async () => {
      const t = testTenant({ processingMs: PROCESSING_MS });
      const file = await uploads[label](t, PDF_BYTES, 'brief.pdf');
      expect(file.status).toBe('uploaded');
      const key = statusKey[label];
      const seen: string[] = [];
      let elapsed = 0;
      for (const at of [0, 50, 100, 200, 299, 300, 1000, 60_000]) {
        t.advance(at - elapsed);
        elapsed = at;
        const body = await status(t, path, file.id, key);
        expect(body).toMatchObject({ id: file.id, object: 'file', filename: 'brief.pdf', bytes: PDF_BYTES.length });
        expect(body.reason).toBeUndefined();
        seen.push(body.status as string);
      }
      expect(seen).toEqual(['uploaded', 'uploaded', 'processing', 'processing', 'processing', 'ready', 'ready', 'ready']);
    });

    it(`ends failed with a reason for an undecodable file on /v1/${path}/{id}, and stays failed`, async () => {
      const t = testTenant({ processingMs: PROCESSING_MS });
      const cases: Array<[Buffer, string, RegExp]> = [
        [Buffer.alloc(0), 'empty.txt', /empty/],
        [Buffer.from('this is not a pdf'), 'report.pdf', /\.pdf.*not PDF/],
        [Buffer.from('plain text'), 'photo.png', /not PNG/],
        [Buffer.from(`notes ${UNDECODABLE_MARKER} more`), 'notes.txt', /could not be decoded/],
      ];
      const files = [];
      for (const [data, name] of cases) files.push(await uploads[label](t, data, name));
      t.advance(PROCESSING_MS / 2);
      for (const file of files) expect((await status(t, path, file.id, statusKey[label])).status).toBe('processing');
      t.advance(PROCESSING_MS);
      for (const [i, file] of files.entries()) {
        for (let poll = 0; poll < 2; poll++) {
          const body = await status(t, path, file.id, statusKey[label]);
          expect(body.status).toBe('failed');
          expect(body.reason).toMatch(cases[i][2]);
        }
      }
    });
  }
});

describe('file visibility by key family', () => {
  it('shows a file to every key of the uploading family and to no other family', async () => {
    const t = testTenant({ processingMs: 0 });
    const viaUploadKey = await datasetUpload(t, PDF_BYTES, 'a.pdf', 'conversation-app.upload');
    const viaConversation = await conversationUpload(t, PDF_BYTES, 'b.pdf');
    for (const id of [viaUploadKey.id, viaConversation.id]) {
      for (const key of ['conversation-app', 'conversation-app.upload']) expect((await status(t, 'files', id, key)).status).toBe('ready');
      for (const key of ['other-family', 'other-family.upload', 'dataset-upload']) {
        for (const path of statusPaths) {
          const res = await t.http.get(`${API}/${path}/${id}`).set('Authorization', t.bearer(key));
          expectErrorBody(res, 404);
          expect(res.text).not.toContain('b.pdf');
        }
      }
    }
  });

  it('keeps a conversation of one family out of reach of another', async () => {
    const t = testTenant();
    const conv = await t.http.post(`${API}/conversations`).set('Authorization', t.bearer('other-family')).send({ model: 'partner-agent' }).expect(201);
    const res = await t.http.post(`${API}/chat/completions`).set('Authorization', t.bearer('conversation-app'))
      .set('X-GT-Conversation-Id', conv.body.id).send({ model: 'mission-agent', messages: [{ role: 'user', content: 'x' }] });
    expectErrorBody(res, 404);
  });
});

describe('with the default clock', () => {
  it('reads Date.now when given no clock, and reaches ready exactly processingMs after the upload', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-02-01T09:00:00Z'), toFake: ['Date'] });
    try {
      const { createTenant } = await import('../../src/tenant/index.ts');
      const request = (await import('supertest')).default;
      const tenant = createTenant({ processingMs: 60 });
      const http = request(tenant.handler);
      const auth = `Bearer ${tenant.secrets['dataset-upload']}`;
      const file = await http.post(`${API}/datasets/field-reports/files`).set('Authorization', auth).attach('file', PDF_BYTES, 'x.pdf').expect(201);
      vi.setSystemTime(Date.parse('2026-02-01T09:00:00.059Z'));
      expect((await http.get(`${API}/uploads/${file.body.id}`).set('Authorization', auth).expect(200)).body.status).not.toBe('ready');
      vi.setSystemTime(Date.parse('2026-02-01T09:00:00.060Z'));
      expect((await http.get(`${API}/uploads/${file.body.id}`).set('Authorization', auth).expect(200)).body.status).toBe('ready');
    } finally {
      vi.useRealTimers();
    }
  });
});
