// The key a probe's message names: the key, and its preset where that is another name. A key whose name begins
// its preset's ("chat" of chat-embeddings) is still named; only a key named as its preset is named once.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.ts';
import { PROBE_KINDS, type ProbeEnvironment } from '../../src/probes/index.ts';
import type { Probe } from '../../src/model.ts';

async function messageFor(key: string, keyPreset: string | undefined): Promise<string> {
  const probe: Probe = { id: 'p', route: 'chat', kind: 'call', key, keyPreset, expect: 'success', driver: 'http' };
  const environment = { counter: { sent: 0, budget: 10 } } as unknown as ProbeEnvironment;
  const engine = createEngine({ probes: [probe] }, environment, { runDeadlineMs: 60_000, strict: false, kinds: { ...PROBE_KINDS, call: { ...PROBE_KINDS.call, run: async () => ({ problems: [] }) } } });
  return (await engine.runAll()).get('p')!.message;
}

describe('the key named in a probe message', () => {
  it('names a key whose name begins its preset\'s, with the preset', async () => {
    expect(await messageFor('chat', 'chat-embeddings')).toBe('chat with key chat (chat-embeddings): as expected');
  });

  it('names a key once where it is named as its preset, revoked or not', async () => {
    expect(await messageFor('openai-chat', 'openai-chat')).toBe('chat with key openai-chat: as expected');
    expect(await messageFor('revoked', 'revoked (revoked)')).toBe('chat with key revoked (revoked): as expected');
    expect(await messageFor('old', 'openai-chat (revoked)')).toBe('chat with key old (openai-chat, revoked): as expected');
  });
});
