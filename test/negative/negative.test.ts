// The negative group against the embedded tenant: clean and tolerant tenants pass every case, each defect
// only this group can catch is found and shrunk to a minimal request, seeds replay, budgets hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { loadContract } from '../../src/contract/load.ts';
import { requestBodyOf } from '../../src/contract/request-schema.ts';
import { caseAt, casesPerRound, curlLine, negativeCases, runNegative, type NegativeRun, type ShrunkFailure } from '../../src/negative/index.ts';
import type { Contract } from '../../src/model.ts';
import { negativeTenant, type NegativeTenant } from './tenant.ts';

const contract = loadContract();
/** Every route with a request body: all of them get cases when writes are allowed. */
const ROUTES = contract.routes.filter((r) => requestBodyOf(contract.openapi, r.operation_id)).map((r) => r.id);
const kindCount = (routeId: string, t: NegativeTenant) => t.optionsFor(routeId, { seed: 1, maxCases: 1000 }).then((o) => new Set(negativeCases(contract, routeId, o).map((c) => c.kind)).size);
/** A budget of one round sends every kind of the route. */
const oneRound = (routeId: string, t: NegativeTenant) => t.optionsFor(routeId, { seed: 1, maxCases: 0 }).then((o) => casesPerRound(contract, routeId, o));

async function runAll(t: NegativeTenant, seed: number): Promise<NegativeRun[]> {
  return Promise.all(ROUTES.map(async (routeId) => runNegative(routeId, t.sendFor(routeId), await t.optionsFor(routeId, { seed, maxCases: await oneRound(routeId, t) }))));
}

const describeFailures = (runs: NegativeRun[]) => runs.flatMap((r) => r.failures.map((f) => `${f.routeId} ${f.kind}: ${f.problems.join('; ')}`));

describe.each(['default', 'tolerant'] as const)('a clean tenant, %s profile', (profile) => {
  let t: NegativeTenant;
  beforeAll(async () => {
    t = await negativeTenant({ profile });
  });
  afterAll(() => t.close());

  it('passes every generated case of every route', async () => {
    const runs = await runAll(t, 20260115);
    expect(describeFailures(runs)).toEqual([]);
    expect(runs.every((r) => r.cases > 0 && r.rateLimited === 0)).toBe(true);
    // no shrinking: one request per case
    expect(runs.reduce((n, r) => n + r.requests, 0)).toBe(runs.reduce((n, r) => n + r.cases, 0));
  });
});

interface Planted {
  defect: string;
  route: string;
  kind: string;
  /** every kind of the route that may fail, as id prefixes (the defect can show through more than one) */
  kinds: string[];
  /** a route the defect does not touch */
  untouched: string;
  /** the shrunk JSON body, or the shrunk multipart form */
  json?: (body: Record<string, unknown>) => void;
  multipart?: { fields: Record<string, string>; files: number };
}

const PLANTED: Planted[] = [
  { defect: 'encoding-format-500', route: 'embeddings', kind: 'unknown-enum:encoding_format', kinds: ['unknown-enum:encoding_format', 'wrong-type:encoding_format='], untouched: 'chat', json: (b) => expect(b).toEqual({ model: 'mission-agent', input: 'alpha', encoding_format: 'gt-unknown-value' }) },
  { defect: 'empty-messages-500', route: 'chat', kind: 'empty-array:messages', kinds: ['empty-array:messages'], untouched: 'embeddings', json: (b) => expect(b).toEqual({ model: 'mission-agent', messages: [] }) },
  { defect: 'long-input-500', route: 'embeddings', kind: 'oversize:input', kinds: ['oversize:input'], untouched: 'speech', json: (b) => expect(b).toEqual({ model: 'mission-agent', input: 'a'.repeat(100_000) }) },
  {
    defect: 'model-number-accepted',
    route: 'chat',
    kind: 'wrong-type:model=integer',
    kinds: ['wrong-type:model=integer'],
    untouched: 'transcriptions',
    json: (b) => {
      expect(b.model).toBe(42);
      expect(Object.keys(b).sort()).toEqual(['messages', 'model']);
      expect(b.messages).toEqual([{ role: 'user', content: expect.stringMatching(/^Reply with one word: /) }]);
    },
  },
  { defect: 'no-file-part-500', route: 'transcriptions', kind: 'missing-file-part:file', kinds: ['missing-file-part:file'], untouched: 'chat', multipart: { fields: { model: 'mission-agent' }, files: 0 } },
];

