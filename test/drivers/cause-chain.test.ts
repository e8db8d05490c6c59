// What an SDK's failure says: undici's fetch throws a bare "terminated" and keeps the reason in its cause.
import { describe, expect, it } from 'vitest';
import { causeChainText, guarded } from '../../src/drivers/driver.ts';

describe('the message of a failed SDK call', () => {
  it('names the causes undici hides behind "terminated", with their codes', () => {
    const bodyTimeout = Object.assign(new Error('Body Timeout Error'), { code: 'UND_ERR_BODY_TIMEOUT' });
    expect(causeChainText(new TypeError('terminated', { cause: bodyTimeout }))).toBe('terminated: Body Timeout Error (UND_ERR_BODY_TIMEOUT)');
  });

  it('says a message once when a wrapper repeats its cause, and stops at a cycle', () => {
    const inner = new Error('connect ECONNREFUSED 127.0.0.1:9');
    expect(causeChainText(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9', { cause: inner }))).toBe('Connection error: connect ECONNREFUSED 127.0.0.1:9');
    const loop = new Error('a');
    (loop as { cause?: unknown }).cause = loop;
    expect(causeChainText(loop)).toBe('a');
    expect(causeChainText('plain text')).toBe('plain text');
  });

  it('puts the chain in the DriverCallError, with the status when there is one', async () => {
    const failing = () => Promise.reject(new TypeError('terminated', { cause: new Error('other side closed') }));
    await expect(guarded('openai', 'chatStream', failing)).rejects.toThrow('openai chatStream failed: terminated: other side closed');
    const http = () => Promise.reject(Object.assign(new Error('401 bad key'), { status: 401 }));
    await expect(guarded('openai', 'chat', http)).rejects.toThrow('openai chat failed with HTTP 401: 401 bad key');
  });
});
