import { describe, expect, it } from 'vitest';
import { checkConversationCreated, checkModelList, checkSuccess } from '../../src/checks/answers.ts';

const json = 'application/json';
const models = (ids: string[]) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1, owned_by: 'gt' })) });

describe('checkSuccess', () => {
  it('accepts a documented 2xx JSON answer that matches its schema, and returns the parsed body', () => {
    const outcome = checkSuccess('listModels', 200, 'application/json; charset=utf-8', JSON.stringify(models(['a'])));
    expect(outcome.problems).toEqual([]);
    expect(outcome.value).toEqual(models(['a']));
  });

  it('flags a failure status, an undocumented status, a non-JSON content type and a schema mismatch', () => {
    expect(checkSuccess('listModels', 403, json, '{"error":{"message":"no"}}').problems).toEqual([
      'answered 403, expected success: {"error":{"message":"no"}}',
    ]);
    expect(checkSuccess('createChatCompletion', 201, json, '{}').problems).toEqual([
      'answered 201, which the contract does not document for createChatCompletion',
    ]);
    expect(checkSuccess('listModels', 200, 'text/plain', JSON.stringify(models([]))).problems).toEqual([
      'content type is "text/plain", expected application/json',
    ]);
    expect(checkSuccess('createTranscription', 200, json, '{"transcript":"x"}').problems).toEqual([
      "(body): must have required property 'text'",
    ]);
    expect(checkSuccess('createTranscription', 200, json, 'hello').problems).toEqual(['the body is not JSON: hello']);
  });

  it('accepts 200, 201 and 202 for uploads, and leaves audio answers to the media checks', () => {
    for (const status of [200, 201, 202]) expect(checkSuccess('uploadDatasetFile', status, json, '{"id":"f1"}').problems).toEqual([]);
    expect(checkSuccess('createSpeech', 200, 'audio/mpeg', new Uint8Array([0xff, 0xfb])).problems).toEqual([]);
  });
});

describe('checkModelList', () => {
  it('accepts exactly the allowlist', () => {
    expect(checkModelList(models(['a', 'b']), ['b', 'a'], ['secret-alias'])).toEqual([]);
  });

  it('names leaks, strangers, missing names and duplicates', () => {
    expect(checkModelList(models(['a', 'secret-alias', 'gpt-4o-raw', 'a']), ['a', 'b'], ['secret-alias'])).toEqual([
      'leak: the key sees "secret-alias", published but not on its allowlist',
      'the key sees "gpt-4o-raw", not on its allowlist (its models as the target file gives them: a leak, or a name to add there)',
      'the key does not see "b", on its allowlist',
      'listed more than once: a',
    ]);
    expect(checkModelList({}, ['a'])).toEqual(['the answer has no data array']);
  });

  it('flags one leaked name beside an otherwise exact allowlist', () => {
    expect(checkModelList(models(['a', 'b', 'secret-alias']), ['a', 'b'], ['secret-alias', 'other-hidden'])).toEqual([
      'leak: the key sees "secret-alias", published but not on its allowlist',
    ]);
  });
});

describe('checkConversationCreated', () => {
  it('accepts any 2xx with the id in the body and the header, and returns the id', () => {
    const outcome = checkConversationCreated(201, { 'x-gt-conversation-id': 'conv_1' }, json, '{"id":"conv_1"}');
    expect(outcome.problems).toEqual([]);
    expect(outcome.conversationId).toBe('conv_1');
  });

  it('flags a missing header and a header that disagrees with the body', () => {
    expect(checkConversationCreated(200, {}, json, '{"id":"conv_1"}').problems).toEqual(['the answer has no X-GT-Conversation-Id header']);
    expect(checkConversationCreated(200, { 'X-GT-Conversation-Id': 'conv_2' }, json, '{"id":"conv_1"}').problems).toEqual([
      'X-GT-Conversation-Id is "conv_2" but the body\'s id is "conv_1"',
    ]);
  });
});
