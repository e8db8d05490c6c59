// The planner's loop on a runbook written here (not a shipped one), against the embedded tenant's default
// keys: which checks it makes for rows, checklist items, findings and routes, with ids as docs/reports.md
// gives them (<product>/<route>/<kind>, <product>/checklist/<n>[-<check>], <product>/finding/<n>,
// cross-cutting/<route>/<kind>), what the filters keep, and a skip with its reason when no key fits.
import { describe, expect, it } from 'vitest';
import { buildPlan, type PlanFilters } from '../../src/plan/plan.ts';
import { loadContract } from '../../src/contract/load.ts';
import { createTenant } from '../../src/tenant/index.ts';
import type { Finding, Runbook, Target } from '../../src/model.ts';

const contract = loadContract();
const embedded = createTenant({ freshSecrets: true }).target;
const alpha: Runbook = {
  id: 'alpha',
  product: 'Alpha',
  compatibility: 'Native OpenAI-compatible',
  category: 'SDK and HTTP',
  preset: 'openai-chat',
  evidence: '',
  summary: '',
  driver: 'http',
  docs: [],
  configuration: [],
  routes: [
    { route: 'chat', verdict: 'native', integration: 'x' },
    { route: 'embeddings', verdict: 'gt_extension', integration: 'x', requires_scope: 'inference:embed' },
    { route: 'transcriptions', verdict: 'not_supported', integration: 'x' },
  ],
  not_supported: [],
  prerequisites: [],
  setup: [],
  caveats: [],
  checklist: [{ text: 'a person looks' }, { text: 'chat with the alias', check: 'chat-with-alias' }],
};
const findings: Finding[] = [
  { product: 'alpha', file: 'runbooks/alpha.yaml', line: 3, message: 'the base URL lacks /v1' },
  { product: 'beta', file: 'runbooks/beta.yaml', message: 'another product\'s finding' },
];
const plan = (filters: PlanFilters = {}, target: Target = embedded, runbooks = [alpha]) => buildPlan(runbooks, contract, target, filters, findings);
const productChecks = (p: ReturnType<typeof plan>) => p.checks.filter((c) => c.product === 'alpha').map((c) => c.id);

describe('buildPlan', () => {
  it('makes the row, checklist, finding and cross-cutting checks of a product', () => {
    const p = plan();
    expect(productChecks(p)).toEqual([
      'alpha/chat/works',
      'alpha/chat/denied-without-scope',
      'alpha/embeddings/works',
      'alpha/embeddings/denied-without-scope',
      'alpha/transcriptions/preset-denied',
      'alpha/checklist/1',
      'alpha/checklist/2-chat-with-alias',
      'alpha/finding/1',
    ]);
    const check = (id: string) => p.checks.find((c) => c.id === id)!;
    expect(check('alpha/chat/works')).toMatchObject({ kind: 'works', group: 'route', severity: 'critical', route: 'chat', verdict: 'native', probes: ['chat:call:openai-chat'] });
    expect(check('alpha/embeddings/works')).toMatchObject({ severity: 'normal', verdict: 'gt_extension', probes: ['embeddings:call:openai-chat+embed'] });
    expect(check('alpha/chat/denied-without-scope')).toMatchObject({ denial: true, probes: ['chat:denied:image-generation'] });
    expect(check('alpha/chat/works')).not.toHaveProperty('denial');
    expect(check('alpha/transcriptions/preset-denied')).toMatchObject({ denial: true, verdict: 'not_supported', title: 'the openai-chat preset key is denied POST /v1/audio/transcriptions (least privilege)' });
    expect(check('alpha/checklist/1')).toEqual({ id: 'alpha/checklist/1', kind: 'manual', group: 'validation', product: 'alpha', title: 'a person looks', severity: 'normal', probes: [], manual: true });
    expect(check('alpha/checklist/2-chat-with-alias')).toMatchObject({ kind: 'chat-with-alias', title: 'chat with the alias', route: 'chat', probes: ['models:call:openai-chat', 'chat:call:openai-chat'] });
    expect(check('alpha/finding/1')).toMatchObject({ group: 'finding', severity: 'minor', title: 'the base URL lacks /v1', finding: findings[0] });
    expect(p.checks.filter((c) => c.id.startsWith('cross-cutting/')).map((c) => c.id)).toContain('cross-cutting/chat/malformed-json');
    expect(p.checks.filter((c) => c.id.startsWith('cross-cutting/')).every((c) => c.product === undefined)).toBe(true);
    expect(p.findings).toEqual([findings[0]]);
  });

  it('plans each probe once, and only the probes its checks use', () => {
    const p = plan();
    const ids = p.probes.map((probe) => probe.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const probe of p.probes) for (const dep of probe.dependsOn ?? []) expect(ids).toContain(dep);
    expect(p.probes.filter((probe) => !p.checks.some((c) => c.probes.includes(probe.id)) && !p.probes.some((q) => q.dependsOn?.includes(probe.id)))).toEqual([]);
    expect(ids.filter((id) => id === 'chat:call:openai-chat')).toHaveLength(1); // the row and the checklist share it
  });

  it('a route filter keeps the rows and cross-cutting checks of those routes, and the manual items', () => {
    const p = plan({ routes: ['chat'] });
    expect(productChecks(p)).toEqual(['alpha/chat/works', 'alpha/chat/denied-without-scope', 'alpha/checklist/1']);
    expect(new Set(p.checks.filter((c) => !c.product).map((c) => c.route))).toEqual(new Set(['chat']));
  });

  it('a verdict filter keeps the rows of that verdict, and every route\'s cross-cutting checks', () => {
    const p = plan({ verdicts: ['not_supported'] });
    expect(productChecks(p)).toEqual(['alpha/transcriptions/preset-denied', 'alpha/checklist/1']);
    expect(p.checks.filter((c) => !c.product).length).toBe(plan().checks.filter((c) => !c.product).length);
  });

  it('a product filter keeps that product\'s checks and findings only', () => {
    const p = plan({ products: ['beta'] });
    expect(productChecks(p)).toEqual([]);
    expect(p.findings).toEqual([]);
    expect(p.checks.length).toBeGreaterThan(0); // the cross-cutting checks remain
    expect(productChecks(plan({ products: ['alpha'] }))).toEqual(productChecks(plan()));
  });

  it('skips a check the target cannot serve, saying what is missing, and plans none of its probes', () => {
    const imagesOnly: Target = { ...embedded, keys: embedded.keys.filter((k) => k.name === 'image-generation') };
    const p = plan({}, imagesOnly);
    const check = (id: string) => p.checks.find((c) => c.id === id)!;
    expect(check('alpha/chat/works')).toMatchObject({ probes: [], skip: 'the tenant seed has no key that holds inference:chat (add one made with the openai-chat preset or holding inference:chat)' });
    expect(check('alpha/checklist/2-chat-with-alias')).toMatchObject({ probes: [], skip: 'the tenant seed has no key that holds inference:chat (add one made with the openai-chat preset or holding inference:chat)' });
    expect(check('alpha/chat/denied-without-scope')).toMatchObject({ probes: ['chat:denied:image-generation'] });
    expect(check('alpha/chat/denied-without-scope')).not.toHaveProperty('skip');
    expect(p.probes.map((probe) => probe.id)).not.toContain('models:call:image-generation');
  });

  it('stops at a runbook row whose route the contract lacks', () => {
    expect(() => plan({}, embedded, [{ ...alpha, routes: [{ route: 'nope', verdict: 'native', integration: 'x' }] }])).toThrow('route nope is not in the contract');
  });
});