describe.each(PLANTED)('the planted defect $defect', (planted) => {
  let t: NegativeTenant;
  let run: NegativeRun;
  let failure: ShrunkFailure | undefined;
  const seed = 4242;
  beforeAll(async () => {
    t = await negativeTenant({ defects: [planted.defect] });
    run = await runNegative(planted.route, t.sendFor(planted.route), await t.optionsFor(planted.route, { seed, maxCases: await oneRound(planted.route, t) }));
    failure = run.failures.find((f) => f.kind === planted.kind);
  });
  afterAll(() => t.close());

  it('is found, and the failing request shrinks to its smallest form', () => {
    expect(failure, `failures: ${describeFailures([run]).join(' / ')}`).toBeDefined();
    expect(failure!.problems.join(' ')).toMatch(/answered (500, a server error|200: the request was served)/);
    if (planted.json) planted.json(failure!.request.json as Record<string, unknown>);
    if (planted.multipart) {
      expect(failure!.request.multipart!.fields).toEqual(planted.multipart.fields);
      expect(failure!.request.multipart!.files).toHaveLength(planted.multipart.files);
    }
  });

  it('reports a curl line with the key as $GT_KEY, never the secret, and the seeds to replay it', () => {
    expect(failure!.curl).toContain('"Authorization: Bearer $GT_KEY"');
    for (const secret of Object.values(t.tenant.secrets)) expect(failure!.curl).not.toContain(secret);
    expect(failure!.seed).toBe(seed);
    expect(failure!.replay.path).toMatch(/^\d+(:\d+)*$/);
  });

  it('replays: the failure\'s seed and path rebuild the shrunk request without sending anything', async () => {
    const before = t.sent.count;
    const rebuilt = caseAt(contract, planted.route, planted.kind, failure!.replay, await t.optionsFor(planted.route, { seed, maxCases: 0 }));
    expect(rebuilt).toEqual(failure!.request);
    expect(t.sent.count).toBe(before);
  });

  it('fails only the kinds that meet the defect, and no case of a route it does not touch', async () => {
    expect(run.failures.map((f) => f.kind).filter((k) => !planted.kinds.some((p) => k.startsWith(p)))).toEqual([]);
    const other = await runNegative(planted.untouched, t.sendFor(planted.untouched), await t.optionsFor(planted.untouched, { seed, maxCases: await oneRound(planted.untouched, t) }));
    expect(describeFailures([other])).toEqual([]);
    expect(other.cases).toBeGreaterThan(0);
  });
});

describe('the same seed, the same cases', () => {
  let t: NegativeTenant;
  beforeAll(async () => {
    t = await negativeTenant();
  });
  afterAll(() => t.close());

  it('gives the same cases for the same seed and other cases for another seed', async () => {
    const cases = async (seed: number) => negativeCases(contract, 'chat', await t.optionsFor('chat', { seed, maxCases: 80 }));
    const [a, b, c] = [await cases(7), await cases(7), await cases(8)];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    expect(a.map((x) => x.kind)).not.toEqual(c.map((x) => x.kind));
  });

  it('replays a failure exactly: the same seed finds the same shrunk request twice', async () => {
    const d = await negativeTenant({ defects: ['encoding-format-500'] });
    try {
      const once = async () => runNegative('embeddings', d.sendFor('embeddings'), await d.optionsFor('embeddings', { seed: 99, maxCases: 30 }));
      const [first, second] = [await once(), await once()];
      expect(first.failures.length).toBeGreaterThan(0);
      expect(second.failures.map((f) => [f.kind, f.replay, f.request])).toEqual(first.failures.map((f) => [f.kind, f.replay, f.request]));
    } finally {
      await d.close();
    }
  });
});

