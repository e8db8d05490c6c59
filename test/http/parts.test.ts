// The HTTP client's small parts on their own (docs/testing.md, "Mutation scores"): how a body is recorded,
// the multipart encoding, Retry-After, the slots' order, header lookups and the deadline arithmetic.
// Every expected value is written out by hand from the rule in the module's header comment.
import { describe, expect, it } from 'vitest';
import { headerValue } from '../../src/http/headers.ts';
import { MAX_TIMER_MS, msUntil } from '../../src/http/limits.ts';
import { describeMultipart, encodeMultipart } from '../../src/http/multipart.ts';
import { RECORD_LIMIT, recordBody, recordText } from '../../src/http/record.ts';
import { retryAfterMs } from '../../src/http/retry-after.ts';
import { Semaphore } from '../../src/http/semaphore.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Array<Uint8Array | number[]>) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('recordBody', () => {
  it('records text as it is, whatever the case and parameters of its type', () => {
    expect(RECORD_LIMIT).toBe(4096);
    expect(recordBody(utf8('{"a":"é"}'), 'Application/JSON; charset=utf-8', [])).toBe('{"a":"é"}');
    expect(recordBody(utf8('hello'), 'text/plain', [])).toBe('hello');
  });

  it('summarises every binary type, named in lower case without its parameters', () => {
    const five = utf8('abcde'); // valid text: only the type makes it binary
    const binary: Array<[string, string]> = [
      ['audio/wav', 'audio/wav'],
      ['Image/PNG', 'image/png'],
      ['video/mp4; codecs=avc1', 'video/mp4'],
      ['application/octet-stream', 'application/octet-stream'],
      ['application/pdf', 'application/pdf'],
      ['application/zip', 'application/zip'],
      ['application/gzip', 'application/gzip'],
      ['application/x-tar', 'application/x-tar'],
      [' multipart/form-data; boundary=x ', 'multipart/form-data'],
    ];
    for (const [type, shown] of binary) expect(recordBody(five, type, []), type).toBe(`<5 bytes ${shown}>`);
  });

  it('records as text the types that only contain a binary type name', () => {
    for (const type of ['x-audio/wav', 'text/x-image/png', 'x-application/pdf', 'x-multipart/mixed', 'application/json']) {
      expect(recordBody(utf8('abcde'), type, []), type).toBe('abcde');
    }
  });

  it('summarises bytes that are not UTF-8, with or without a type', () => {
    expect(recordBody(Uint8Array.of(0x41, 0xff, 0x42), 'text/plain', [])).toBe('<3 bytes text/plain>');
    expect(recordBody(Uint8Array.of(0x41, 0xff, 0x42), '', [])).toBe('<3 bytes of unknown type>');
    // 0xF8 to 0xFF never begin a UTF-8 character, so one at the end is not a cut character but binary
    expect(recordBody(Uint8Array.of(0x41, 0xff), 'text/plain', [])).toBe('<2 bytes text/plain>');
    expect(recordBody(Uint8Array.of(0x41, 0xf8), 'text/plain', [])).toBe('<2 bytes text/plain>');
    expect(recordBody(Uint8Array.of(0x41, 0xf0), 'text/plain', [])).toBe('A\uFFFD'); // a 4-byte lead, cut
    expect(recordBody(Uint8Array.of(0xa9), 'text/plain', [])).toBe('<1 bytes text/plain>'); // a lone continuation byte
  });

  it('names the total size and the cut in a summary', () => {
    expect(recordBody(utf8('abcde'), 'image/png', [], 70_000)).toBe('<70000 bytes image/png>');
    expect(recordBody(utf8('abcde'), 'image/png', [], 70_000, true)).toBe('<70000 bytes image/png, cut at the size limit>');
    expect(recordBody(Uint8Array.of(0xff, 0x41), '', [], 9, true)).toBe('<9 bytes of unknown type, cut at the size limit>');
  });

  it('still records as text a body whose last character was cut, whatever its length in bytes', () => {
    // é is c3 a9, € is e2 82 ac, U+0800 is e0 a0 80, 😀 is f0 9f 98 80: each cut before its last byte
    const cutAt = (char: string, keep: number) => utf8(char).subarray(0, keep);
    expect(recordBody(concat(utf8('ab'), cutAt('é', 1)), 'text/plain', [])).toBe('ab\uFFFD');
    expect(recordBody(concat(utf8('ab'), cutAt('€', 2)), 'text/plain', [])).toBe('ab\uFFFD');
    expect(recordBody(concat(utf8('ab'), cutAt('\u0800', 2)), 'text/plain', [])).toBe('ab\uFFFD');
    expect(recordBody(concat(utf8('ab'), cutAt('😀', 3)), 'text/plain', [])).toBe('ab\uFFFD');
    expect(recordBody(cutAt('€', 2), 'text/plain', [])).toBe('\uFFFD'); // the cut character is the whole body
    expect(recordBody(cutAt('é', 1), 'text/plain', [])).toBe('\uFFFD');
    expect(recordBody(concat(utf8('ab'), utf8('😀')), 'text/plain', [])).toBe('ab😀'); // complete: nothing to trim
  });

  it('judges UTF-8 on the first 16 KiB only, and records the first 4 KiB of it', () => {
    const body = concat(utf8('a'.repeat(16 * 1024)), [0xff], utf8('b')); // bad byte just past the sample
    expect(recordBody(body, 'text/plain', [])).toBe(`${'a'.repeat(4096)} … (16386 bytes in all)`);
    const cutInSample = concat(utf8('a'.repeat(16 * 1024 - 1)), utf8('é'), utf8('z')); // é split at byte 16384
    expect(recordBody(cutInSample, 'text/plain', [])).toBe(`${'a'.repeat(4096)} … (16386 bytes in all)`);
  });

  it('redacts the text it records', () => {
    expect(recordBody(utf8('key gtak_abcdefgh12345678'), 'text/plain', [])).toBe('key gtak_****5678');
    expect(recordBody(utf8('pw=hunter2-secret'), 'text/plain', ['hunter2-secret'])).toBe('pw=****ret'); // 14 characters: 3 shown
  });
});

