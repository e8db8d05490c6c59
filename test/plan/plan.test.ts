import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { createTenant } from '../../src/tenant/index.ts';
import { loadRunbooks } from '../../src/runbook/load.ts';
import { buildPlan } from '../../src/plan/plan.ts';
import { machineChecksOf, type Runbook, type Target } from '../../src/model.ts';
import { LIBRECHAT_CHECKS, productFiles } from '../fixtures/products.ts';

const contract = loadContract();
const embedded = createTenant({ freshSecrets: true }).target;
// Fixed copies of the shipped runbooks (test/fixtures/runbooks/products): runbooks/ may change freely.
const runbooks = loadRunbooks(productFiles(), contract).runbooks.map((r) => r.runbook);
const byId = (id: string) => runbooks.find((r) => r.id === id)!;

function planOf(rbs: Runbook[], target: Target = embedded, filters = {}) {
  const plan = buildPlan(rbs, contract, target, filters);
  const probe = (id: string) => plan.probes.find((p) => p.id === id)!;
  const check = (id: string) => plan.checks.find((c) => c.id === id)!;
  return { plan, probe, check };
}

describe('planner', () => {
  it('plans exactly the checks one product\'s runbook asks for, each with the key its row needs', () => {
    const { plan, probe } = planOf([byId('librechat')]);
    const planned = plan.checks.filter((c) => c.product === 'librechat').map((c) => [c.id, c.probes.map((p) => probe(p).key)]);
    expect(Object.fromEntries(planned)).toEqual(LIBRECHAT_CHECKS);
  });

  it('gives a native route a positive check with the preset key and a denial with a key lacking the scope', () => {
    const { check, probe } = planOf([byId('open-webui')]);
    const works = probe(check('open-webui/chat/works').probes[0]);
    expect(works).toMatchObject({ route: 'chat', key: 'openai-chat', expect: 'success' });
    const denied = probe(check('open-webui/chat/denied-without-scope').probes[0]);
    expect(denied.expect).toBe('denied');
    expect(embedded.keys.find((k) => k.name === denied.key)!.scopes).not.toContain('inference:chat');
  });

  it('uses the preset plus the named scope for a conditional verdict, and denies the plain preset', () => {
    const { check, probe } = planOf([byId('generic-openai-http')]);
    const works = probe(check('generic-openai-http/embeddings/works').probes[0]);
    const key = embedded.keys.find((k) => k.name === works.key)!;
    expect(key.preset).toBe('openai-chat');
    expect(key.scopes).toEqual(expect.arrayContaining(['inference:chat', 'inference:embed']));
    expect(probe(check('generic-openai-http/embeddings/denied-without-scope').probes[0]).key).toBe('openai-chat');
  });

  it('checks that the preset key is denied a not_supported route', () => {
    const { check, probe } = planOf([byId('open-webui')]);
    const c = check('open-webui/transcriptions/preset-denied');
    expect(c.denial).toBe(true);
    expect(probe(c.probes[0])).toMatchObject({ key: 'openai-chat', expect: 'denied', route: 'transcriptions' });
  });

  it('reports a not_supported route as not exercised when the preset holds the scope anyway', () => {
    const rb: Runbook = { ...byId('dify'), id: 'holder', routes: [{ route: 'embeddings', verdict: 'not_supported', integration: 'x' }] };
    const c = planOf([rb]).check('holder/embeddings/preset-denied');
    expect(c.notExercised).toMatch(/chat-embeddings preset holds inference:embed/);
    expect(c.probes).toEqual([]);
  });

  it('sends a probe two products need once, and both products check it', () => {
    const { plan, check } = planOf([byId('dify'), byId('langchain')]);
    const a = check('dify/models/works').probes[0];
    const b = check('langchain/models/works').probes[0];
    expect(a).toBe(b);
    expect(plan.probes.filter((p) => p.id === a)).toHaveLength(1);
  });

  it('makes dependencies explicit: poll after upload, conversation upload after bootstrap', () => {
    const { check, probe } = planOf([byId('generic-openai-http')]);
    const poll = probe(check('generic-openai-http/file-status/works').probes[0]);
    expect(poll.kind).toBe('poll');
    expect(probe(poll.dependsOn![0]).kind).toBe('upload');
    const upload = probe(check('generic-openai-http/conversation-files/works').probes[0]);
    expect(probe(upload.dependsOn![0])).toMatchObject({ route: 'conversations', kind: 'create' });
  });

  it('has as many checks per product as route rows, denials and checklist checks', () => {
    const { plan } = planOf(runbooks);
    for (const rb of runbooks) {
      // works and denied-without-scope per row; preset-denied per not_supported row, plus works-with-scope where it is conditional
      const rows = rb.routes.reduce((n, r) => n + (r.verdict === 'not_supported' ? (r.requires_scope ? 2 : 1) : 2), 0);
      const checklist = rb.checklist.reduce((n, item) => n + Math.max(1, machineChecksOf(item).length), 0);
      expect(plan.checks.filter((c) => c.product === rb.id && c.group !== 'finding')).toHaveLength(rows + checklist);
    }
  });

  it('has the cross-cutting 401 checks once per route whatever the number of products', () => {
    const one = planOf([byId('dify')]).plan.checks.filter((c) => c.group === 'cross-cutting');
    const all = planOf(runbooks).plan.checks.filter((c) => c.group === 'cross-cutting');
    expect(all.length).toBe(one.length);
    expect(all.filter((c) => c.id.endsWith('/no-key'))).toHaveLength(contract.routes.length);
  });

  it('skips, with the reason, a check whose key the target does not have', () => {
    const live: Target = { ...embedded, kind: 'live', keys: embedded.keys.filter((k) => k.preset === 'openai-chat' && !k.revoked && k.scopes.length === 1) };
    const { check } = planOf([byId('open-webui')], live);
    expect(check('open-webui/embeddings/works').skip).toMatch(/no key that holds inference:embed/);
    expect(check('cross-cutting/models/revoked-key').skip).toMatch(/is revoked/);
  });

  it('skips upload routes with --no-uploads and routes the target does not allow', () => {
    const { check } = planOf([byId('dify')], { ...embedded, allowedRoutes: ['models', 'chat'] }, { uploads: false });
    expect(check('dify/dataset-files/works').skip).toMatch(/not in the target's allowed_routes|uploads disabled/);
    expect(check('dify/embeddings/works').skip).toMatch(/allowed_routes/);
    expect(check('dify/chat/works').skip).toBeUndefined();
  });

  it('routes a product that calls GT through an SDK to that driver', () => {
    const { check, probe } = planOf([byId('openai-sdk')]);
    expect(probe(check('openai-sdk/embeddings/works').probes[0]).driver).toBe('openai');
    expect(probe(check('openai-sdk/dataset-files/works').probes[0]).driver).toBe('http');
  });
});