describe('budget and write policy', () => {
  let t: NegativeTenant;
  beforeAll(async () => {
    t = await negativeTenant({ defects: ['empty-messages-500'] });
  });
  afterAll(() => t.close());

  it('sends exactly maxCases generated cases, every kind once the budget reaches the number of kinds', async () => {
    for (const maxCases of [0, 1, 7, 50]) {
      const cases = negativeCases(contract, 'embeddings', await t.optionsFor('embeddings', { seed: 3, maxCases }));
      expect(cases).toHaveLength(maxCases);
    }
    const kinds = await kindCount('chat', t);
    const cases = negativeCases(contract, 'chat', await t.optionsFor('chat', { seed: 3, maxCases: kinds }));
    expect(new Set(cases.map((c) => c.kind)).size).toBe(kinds);
  });

  it('counts every request: the cases on a clean route, the cases plus at most maxShrinkRequests on a failing one', async () => {
    const count = async (routeId: string, maxCases: number, maxShrinkRequests: number) => {
      const before = t.sent.count;
      const run = await runNegative(routeId, t.sendFor(routeId), await t.optionsFor(routeId, { seed: 5, maxCases, maxShrinkRequests }));
      return { run, sent: t.sent.count - before };
    };
    const clean = await count('embeddings', 25, 40);
    expect(clean.run.failures).toEqual([]);
    expect([clean.sent, clean.run.requests, clean.run.cases]).toEqual([25, 25, 25]);

    const kinds = await kindCount('chat', t);
    const failing = await count('chat', kinds, 3);
    expect(failing.run.cases).toBe(kinds);
    expect(failing.run.failures.map((f) => f.kind)).toEqual(['empty-array:messages']);
    expect(failing.sent).toBe(failing.run.requests);
    expect(failing.sent).toBeGreaterThan(kinds);
    expect(failing.sent).toBeLessThanOrEqual(kinds + 3);

    const unshrunk = await count('chat', kinds, 0);
    expect(unshrunk.sent).toBe(kinds);
    expect(unshrunk.run.failures[0].shrinkSteps).toBe(0);
  });

  it('gives routes that store something no case unless writes are allowed', async () => {
    const cases = async (routeId: string, writesAllowed: boolean) => negativeCases(contract, routeId, await t.optionsFor(routeId, { seed: 1, maxCases: 20, writesAllowed }));
    for (const routeId of ['conversations', 'dataset-files', 'conversation-files']) {
      expect(await cases(routeId, false)).toEqual([]);
      expect((await cases(routeId, true)).length).toBe(20);
    }
    expect((await cases('transcriptions', false)).length).toBe(20);
    expect(await cases('models', true)).toEqual([]);
  });

  it('stops, without counting a failure, when the caller refuses to send', async () => {
    let left = 4;
    const send = t.sendFor('embeddings');
    const run = await runNegative('embeddings', (request) => {
      if (left-- <= 0) throw new Error('not sent: the request budget of 4 is spent');
      return send(request);
    }, await t.optionsFor('embeddings', { seed: 1, maxCases: 20 }));
    expect(run.stopped).toBe('not sent: the request budget of 4 is spent');
    expect(run.cases).toBe(4);
    expect(run.failures).toEqual([]);
  });

  it('reports a failure found before the caller stopped, unshrunk', async () => {
    const kinds = await kindCount('chat', t);
    let left = kinds;
    const send = t.sendFor('chat');
    const run = await runNegative('chat', (request) => {
      if (left-- <= 0) throw new Error('not sent: the request budget is spent');
      return send(request);
    }, await t.optionsFor('chat', { seed: 5, maxCases: kinds }));
    expect(run.stopped).toBe('not sent: the request budget is spent');
    expect(run.requests).toBe(kinds);
    expect(run.failures.map((f) => [f.kind, f.shrinkSteps])).toEqual([['empty-array:messages', 0]]);
  });
});

