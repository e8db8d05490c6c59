// The curl reproduction, in-process, each command written out by hand from src/report/curl.ts's comments:
// POSIX single quotes, the key only as "$ENV_VAR", no header curl sets itself, -X only where curl would not
// choose the method, -N for a stream, multipart parts from fixtures/files, notes (`# ...`) first where the
// command cannot be exact, the last three distinct requests of a failed check. (curl.test.ts runs such
// commands against a tenant; this file runs nothing.)
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/model.ts';
import type { ReportCheck } from '../../src/report/report-model.ts';
import { curlCommand, parseMultipartRecord, reproduction, shellQuote } from '../../src/report/curl.ts';

const URL_ = 'https://gt.example/api/tenant/v1/chat/completions';
function ex(method: string, headers: Record<string, string> = {}, body?: string, extra: Partial<Exchange> = {}): Exchange {
  return { label: 'l', request: { method, url: URL_, headers, ...(body !== undefined ? { body } : {}) }, startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1, ...extra };
}
const C = ' \\\n  ';

describe('shellQuote', () => {
  it("one word in single quotes, each ' as '\\''", () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote("''")).toBe("''\\'''\\'''");
    expect(shellQuote('$(x) `y`')).toBe("'$(x) `y`'");
  });
});

describe('parseMultipartRecord', () => {
  it('reads fields (JSON-quoted) and files (name <N bytes TYPE>), separated by "; "', () => {
    expect(parseMultipartRecord('model="whisper"; file=tone.wav <4044 bytes audio/wav>')).toStrictEqual([
      { name: 'model', value: 'whisper' },
      { name: 'file', filename: 'tone.wav', bytes: 4044, contentType: 'audio/wav' },
    ]);
    expect(parseMultipartRecord('a="x\\"; b=\\"y"')).toStrictEqual([{ name: 'a', value: 'x"; b="y' }]);
    expect(parseMultipartRecord('file=my notes.txt <12 bytes text/plain>; purpose="x"')).toStrictEqual([
      { name: 'file', filename: 'my notes.txt', bytes: 12, contentType: 'text/plain' },
      { name: 'purpose', value: 'x' },
    ]);
  });

  it('is undefined for anything else', () => {
    for (const text of ['', '{"model":"m"}', 'model=whisper', 'model="a"b="c"', 'model="a";b="c"', '=x', 'file=x <n bytes a/b>']) expect(parseMultipartRecord(text), text).toBeUndefined();
  });
});

