// describeFailure, the words of a failed request, called directly with errors shaped as Node and undici throw
// them: most of their codes (a DNS server that answers "try again", a reset by the peer, a broken pipe, a body
// shorter than its Content-Length, undici's own timeouts, an expired certificate) need a network no loopback
// test has (docs/testing.md, "Mutation scores", the client's survivors). The words are those docs/checks.md
// quotes (`no answer within 10000 ms`, `connection refused`, `connection reset after 1234 bytes`) and the
// client's comments: a TLS failure names OpenSSL's reason, or the message, and the code.
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/http/client.ts';

const coded = (code: string, message = `failed: ${code}`) => Object.assign(new Error(message), { code });

describe('describeFailure', () => {
  it('names a refused connection and a host not found, a temporary DNS failure included', () => {
    expect(describeFailure(coded('ECONNREFUSED'), 'answer', 0, 1500)).toEqual({ kind: 'refused', what: 'connection refused' });
    expect(describeFailure(coded('ENOTFOUND'), 'answer', 0, 1500)).toEqual({ kind: 'dns', what: 'host not found (ENOTFOUND)' });
    expect(describeFailure(coded('EAI_AGAIN'), 'answer', 0, 1500)).toEqual({ kind: 'dns', what: 'host not found (EAI_AGAIN)' });
  });

  it("names undici's own timeouts with the request's timeout", () => {
    expect(describeFailure(coded('UND_ERR_HEADERS_TIMEOUT'), 'answer', 0, 1500)).toEqual({ kind: 'timeout', what: 'no answer within 1500 ms' });
    expect(describeFailure(coded('UND_ERR_CONNECT_TIMEOUT'), 'answer', 0, 10000)).toEqual({ kind: 'timeout', what: 'no answer within 10000 ms' });
    expect(describeFailure(coded('UND_ERR_BODY_TIMEOUT'), 'body', 1234, 1500)).toEqual({ kind: 'timeout', what: 'the body stalled for 1500 ms after 1234 bytes' });
  });

  it('names every kind of reset, before an answer and after some bytes of the body', () => {
    for (const code of ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH']) {
      expect(describeFailure(coded(code), 'answer', 0, 1500)).toEqual({ kind: 'reset', what: 'connection reset before an answer' });
      expect(describeFailure(coded(code), 'body', 1234, 1500)).toEqual({ kind: 'reset', what: 'connection reset after 1234 bytes' });
    }
  });

  it('finds the code on the error, on its cause, or on the first of several errors that has one', () => {
    expect(describeFailure(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'answer', 0, 1500).kind).toBe('refused');
    expect(describeFailure(new AggregateError([new Error('no code'), coded('ECONNREFUSED')], 'connect failed'), 'answer', 0, 1500).kind).toBe('refused');
    expect(describeFailure(Object.assign(new AggregateError([null, coded('ENOTFOUND')], 'x')), 'answer', 0, 1500).kind).toBe('dns');
    expect(describeFailure(new AggregateError([], 'all attempts failed'), 'answer', 0, 1500)).toEqual({ kind: 'other', what: 'all attempts failed' });
  });

  it('names a TLS failure by the reason in an OpenSSL message, or by the message, and the code', () => {
    const openSsl = '803C0B1F7F000000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:354:\n';
    expect(describeFailure(coded('ERR_SSL_WRONG_VERSION_NUMBER', openSsl), 'answer', 0, 1500)).toEqual({ kind: 'tls', what: 'TLS failed: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)' });
    expect(describeFailure(coded('CERT_HAS_EXPIRED', 'certificate has expired'), 'answer', 0, 1500)).toEqual({ kind: 'tls', what: 'TLS failed: certificate has expired (CERT_HAS_EXPIRED)' });
    expect(describeFailure(coded('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), 'answer', 0, 1500).kind).toBe('tls');
  });

  it('gives any other failure its message on one line, with its code when it has one', () => {
    expect(describeFailure(coded('E_STRANGE', '  something\n\n  strange  happened '), 'answer', 0, 1500)).toEqual({ kind: 'other', what: 'something strange happened (E_STRANGE)' });
    expect(describeFailure(new Error('no\tcode  at all'), 'body', 5, 1500)).toEqual({ kind: 'other', what: 'no code at all' });
    expect(describeFailure('a thrown string', 'answer', 0, 1500)).toEqual({ kind: 'other', what: 'a thrown string' });
    expect(describeFailure(undefined, 'answer', 0, 1500)).toEqual({ kind: 'other', what: 'undefined' });
  });
});
