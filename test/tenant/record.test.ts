// The traffic record: one redacted entry per request, never a whole secret.
import { describe, expect, it } from 'vitest';
import type { RecordedTraffic } from '../../src/tenant/index.ts';
import { boundaryOf, parseMultipart, MultipartError } from '../../src/tenant/multipart.ts';
import { API, chatBody, PDF_BYTES, testTenant } from './helpers.ts';

describe('record', () => {
  it('records method, path, route, key, redacted headers, a body outline and the status', async () => {
    const entries: RecordedTraffic[] = [];
    const t = testTenant({ record: (e) => entries.push(e) });
    const secret = t.secrets['openai-chat'];
    await t.http.post(`${API}/chat/completions?trace=1`).set('Authorization', `Bearer ${secret}`).set('Cookie', 'session=abc')
      .send(chatBody('mission-agent', `please keep ${t.secrets['chat-embeddings']} safe`)).expect(200);
    await t.http.post(`${API}/datasets/reference-briefs/files`).set('Authorization', t.bearer('dataset-upload')).field('note', 'n1').attach('file', PDF_BYTES, 'a.pdf').expect(201);
    await t.http.get(`${API}/models`).set('Authorization', 'Bearer gtak_UnknownButWellFormed999').expect(401);
    await t.http.get('/nowhere').expect(404);

    expect(entries).toHaveLength(4);
    const [chat, upload, denied, unknown] = entries;
    expect(chat).toMatchObject({ method: 'POST', path: '/api/tenant/v1/chat/completions?trace=1', route: 'chat', key: 'openai-chat', status: 200 });
    expect(chat.headers.authorization).toBe(`Bearer gtak_****${secret.slice(-4)}`);
    expect(chat.headers.cookie).toBe('****');
    expect(chat.body).toMatchObject({ kind: 'json', json: { model: 'mission-agent' } });
    expect(chat.response.contentType).toMatch(/^application\/json/);
    expect(chat.response.bytes).toBeGreaterThan(50);
    expect(Number.isFinite(Date.parse(chat.at))).toBe(true);
    expect(upload.body).toMatchObject({ kind: 'multipart', parts: [{ name: 'note', value: 'n1' }, { name: 'file', filename: 'a.pdf', bytes: PDF_BYTES.length }] });
    expect(upload.status).toBe(201);
    expect(denied).toMatchObject({ route: 'models', status: 401 });
    expect(denied.key).toBeUndefined();
    expect(denied.headers.authorization).toBe('Bearer gtak_****d999');
    expect(unknown.route).toBeUndefined();

    const all = JSON.stringify(entries);
    for (const s of Object.values(t.secrets)) expect(all).not.toContain(s);
    expect(all).not.toContain('gtak_UnknownButWellFormed999');
  });

  it('survives a recorder that throws', async () => {
    const t = testTenant({ record: () => { throw new Error('disk full'); } });
    await t.http.get(`${API}/models`).set('Authorization', t.bearer('openai-chat')).expect(200);
    await t.http.get(`${API}/models`).set('Authorization', t.bearer('openai-chat')).expect(200);
  });
});

describe('multipart parser', () => {
  const body = (parts: string[], boundary = 'XyZ') => Buffer.from(`${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`, 'latin1');

  it('reads fields and files, with quoted and RFC 5987 file names', () => {
    const parts = parseMultipart(body([
      'Content-Disposition: form-data; name="model"\r\n\r\nvoice-agent',
      'Content-Disposition: form-data; name="file"; filename="call \\"1\\".wav"\r\nContent-Type: audio/wav\r\n\r\nRIFF\r\nmore',
      'Content-Disposition: form-data; name="doc"; filename*=UTF-8\'\'r%C3%A9sum%C3%A9.pdf\r\n\r\n%PDF-',
    ]), 'XyZ');
    expect(parts.map((p) => [p.name, p.filename, p.contentType, p.data.toString('latin1')])).toEqual([
      ['model', undefined, undefined, 'voice-agent'],
      ['file', 'call "1".wav', 'audio/wav', 'RIFF\r\nmore'],
      ['doc', 'résumé.pdf', undefined, '%PDF-'],
    ]);
  });

  it('finds the boundary in the content type', () => {
    expect(boundaryOf('multipart/form-data; boundary=----abc')).toBe('----abc');
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="q r"')).toBe('q r');
    expect(boundaryOf('application/json')).toBeUndefined();
  });

  it('rejects an unterminated or nameless body', () => {
    expect(() => parseMultipart(Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end'), 'XyZ')).toThrow(MultipartError);
    expect(() => parseMultipart(body(['Content-Type: text/plain\r\n\r\nx']), 'XyZ')).toThrow(/no form-data name/);
    expect(() => parseMultipart(Buffer.from('nothing here'), 'XyZ')).toThrow(/no boundary/);
  });
});