describe('curlCommand', () => {
  it('GET: the URL only; a POST with a body: no -X; other methods and a bodiless POST: -X', () => {
    expect(curlCommand(ex('GET'))).toBe(`curl -i '${URL_}'`);
    expect(curlCommand(ex('POST', {}, 'x=1'))).toBe(`curl -i '${URL_}'${C}--data-raw 'x=1'`);
    expect(curlCommand(ex('POST'))).toBe(`curl -i -X POST '${URL_}'`);
    expect(curlCommand(ex('POST', {}, ''))).toBe(`curl -i -X POST '${URL_}'`);
    expect(curlCommand(ex('DELETE'))).toBe(`curl -i -X DELETE '${URL_}'`);
    expect(curlCommand(ex('PUT', {}, 'b'))).toBe(`curl -i -X PUT '${URL_}'${C}--data-raw 'b'`);
    expect(curlCommand(ex('m;rm'))).toBe(`curl -i -X 'm;rm' '${URL_}'`);
  });

  it('streams with -N: a request with "stream": true, or an event-stream answer', () => {
    expect(curlCommand(ex('POST', {}, '{"stream" :  true}')).split(C)[0]).toBe(`curl -i -N '${URL_}'`);
    expect(curlCommand(ex('POST', {}, '{"stream":false}')).split(C)[0]).toBe(`curl -i '${URL_}'`);
    expect(curlCommand(ex('GET', {}, undefined, { response: { status: 200, headers: { 'content-type': 'text/event-stream' }, bytes: 0 } }))).toBe(`curl -i -N '${URL_}'`);
  });

  it('against the embedded tenant, sends to gt-conformance mock on 127.0.0.1:8787, the path and query kept', () => {
    const e = ex('GET', {}, undefined, { request: { method: 'GET', url: 'http://127.0.0.1:40123/api/tenant/v1/models?a=1', headers: {} } });
    expect(curlCommand(e, { embedded: true })).toBe("curl -i 'http://127.0.0.1:8787/api/tenant/v1/models?a=1'");
    expect(curlCommand(e)).toBe("curl -i 'http://127.0.0.1:40123/api/tenant/v1/models?a=1'");
    const relative = ex('GET', {}, undefined, { request: { method: 'GET', url: '/v1/models', headers: {} } });
    expect(curlCommand(relative, { embedded: true })).toBe("curl -i '/v1/models'");
  });

  it('reads the key from the env var, with a note on $GT_KEY when it has no name of its own', () => {
    const auth = ex('GET', { Authorization: 'Bearer gtak_****' });
    expect(curlCommand(auth, { keyEnv: 'GT_KEY_ALPHA' })).toBe(`curl -i '${URL_}'${C}-H "Authorization: Bearer $GT_KEY_ALPHA"`);
    expect(curlCommand(auth)).toBe(`# GT_KEY: the key to present\ncurl -i '${URL_}'${C}-H "Authorization: Bearer $GT_KEY"`);
    expect(curlCommand(auth, { keyPreset: 'inference' }).split('\n')[0]).toBe('# GT_KEY: the key to present (key preset inference)');
    expect(curlCommand(auth, { keyPreset: '@malformed' }).split('\n')[0]).toBe('# GT_KEY: a bearer value that is not a well-formed gtak_ key, e.g. not-a-gt-key');
    expect(curlCommand(auth, { keyEnv: 'GT KEY; rm -rf' })).toBe(`# GT_KEY: the key to present\ncurl -i '${URL_}'${C}-H "Authorization: Bearer $GT_KEY"`);
    expect(curlCommand(ex('GET', { authorization: 'Basic Zm9v' }), { keyEnv: 'K' })).toBe(`curl -i '${URL_}'${C}-H "Authorization: Basic $K"`);
    expect(curlCommand(ex('GET', { authorization: 'gtak_****' }), { keyEnv: 'K' })).toBe(`curl -i '${URL_}'${C}-H "Authorization: Bearer $K"`);
  });

  it('leaves out credentials and the headers curl sets itself; --compressed for an accept-encoding', () => {
    const headers = { 'X-Api-Key': 'k', 'api-key': 'k', Cookie: 'c', 'proxy-authorization': 'p', Host: 'h', 'content-length': '3', connection: 'close', 'keep-alive': '5', 'transfer-encoding': 'chunked', 'X-Trace': "it's" };
    expect(curlCommand(ex('GET', headers))).toBe(`curl -i '${URL_}'${C}-H 'X-Trace: it'\\''s'`);
    expect(curlCommand(ex('GET', { 'Accept-Encoding': 'gzip' }))).toBe(`curl -i '${URL_}'${C}--compressed`);
  });

  it('sends a multipart record as -F parts from fixtures/files, its own boundary, a note for a stand-in file', () => {
    const body = 'model="whisper"; file=tone.wav <4044 bytes audio/wav>';
    expect(curlCommand(ex('POST', { 'content-type': 'multipart/form-data; boundary=x' }, body))).toBe(`curl -i '${URL_}'${C}--form-string 'model=whisper'${C}-F 'file=@fixtures/files/tone.wav;type=audio/wav'`);
    const standIns = 'a=voice.mp3 <9 bytes audio/mpeg>; b=doc.pdf <9 bytes application/pdf>; c=odd name.bin <9 bytes application/octet-stream; x=1>; d=../brief.txt <9 bytes text/plain>';
    expect(curlCommand(ex('POST', { 'Content-Type': 'Multipart/form-data' }, standIns))).toBe(
      [
        '# the uploaded file is a stand-in from fixtures/files/ (run from the gt-conformance folder)',
        `curl -i '${URL_}'`,
        "-F 'a=@fixtures/files/tone.wav;filename=voice.mp3;type=audio/mpeg'",
        "-F 'b=@fixtures/files/undecodable.pdf;filename=doc.pdf;type=application/pdf'",
        "-F 'c=@fixtures/files/brief.txt'",
        "-F 'd=@fixtures/files/brief.txt;type=text/plain'",
      ].join(C).replace(`)${C}`, ')\n'),
    );
  });

  it('says when the body was not recorded, or was cut at 4 KiB', () => {
    expect(curlCommand(ex('POST', { 'content-type': 'multipart/form-data' }, 'not a record'))).toBe(`# the body was not recorded (not a record): add it\ncurl -i '${URL_}'${C}-H 'content-type: multipart/form-data'`);
    expect(curlCommand(ex('POST', { 'content-type': 'image/png' }, '<12 bytes image/png>'))).toBe(`# the body was not recorded (<12 bytes image/png>): add it\ncurl -i '${URL_}'${C}-H 'content-type: image/png'`);
    const long = `<${'1'.repeat(90)} bytes x/y>`;
    expect(curlCommand(ex('POST', {}, long)).split('\n')[0]).toBe(`# the body was not recorded (${long.slice(0, 80)}): add it`);
    expect(curlCommand(ex('POST', {}, '{"a":"b … (5000 bytes in all)'))).toBe(`# the recorded body was cut at 4 KiB: complete it before sending\ncurl -i '${URL_}'${C}--data-raw '{"a":"b'`);
    expect(curlCommand(ex('POST', {}, 'x <3 bytes a/b> y'))).toBe(`curl -i '${URL_}'${C}--data-raw 'x <3 bytes a/b> y'`);
  });
});

