// The edges of the denial checks (docs/testing.md, "Mutation scores"): the status ranges at their bounds, the
// secret and token scans, how a bad body is quoted, the upload key's model list, whole-name matching and the
// denial classes. Expected texts are written out by hand from GT-API.md ("Errors") and src/checks/errors.ts's
// comments.
import { describe, expect, it } from 'vitest';
import { checkDenial, checkHiddenNames, checkUploadKeyOnModels, denialClassOf } from '../../src/checks/errors.ts';
import { loadContract, routeById } from '../../src/contract/load.ts';
import type { TargetKey } from '../../src/model.ts';

const SECRET = 'gtak_live_0a1b2c3d4e5f6a7b8c9d';
const json = 'application/json';
const errorBody = (message = 'no access') => JSON.stringify({ error: { message, type: 'permission_error', code: null } });

describe('checkDenial, the status bounds', () => {
  it('takes only 200 to 299 as served, and 500 up as a server error', () => {
    expect(checkDenial(199, [403], json, errorBody()).problems).toEqual(['answered 199, expected 403']);
    expect(checkDenial(299, [403], json, '{}').problems).toEqual(['answered 299: the request was served, expected 403']);
    expect(checkDenial(300, [403], json, errorBody()).problems).toEqual(['answered 300, expected 403']);
    expect(checkDenial(499, [403, 404], json, errorBody()).problems).toEqual(['answered 499, expected 403 or 404']);
    expect(checkDenial(599, [403], json, errorBody()).problems).toEqual(['answered 599, a server error, expected 403']);
  });

  it('a served request ends the check: its body is not judged as an error', () => {
    expect(checkDenial(200, [403], 'text/plain', `not json ${SECRET}`, SECRET)).toEqual({ problems: ['answered 200: the request was served, expected 403'], strictNotes: [] });
  });

  it('judges the body of a server error and of a wrong status too', () => {
    expect(checkDenial(502, [403], json, '<html>').problems).toEqual(['answered 502, a server error, expected 403', 'the error body is not JSON: <html>']);
    expect(checkDenial(400, [403], json, '').problems).toEqual(['answered 400, expected 403', 'the error body is empty']);
  });
});

describe('checkDenial, secrets and tokens in the body', () => {
  it('flags each echoed secret of a list, and none shorter than 6 characters', () => {
    const other = 'sk-other-secret-99';
    expect(checkDenial(401, [401], json, errorBody(`${SECRET} and ${other} and abcde`), [SECRET, other, 'abcde']).problems).toEqual([
      'the error body echoes the bearer secret (gtak_****8c9d)',
      'the error body echoes the bearer secret (****t-99)',
    ]);
    expect(checkDenial(401, [401], json, errorBody('key abcdef is bad'), 'abcdef').problems).toEqual(['the error body echoes the bearer secret (****f)']);
  });

  it('does not report the echoed secret a second time as a gtak_ token, nor a token that holds it', () => {
    expect(checkDenial(401, [401], json, errorBody(`bad ${SECRET}`), SECRET).problems).toEqual(['the error body echoes the bearer secret (gtak_****8c9d)']);
    const longer = `${SECRET}_more`;
    expect(checkDenial(401, [401], json, errorBody(`bad ${longer}`), SECRET).problems).toEqual(['the error body echoes the bearer secret (gtak_****8c9d)']);
  });

  it('flags a gtak_ token of 8 characters or more after the prefix, not a shorter one nor a masked one', () => {
    expect(checkDenial(403, [403], json, errorBody('gtak_abcdefgh')).problems).toEqual(['the error body contains a gtak_ token (gtak_****fgh)']);
    expect(checkDenial(403, [403], json, errorBody('gtak_abcdefg')).problems).toEqual([]);
    expect(checkDenial(403, [403], json, errorBody('gtak_****abcdefgh')).problems).toEqual([]);
  });

  it('finds a secret in a body given as an object', () => {
    expect(checkDenial(401, [401], json, { error: { message: `bad ${SECRET}`, type: 'auth', code: null } }, SECRET).problems).toEqual(['the error body echoes the bearer secret (gtak_****8c9d)']);
  });
});

describe('checkDenial, the body', () => {
  it('takes no body, and a blank one, as empty', () => {
    expect(checkDenial(403, [403], json, undefined).problems).toEqual(['the error body is empty']);
    expect(checkDenial(403, [403], json, ' \n\t ').problems).toEqual(['the error body is empty']);
    expect(checkDenial(403, [403], json, new Uint8Array()).problems).toEqual(['the error body is empty']);
  });

  it('quotes a body that is not JSON on one line, cut at 100 characters, with secrets masked', () => {
    expect(checkDenial(403, [403], json, 'a\n\n b').problems).toEqual(['the error body is not JSON: a b']);
    expect(checkDenial(403, [403], json, 'x'.repeat(100)).problems).toEqual([`the error body is not JSON: ${'x'.repeat(100)}`]);
    expect(checkDenial(403, [403], json, 'y'.repeat(101)).problems).toEqual([`the error body is not JSON: ${'y'.repeat(100)}…`]);
    expect(checkDenial(403, [403], json, 'Forbidden for gtak_abcdefgh12345678', 'other-secret').problems).toEqual([
      'the error body contains a gtak_ token (gtak_****5678)',
      'the error body is not JSON: Forbidden for gtak_****5678',
    ]);
  });

  it('notes a missing content type, takes any JSON media type, in any case', () => {
    expect(checkDenial(403, [403], undefined, errorBody()).strictNotes).toEqual(['the error body is JSON but its content type is missing, not application/json']);
    expect(checkDenial(403, [403], '  ', errorBody()).strictNotes).toEqual(['the error body is JSON but its content type is missing, not application/json']);
    for (const type of ['application/problem+json', 'Application/JSON; charset=utf-8']) expect(checkDenial(403, [403], type, errorBody()).strictNotes, type).toEqual([]);
    for (const type of ['text/json', 'application/json2', 'xapplication/json']) {
      expect(checkDenial(403, [403], type, errorBody()).strictNotes, type).toEqual([`the error body is JSON but its content type is "${type}", not application/json`]);
    }
  });

  it('notes a status other than the default and still judges the body', () => {
    expect(checkDenial(404, [403, 404], 'text/plain', errorBody())).toEqual({
      problems: [],
      strictNotes: ['answered 404 where 403 is the default (403 or 404 allowed)', 'the error body is JSON but its content type is "text/plain", not application/json'],
    });
  });
});