describe('recordText', () => {
  it('keeps 4096 characters, cuts the rest and says how much there was', () => {
    expect(recordText('a'.repeat(4096), [])).toBe('a'.repeat(4096));
    expect(recordText('a'.repeat(4097), [])).toBe(`${'a'.repeat(4096)} … (4097 bytes in all)`);
    // bytes, not characters: é is two bytes in UTF-8
    expect(recordText('é'.repeat(4097), [])).toBe(`${'é'.repeat(4096)} … (8194 bytes in all)`);
    expect(recordText('é'.repeat(9000), [])).toBe(`${'é'.repeat(4096)} … (18000 bytes in all)`);
    expect(recordText('a'.repeat(5000), [], 9000)).toBe(`${'a'.repeat(4096)} … (9000 bytes in all)`);
    expect(recordText('a'.repeat(5000), [], 9000, true)).toBe(`${'a'.repeat(4096)} … (9000 bytes in all, cut at the size limit)`);
  });

  it('redacts a long text only as far as it keeps, and still masks a secret that the cut runs through, in any form', () => {
    const secret = 'gtak_sEcReT0123456789abcdefXYZ';
    const escaped = [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const lengths: number[] = [];
    // the secret without its prefix, in upper case: 7 characters of it before the cut are too few to be found
    // in what is kept alone
    for (const form of [secret, secret.toUpperCase(), secret.slice(5).toUpperCase(), escaped, Buffer.from(`Bearer ${secret}`).toString('base64')]) {
      for (const before of [4096 - 10, 4096 - 7, 4096 - 3, 4090 - form.length]) {
        const text = `${'a'.repeat(before - 1)} ${form} ${'b'.repeat(100_000)}`;
        const kept = recordText(text, [secret]);
        expect(kept.endsWith(` … (${text.length} bytes in all)`), form).toBe(true);
        const body = kept.slice(0, kept.indexOf(' … ('));
        // not even a piece of the secret is left at the cut: what is kept holds no 4 characters of it between
        // gtak_ and the last 4 (which its mask shows)
        for (let at = 5; at + 4 <= secret.length - 4; at++) expect(body.toLowerCase().slice(before), `${form} at ${before}`).not.toContain(secret.slice(at, at + 4).toLowerCase());
        lengths.push(body.length);
      }
    }
    // what is kept is 4096 characters of the redacted text
    expect(new Set(lengths)).toEqual(new Set([4096]));
  });

  it('flags a short text that was cut', () => {
    expect(recordText('abc', [], 3, true)).toBe('abc … (cut at the size limit)');
    expect(recordText('abc', [], 3, false)).toBe('abc');
  });
});

describe('encodeMultipart', () => {
  it('writes the fields, then the files, each part opened by the boundary, and closes the body', () => {
    const { contentType, body } = encodeMultipart({
      fields: { model: 'voice', language: 'en' },
      files: [{ field: 'file', filename: 'call.wav', contentType: 'audio/wav', bytes: Uint8Array.of(1, 2, 0xfa) }],
    });
    const boundary = /^multipart\/form-data; boundary=(----gt-conformance-[0-9a-f]{24})$/.exec(contentType)?.[1];
    expect(boundary, contentType).toBeDefined();
    expect(body.toString('latin1')).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nvoice\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="language"\r\n\r\nen\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="call.wav"\r\nContent-Type: audio/wav\r\n\r\n\x01\x02\xfa\r\n` +
        `--${boundary}--\r\n`,
    );
  });

  it('keeps quotes and line ends out of a quoted name', () => {
    const { contentType, body } = encodeMultipart({ fields: { 'a"b\r\nc': 'v' }, files: [{ field: 'f"', filename: 'x\ny".txt', contentType: 'text/plain', bytes: utf8('t') }] });
    const boundary = contentType.split('boundary=')[1];
    expect(body.toString('latin1')).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="a%22b  c"\r\n\r\nv\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="f%22"; filename="x y%22.txt"\r\nContent-Type: text/plain\r\n\r\nt\r\n` +
        `--${boundary}--\r\n`,
    );
  });

  it('draws a new boundary for every body', () => {
    const form = { fields: { a: '1' }, files: [] };
    expect(encodeMultipart(form).contentType).not.toBe(encodeMultipart(form).contentType);
  });
});

