import { describe, expect, it } from 'vitest';
import { checkBadRequest, checkDenial, checkHiddenNames, checkUploadKeyOnModels, denialClassOf, DENIAL_STATUSES } from '../../src/checks/errors.ts';
import { loadContract, routeById } from '../../src/contract/load.ts';
import type { TargetKey } from '../../src/model.ts';

const SECRET = 'gtak_live_4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c';
const errorBody = (message = 'key lacks scope inference:embed') =>
  JSON.stringify({ error: { message, type: 'permission_error', code: 'insufficient_scope' } });
const json = 'application/json; charset=utf-8';

describe('DENIAL_STATUSES', () => {
  it('puts the documented default first and never allows 2xx or 5xx', () => {
    expect(DENIAL_STATUSES.scope[0]).toBe(403);
    expect(DENIAL_STATUSES.foreignObject[0]).toBe(404);
    expect(DENIAL_STATUSES.badRequest).toEqual([400, 422]);
    for (const statuses of Object.values(DENIAL_STATUSES)) {
      expect(statuses.every((s) => s >= 400 && s < 500)).toBe(true);
    }
  });
});

describe('checkDenial', () => {
  it('passes the default status with a valid error body', () => {
    expect(checkDenial(403, DENIAL_STATUSES.scope, json, errorBody(), SECRET)).toEqual({ problems: [], strictNotes: [] });
  });

  it('passes another allowed status with a strict note', () => {
    expect(checkDenial(404, DENIAL_STATUSES.model, json, errorBody(), SECRET)).toEqual({
      problems: [],
      strictNotes: ['answered 404 where 403 is the default (403 or 404 allowed)'],
    });
  });

  it('fails a served request, a server error and a status outside the set', () => {
    expect(checkDenial(200, DENIAL_STATUSES.scope, json, '{"object":"list"}').problems).toEqual([
      'answered 200: the request was served, expected 403',
    ]);
    expect(checkDenial(500, DENIAL_STATUSES.model, json, errorBody()).problems).toEqual(['answered 500, a server error, expected 403 or 404']);
    expect(checkDenial(404, DENIAL_STATUSES.scope, json, errorBody()).problems).toEqual(['answered 404, expected 403']);
  });

  it('fails an error body that is not JSON or not OpenAI-shaped', () => {
    expect(checkDenial(403, [403], 'text/html', '<h1>Forbidden</h1>').problems).toEqual(['the error body is not JSON: <h1>Forbidden</h1>']);
    expect(checkDenial(403, [403], json, '').problems).toEqual(['the error body is empty']);
    expect(checkDenial(403, [403], json, JSON.stringify({ detail: 'Forbidden' })).problems).toEqual([
      "error body: (body): must have required property 'error'",
    ]);
    expect(checkDenial(403, [403], json, JSON.stringify({ error: { message: 'no', type: 'x' } })).problems).toEqual([
      "error body: error: must have required property 'code'",
    ]);
  });

  it('notes a JSON error body under another content type', () => {
    expect(checkDenial(403, [403], 'text/plain', errorBody()).strictNotes).toEqual([
      'the error body is JSON but its content type is "text/plain", not application/json',
    ]);
  });

  it('fails a body that echoes the secret, or any gtak_ token, without printing it', () => {
    const echoed = checkDenial(401, DENIAL_STATUSES.unauthorized, json, errorBody(`invalid key ${SECRET}`), SECRET);
    expect(echoed.problems).toEqual(['the error body echoes the bearer secret (gtak_****6b5c)']);
    const other = checkDenial(403, [403], json, errorBody('key gtak_other_family_secret_0001 has no access'), SECRET);
    expect(other.problems).toEqual(['the error body contains a gtak_ token (gtak_****0001)']);
    expect(JSON.stringify([echoed, other])).not.toMatch(/gtak_[a-z]/);
  });

  it('does not take a documentation hint for a leaked key', () => {
    expect(checkDenial(401, [401], json, errorBody('send Authorization: Bearer gtak_...'), SECRET).problems).toEqual([]);
  });

  it('accepts bytes and parsed bodies', () => {
    expect(checkDenial(403, [403], json, new TextEncoder().encode(errorBody())).problems).toEqual([]);
    expect(checkDenial(403, [403], json, JSON.parse(errorBody())).problems).toEqual([]);
  });
});