describe('checkUploadKeyOnModels, a 200', () => {
  const model = (id: string) => ({ id, object: 'model', created: 1, owned_by: 'gt' });

  it('fails a body that is not JSON, or empty', () => {
    expect(checkUploadKeyOnModels(200, json, 'nope')).toEqual({ problems: ['answered 200 with a body that is not JSON: nope'], strictNotes: [] });
    expect(checkUploadKeyOnModels(200, json, '')).toEqual({ problems: ['answered 200 with a body that is empty'], strictNotes: [] });
  });

  it('fails a list that is not a model list, without the strict note', () => {
    expect(checkUploadKeyOnModels(200, json, JSON.stringify({ object: 'list' }))).toEqual({ problems: ["model list: (body): must have required property 'data'"], strictNotes: [] });
  });

  it('names at most the first 5 models it shows, and counts them all', () => {
    const list = { object: 'list', data: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(model) };
    expect(checkUploadKeyOnModels(200, json, JSON.stringify(list)).problems).toEqual(['an upload key sees 7 model(s) (a, b, c, d, e), expected 403 or an empty list']);
    expect(checkUploadKeyOnModels(200, json, { object: 'list', data: [model('only')] }).problems).toEqual(['an upload key sees 1 model(s) (only), expected 403 or an empty list']);
  });
});

describe('checkHiddenNames, whole names', () => {
  const leak = (name: string) => [`the error body names "${name}", published but not on the key's allowlist (a leak)`];

  it('does not take a name inside a path, a URL, a namespaced id or a longer dotted name', () => {
    for (const text of ['see models/gpt-4o', 'at https://x/gpt-4o', 'openai:gpt-4o', 'gpt-4o:latest', 'gpt-4o/v2', 'gpt-4o.v2', 'my_gpt-4o', 'v.gpt-4o', 'gpt-4ox']) {
      expect(checkHiddenNames(text, ['gpt-4o']), text).toEqual([]);
    }
    for (const text of ['"gpt-4o"', '(gpt-4o)', 'gpt-4o, x', 'gpt-4o', 'use gpt-4o. Then']) expect(checkHiddenNames(text, ['gpt-4o']), text).toEqual(leak('gpt-4o'));
  });

  it('matches a name with regex characters literally, and skips an empty name', () => {
    expect(checkHiddenNames('model a+b', ['a+b'])).toEqual(leak('a+b'));
    expect(checkHiddenNames('model aab', ['a+b'])).toEqual([]);
    expect(checkHiddenNames('model l3x1', ['l3.1'])).toEqual([]);
    expect(checkHiddenNames('anything', [''])).toEqual([]);
  });

  it('names every leaked name in one problem, and reads bytes and objects', () => {
    expect(checkHiddenNames(new TextEncoder().encode('try h1 or h2'), ['h1', 'h2', 'h3'])).toEqual(['the error body names "h1", "h2", published but not on the key\'s allowlist (a leak)']);
    expect(checkHiddenNames({ error: { message: 'try h3' } }, ['h3'])).toEqual(leak('h3'));
    expect(checkHiddenNames(undefined, ['h3'])).toEqual([]);
  });
});

describe('denialClassOf, the edges', () => {
  const contract = loadContract();
  const route = (id: string) => routeById(contract, id);
  const key = (over: Partial<TargetKey>): TargetKey => ({ name: 'k', purpose: 'inference', scopes: ['inference:chat'], models: ['m'], datasets: [], hidden_models: [], family: 'k', ...over });

  it('lets no key, or a key of the wrong purpose, on an owner-only route be refused with 403 or 404', () => {
    expect(denialClassOf(undefined, route('file-status'), { ownModel: false, ownDataset: false })).toEqual([403, 404]);
    expect(denialClassOf(key({ purpose: 'inference' }), route('file-status'), { ownModel: true, ownDataset: true })).toEqual([403, 404]);
  });

  it('a key lacking only the scope of a model route, naming its own model: a scope denial', () => {
    expect(denialClassOf(key({ scopes: [] }), route('chat'), { ownModel: true, ownDataset: false })).toBe('scope');
    expect(denialClassOf(key({ scopes: [] }), route('chat'), { ownModel: false, ownDataset: false })).toBe('model');
  });
});