describe('describeMultipart', () => {
  it('shows fields as JSON strings and files as a summary, separated by "; "', () => {
    const form = {
      fields: { model: 'whisper-alias', note: 'say "hi"' },
      files: [
        { field: 'file', filename: 'call.wav', contentType: 'audio/wav', bytes: new Uint8Array(1234) },
        { field: 'extra', filename: 'b.bin', contentType: 'application/octet-stream', bytes: new Uint8Array(0) },
      ],
    };
    expect(describeMultipart(form)).toBe('model="whisper-alias"; note="say \\"hi\\""; file=call.wav <1234 bytes audio/wav>; extra=b.bin <0 bytes application/octet-stream>');
    expect(describeMultipart({ fields: {}, files: [] })).toBe('');
  });
});

describe('retryAfterMs, the edges', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  it('takes retry-after-ms first, with a fraction, trimmed, whatever the case of its name', () => {
    expect(retryAfterMs({ 'Retry-After-Ms': ' 1.5 ', 'retry-after': '9' }, now)).toBe(1.5);
    // Retry-After is delay-seconds (digits) or an HTTP-date: "1.5" is neither, and is not read as a date in 2001
    expect(retryAfterMs({ 'retry-after': '1.5' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': '-3' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'RETRY-AFTER-MS': '0' }, now)).toBe(0);
  });

  it('falls back to Retry-After when retry-after-ms is not a plain number', () => {
    for (const bad of ['250ms', 'a250', '1e3', '-5', '.5', '']) expect(retryAfterMs({ 'retry-after-ms': bad, 'retry-after': '2' }, now), bad).toBe(2000);
  });

  it('reads Retry-After seconds only as whole digits, trimmed; other text only as an HTTP date', () => {
    expect(retryAfterMs({ 'retry-after': ' 7 ' }, now)).toBe(7000);
    expect(retryAfterMs({ 'retry-after': '0' }, now)).toBe(0);
    for (const bad of ['7s', 'x7', 'soon', '', '   ']) expect(retryAfterMs({ 'retry-after': bad }, now), bad).toBeUndefined();
  });

  it('waits nothing for a date already past, and reads the first of repeated headers', () => {
    expect(retryAfterMs({ 'retry-after': 'Mon, 01 Jun 2026 11:59:00 GMT' }, now)).toBe(0);
    expect(retryAfterMs({ 'retry-after': ['3', '9'] }, now)).toBe(3000);
    expect(retryAfterMs({ 'retry-after-ms': ['40', '90'] }, now)).toBe(40);
    expect(retryAfterMs({ 'retry-after': undefined }, now)).toBeUndefined();
  });

  it('takes the current time by default', () => {
    const inOneHour = new Date(Date.now() + 3_600_000).toUTCString();
    const wait = retryAfterMs({ 'retry-after': inOneHour })!;
    expect(wait).toBeGreaterThan(3_500_000); // the date has whole seconds: within a second of an hour
    expect(wait).toBeLessThanOrEqual(3_600_000);
  });
});

describe('Semaphore, the order of waiters', () => {
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('serves the highest priority first, and equal priorities in the order they came', async () => {
    const s = new Semaphore(1);
    const hold = await s.acquire();
    const order: string[] = [];
    const releases = new Map<string, () => void>();
    for (const [name, priority] of [['low', 1], ['high-1', 5], ['high-2', 5], ['mid', 3], ['none', undefined]] as const) {
      void s.acquire(priority).then((release) => (order.push(name), releases.set(name, release)));
    }
    await settle();
    expect(order).toEqual([]);
    hold();
    for (const next of ['high-1', 'high-2', 'mid', 'low', 'none']) {
      await settle();
      expect(order.at(-1)).toBe(next);
      expect(s.inFlight).toBe(1); // the slot was handed over, not freed and taken again
      releases.get(next)!();
    }
    expect(order).toEqual(['high-1', 'high-2', 'mid', 'low', 'none']);
    expect(s.inFlight).toBe(0);
  });

  it('frees a slot once per releaser, and counts slots in use', async () => {
    const s = new Semaphore(3);
    const a = await s.acquire();
    const b = await s.acquire();
    expect(s.inFlight).toBe(2);
    a();
    a();
    expect(s.inFlight).toBe(1);
    b();
    expect(s.inFlight).toBe(0);
  });

  it('takes only a positive whole number of slots', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new Semaphore(bad), String(bad)).toThrow(`concurrency must be a positive integer, got ${bad}`);
    expect(new Semaphore(1).limit).toBe(1);
  });
});

describe('headerValue', () => {
  it('finds a header whatever the case of its name on either side', () => {
    expect(headerValue({ 'Content-Type': 'text/plain', 'x-a': '1' }, 'content-type')).toBe('text/plain');
    expect(headerValue({ 'x-gt-conversation-id': 'c1' }, 'X-GT-Conversation-Id')).toBe('c1');
    expect(headerValue({ 'x-a': '1' }, 'x-b')).toBeUndefined();
  });
});

describe('msUntil', () => {
  it('counts down to the deadline, and never ends without one', () => {
    expect(msUntil(1_500, 1_000)).toBe(500);
    expect(msUntil(1_000, 1_500)).toBe(-500);
    expect(msUntil(undefined, 1_000)).toBe(Infinity);
    expect(msUntil(Date.now() + 60_000)).toBeGreaterThan(50_000);
    expect(MAX_TIMER_MS).toBe(2_147_483_647);
  });
});