describe('reproduction', () => {
  const check = (fields: Partial<ReportCheck>): ReportCheck => ({ id: 'a/chat/works', group: 'route', title: 't', severity: 'normal', outcome: 'failed', message: '', ran: true, exchanges: [ex('GET')], ...fields });
  const live = { target: { kind: 'live' as const, host: 'gt.example' } };

  it('only for a failed check with an exchange', () => {
    expect(reproduction(check({ outcome: 'passed' }), live)).toBeUndefined();
    expect(reproduction(check({ exchanges: [] }), live)).toBeUndefined();
  });

  it("names the check's key env var and preset on a live target", () => {
    expect(reproduction(check({ keyEnv: 'GT_KEY_A', keyPreset: 'inference' }), live)).toBe(`# GT_KEY_A holds the secret of key preset inference, as for the run\ncurl -i '${URL_}'`);
    expect(reproduction(check({ keyEnv: 'GT_KEY_A' }), live)!.split('\n')[0]).toBe('# GT_KEY_A holds the secret of key preset ?, as for the run');
    expect(reproduction(check({}), live)!.split('\n')[0]).toBe('# the key of the check');
  });

  it('gives each distinct request once, at its last place, the last three', () => {
    const at = (path: string, body?: string) => ({ ...ex(body === undefined ? 'GET' : 'POST', {}, body), request: { method: body === undefined ? 'GET' : 'POST', url: `https://gt.example${path}`, headers: {}, ...(body !== undefined ? { body } : {}) } });
    const exchanges = [at('/1'), at('/2'), at('/1'), at('/3', 'a'), at('/3', 'b'), at('/3', 'a')];
    expect(reproduction(check({ exchanges }), live)!.split('\n').slice(1)).toEqual(["curl -i 'https://gt.example/1'", `curl -i 'https://gt.example/3'${C}--data-raw 'b'`, `curl -i 'https://gt.example/3'${C}--data-raw 'a'`].join('\n').split('\n'));
  });
});