describe('cases come from the schema, not from a list per route', () => {
  it('gives a route added to the contract its cases without an edit to the generator', () => {
    const widened: Contract = structuredClone(contract);
    widened.routes.push({ id: 'widgets', number: 'R99', title: 'Widgets', method: 'POST', path: '/v1/widgets', content_type: 'json', kind: 'gt_extension', operation_id: 'createWidget', needs: { purposes: ['inference'] } });
    const schemas = (widened.openapi.components as { schemas: Record<string, unknown> }).schemas;
    schemas.WidgetRequest = { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 }, shape: { type: 'string', enum: ['round', 'square'] }, tags: { type: 'array', minItems: 1, items: { type: 'string' } } } };
    (widened.openapi.paths as Record<string, unknown>)['/v1/widgets'] = {
      post: { operationId: 'createWidget', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/WidgetRequest' } } } }, responses: { '200': { description: 'ok' } } },
    };
    const kinds = new Set(negativeCases(widened, 'widgets', { seed: 1, maxCases: 200, writesAllowed: false }).map((c) => c.kind));
    expect([...kinds].sort()).toEqual([
      'below-minimum:size', 'empty-array:tags', 'missing:size', 'unknown-enum:shape', 'valid', 'wrong-content-type',
      'wrong-type:shape=array', 'wrong-type:shape=boolean', 'wrong-type:shape=integer', 'wrong-type:shape=object',
      'wrong-type:size=array', 'wrong-type:size=boolean', 'wrong-type:size=null', 'wrong-type:size=number', 'wrong-type:size=object', 'wrong-type:size=string',
      'wrong-type:tags=boolean', 'wrong-type:tags=integer', 'wrong-type:tags=object', 'wrong-type:tags=string',
    ].sort());
  });
});

describe('curl lines', () => {
  const caseOf = (routeId: string, kind: string) =>
    negativeCases(contract, routeId, { seed: 1, maxCases: 200, writesAllowed: true, inputs: { model: 'mission-agent', datasetId: 'reference-briefs' } }).find((c) => c.kind === kind)!;

  it('inline a short JSON body, with the key as $GT_KEY', () => {
    const c = caseOf('embeddings', 'unknown-enum:encoding_format');
    const line = curlLine(c.request, 'https://tenant.example/api/tenant');
    expect(line).toMatch(/^curl -sS -X POST "https:\/\/tenant\.example\/api\/tenant\/v1\/embeddings" -H "Authorization: Bearer \$GT_KEY" -H 'Content-Type: application\/json' --data-raw '\{.*\}'$/);
    expect(JSON.parse(/--data-raw '(.*)'$/.exec(line)![1])).toEqual(c.request.json);
  });

  it('write a long run of one character with node -e, so the line is short and sends the same bytes', () => {
    const c = caseOf('embeddings', 'oversize:input');
    const line = curlLine(c.request);
    expect(line.length).toBeLessThan(400);
    const script = /^node -e '(.*)' \| curl /.exec(line)?.[1];
    expect(script).toBeDefined();
    expect(execFileSync(process.execPath, ['-e', script!.replace(/'\\''/g, "'")], { encoding: 'utf8' })).toBe(JSON.stringify(c.request.json));
    expect(line).toMatch(/--data-binary @-$/);
  });

  it('send a multipart form with -F, and an empty one as its closing boundary', () => {
    expect(curlLine(caseOf('dataset-files', 'valid').request)).toMatch(/ -F 'file=@[^']+\.txt;type=text\/plain'$/);
    expect(curlLine(caseOf('dataset-files', 'missing-file-part:file').request)).toMatch(/ -H 'Content-Type: multipart\/form-data; boundary=gt' --data-binary \$'--gt--\\r\\n'$/);
  });
});