describe('checkBadRequest', () => {
  it('accepts 400, notes 422, fails 5xx and 2xx', () => {
    expect(checkBadRequest(400, json, errorBody()).problems).toEqual([]);
    expect(checkBadRequest(422, json, errorBody()).strictNotes).toEqual(['answered 422 where 400 is the default (400 or 422 allowed)']);
    expect(checkBadRequest(502, json, errorBody()).problems).toEqual(['answered 502, a server error, expected 400 or 422']);
    expect(checkBadRequest(201, json, '{}').problems).toEqual(['answered 201: the request was served, expected 400 or 422']);
  });
});

describe('checkUploadKeyOnModels', () => {
  const list = (ids: string[]) =>
    JSON.stringify({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1, owned_by: 'gt' })) });

  it('accepts 403, and an empty list with a strict note', () => {
    expect(checkUploadKeyOnModels(403, json, errorBody())).toEqual({ problems: [], strictNotes: [] });
    expect(checkUploadKeyOnModels(200, json, list([]))).toEqual({
      problems: [],
      strictNotes: ['answered 200 with an empty list where 403 is the default'],
    });
  });

  it('fails a list that shows models to an upload key', () => {
    expect(checkUploadKeyOnModels(200, json, list(['agent-alias', 'gpt-raw'])).problems).toEqual([
      'an upload key sees 2 model(s) (agent-alias, gpt-raw), expected 403 or an empty list',
    ]);
    expect(checkUploadKeyOnModels(404, json, errorBody()).problems).toEqual(['answered 404, expected 403']);
  });
});

describe('checkHiddenNames', () => {
  const hidden = ['internal-ops-agent', 'gpt-4o', 'llama-3.1-70b'];

  it('flags one hidden name in an error that otherwise lists the key\'s own models', () => {
    expect(checkHiddenNames(errorBody('model "x" is not available; available models: mission-agent, research-agent, internal-ops-agent'), hidden, ['x'])).toEqual([
      'the error body names "internal-ops-agent", published but not on the key\'s allowlist (a leak)',
    ]);
  });

  it('lets the error repeat the name the request sent', () => {
    expect(checkHiddenNames(errorBody('model "internal-ops-agent" is not available to this key'), hidden, ['internal-ops-agent'])).toEqual([]);
  });

  it('matches whole names only, also at the end of a sentence', () => {
    expect(checkHiddenNames(errorBody('try gpt-4o-mini or llama-3.1-70b-instruct'), hidden)).toEqual([]);
    expect(checkHiddenNames(errorBody('did you mean gpt-4o.'), hidden)).toEqual(['the error body names "gpt-4o", published but not on the key\'s allowlist (a leak)']);
    expect(checkHiddenNames(errorBody('use llama-3.1-70b'), hidden)).toEqual(['the error body names "llama-3.1-70b", published but not on the key\'s allowlist (a leak)']);
  });
});

describe('denialClassOf', () => {
  const contract = loadContract();
  const route = (id: string) => routeById(contract, id);
  const key = (over: Partial<TargetKey>): TargetKey => ({ name: 'k', purpose: 'inference', scopes: ['inference:chat'], models: ['mission-agent'], datasets: [], hidden_models: [], family: 'k', revoked: false, ...over });
  const own = { ownModel: true, ownDataset: true };

  it('accepts only 403 for a key that lacks the scope but names its own model: 404 is a scope denial answered wrong', () => {
    const cls = denialClassOf(key({}), route('embeddings'), own);
    expect(cls).toBe('scope');
    expect(checkDenial(404, DENIAL_STATUSES[cls as 'scope'], json, errorBody()).problems).toEqual(['answered 404, expected 403']);
  });

  it('accepts only 403 on a route that names no model or dataset, whatever the key holds', () => {
    expect(denialClassOf(key({ models: [] }), route('models'), { ownModel: false, ownDataset: false })).toBe('scope');
    expect(denialClassOf(key({ purpose: 'upload', scopes: ['datasets:write'], models: [], datasets: ['d'] }), route('dataset-files'), { ownModel: false, ownDataset: true })).toBe('scope');
  });

  it('allows 404 where the request also names something outside the key\'s reach', () => {
    expect(denialClassOf(key({ models: [] }), route('chat'), { ownModel: false, ownDataset: false })).toBe('model');
    expect(denialClassOf(key({}), route('dataset-files'), { ownModel: true, ownDataset: false })).toBe('dataset');
    expect(denialClassOf(key({}), route('file-status'), own)).toEqual([403, 404]);
    expect(denialClassOf(key({ purpose: 'upload', scopes: ['datasets:write'] }), route('file-status'), own)).toBe('foreignObject');
  });
});
