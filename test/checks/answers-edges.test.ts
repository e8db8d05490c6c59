// The edges of the success-answer checks (docs/testing.md, "Mutation scores"): which media types count as
// JSON, the status range, how a failed body is quoted, and the conversation id's sources. Expected texts are
// written out by hand from the rules in src/checks/answers.ts's comments and GT-API.md (R1, R7).
import { describe, expect, it } from 'vitest';
import { checkConversationCreated, checkModelList, checkSuccess } from '../../src/checks/answers.ts';

const json = 'application/json';
const models = (ids: string[]) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1, owned_by: 'gt' })) });

describe('checkSuccess, the edges', () => {
  const list = JSON.stringify(models(['a']));

  it('takes every JSON media type, whatever its case and parameters, and no other', () => {
    for (const type of ['application/json', 'APPLICATION/JSON', ' application/json ; charset=utf-8', 'application/vnd.gt.v1+json', 'application/problem+json']) {
      expect(checkSuccess('listModels', 200, type, list).problems, type).toEqual([]);
    }
    for (const type of ['text/json', 'application/jsonx', 'xapplication/json', 'application/json-seq', 'application/+json']) {
      expect(checkSuccess('listModels', 200, type, list).problems, type).toEqual([`content type is "${type}", expected application/json`]);
    }
    expect(checkSuccess('listModels', 200, undefined, list).problems).toEqual(['content type is missing, expected application/json']);
    expect(checkSuccess('listModels', 200, '', list).problems).toEqual(['content type is missing, expected application/json']);
  });

  it('counts only 200 to 299 as success', () => {
    expect(checkSuccess('listModels', 199, json, list).problems).toEqual([`answered 199, expected success: ${list}`]);
    expect(checkSuccess('listModels', 300, json, list).problems).toEqual([`answered 300, expected success: ${list}`]);
    expect(checkSuccess('uploadDatasetFile', 299, json, '{}').problems).toEqual(['answered 299, which the contract does not document for uploadDatasetFile']);
  });

  it('reads a body given as bytes, and has no strict notes to give', () => {
    const outcome = checkSuccess('listModels', 200, json, new TextEncoder().encode(list));
    expect(outcome).toEqual({ problems: [], strictNotes: [], value: models(['a']) });
  });

  it('quotes a failed body on one line, cut at 160 characters, with secrets masked', () => {
    expect(checkSuccess('listModels', 500, json, '').problems).toEqual(['answered 500, expected success: (empty body)']);
    expect(checkSuccess('listModels', 500, json, 'line one\n\n  line\ttwo').problems).toEqual(['answered 500, expected success: line one line two']);
    expect(checkSuccess('listModels', 500, json, 'x'.repeat(160)).problems).toEqual([`answered 500, expected success: ${'x'.repeat(160)}`]);
    expect(checkSuccess('listModels', 500, json, 'y'.repeat(161)).problems).toEqual([`answered 500, expected success: ${'y'.repeat(160)}…`]);
    expect(checkSuccess('listModels', 401, json, 'bad key gtak_live_abcdefgh1234').problems).toEqual(['answered 401, expected success: bad key gtak_****1234']);
  });

  it('does not go on to the schema when the body is not JSON', () => {
    const outcome = checkSuccess('listModels', 200, 'text/html', '<html>');
    expect(outcome.problems).toEqual(['content type is "text/html", expected application/json', 'the body is not JSON: <html>']);
    expect(outcome.value).toBeUndefined();
  });
});

describe('checkModelList, the edges', () => {
  it('ignores entries without a string id, and takes a null list as no list', () => {
    expect(checkModelList({ data: [{ id: 'a' }, { id: 7 }, null, {}] }, ['a'])).toEqual([]);
    expect(checkModelList(null, ['a'])).toEqual(['the answer has no data array']);
    expect(checkModelList({ data: {} }, [])).toEqual(['the answer has no data array']);
  });

  it('names several names in one problem, each quoted, and a duplicate once', () => {
    expect(checkModelList(models(['h1', 'h2', 'x', 'y', 'a', 'a', 'a']), ['a', 'b', 'c'], ['h1', 'h2'])).toEqual([
      'leak: the key sees "h1", "h2", published but not on its allowlist',
      'the key sees "x", "y", not on its allowlist (its models as the target file gives them: a leak, or a name to add there)',
      'the key does not see "b", "c", on its allowlist',
      'listed more than once: a',
    ]);
    expect(checkModelList(models(['a', 'b', 'a', 'b']), ['a', 'b'])).toEqual(['listed more than once: a, b']);
    expect(checkModelList(models([]), [])).toEqual([]);
  });
});

describe('checkConversationCreated, the edges', () => {
  it('stops at any status outside 200 to 299, and goes on at 299', () => {
    for (const status of [199, 300]) {
      expect(checkConversationCreated(status, {}, json, '{"id":"conv_1"}').problems, String(status)).toEqual([`answered ${status}, expected success: {"id":"conv_1"}`]);
    }
    // 299 is a success the contract does not document: the header is still asked for
    expect(checkConversationCreated(299, {}, json, '{"id":"conv_1"}').problems).toEqual(['answered 299, which the contract does not document for createConversation', 'the answer has no X-GT-Conversation-Id header']);
  });

  it('stops at a failure status, without asking for the header', () => {
    const outcome = checkConversationCreated(403, {}, json, '{"error":{"message":"no","type":"denied","code":null}}');
    expect(outcome.problems).toEqual(['answered 403, expected success: {"error":{"message":"no","type":"denied","code":null}}']);
    expect(outcome.conversationId).toBeUndefined();
  });

  it("takes the id from the header first, else from the body, and an empty header as none", () => {
    expect(checkConversationCreated(200, { 'x-gt-conversation-id': 'conv_h' }, json, '{"object":"conversation"}').conversationId).toBe('conv_h');
    const fromBody = checkConversationCreated(200, { 'x-gt-conversation-id': '' }, json, '{"id":"conv_b"}');
    expect(fromBody.problems).toEqual(['the answer has no X-GT-Conversation-Id header']);
    expect(fromBody.conversationId).toBe('conv_b');
    const none = checkConversationCreated(200, {}, json, '{"id":42}');
    expect(none.problems).toContain('the answer has no X-GT-Conversation-Id header');
    expect(none.conversationId).toBeUndefined();
  });

  it('does not compare the header with a body id that is not a string', () => {
    const outcome = checkConversationCreated(200, { 'x-gt-conversation-id': 'conv_h' }, json, '{"id":42}');
    expect(outcome.problems).not.toContain('X-GT-Conversation-Id is "conv_h" but the body\'s id is "42"');
    expect(outcome.problems.some((p) => p.startsWith('X-GT-Conversation-Id is'))).toBe(false);
    expect(outcome.conversationId).toBe('conv_h');
  });
});
