import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { contractValidator, createContractValidator, jsonPathOf } from '../../src/checks/contract-validator.ts';
import { loadContract } from '../../src/contract/load.ts';
import { projectRoot } from '../../src/paths.ts';

const validator = contractValidator();
const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
const model = { id: 'agent-alias', object: 'model', created: 1_700_000_000, owned_by: 'gt' };
const chunk = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'agent-alias', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }] };

/** For every schema: bodies it must accept, and bodies it must reject with the message given. */
const cases: Record<string, { good: unknown[]; bad: Array<[unknown, string]> }> = {
  Model: {
    good: [model, { ...model, permission: [] }],
    bad: [[{ ...model, object: 'mode' }, 'object: must be equal to constant "model"']],
  },
  ModelList: {
    good: [{ object: 'list', data: [] }, { object: 'list', data: [model] }],
    bad: [
      [{ object: 'list', data: [{ ...model, object: 'models' }] }, 'data[0].object: must be equal to constant "model"'],
      [{ object: 'list', data: [{ id: 'x', object: 'model', created: 1 }] }, "data[0]: must have required property 'owned_by'"],
      [{ data: [] }, "(body): must have required property 'object'"],
    ],
  },
  ChatCompletion: {
    good: [
      { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage },
      { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [] }, finish_reason: 'tool_calls' }], system_fingerprint: 'fp' },
    ],
    bad: [
      [{ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [] }, 'object: must be equal to constant "chat.completion"'],
      [{ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 5 }, finish_reason: 'stop' }] }, 'choices[0].message.content: must be string or null'],
      [{ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [] }, 'choices: must NOT have fewer than 1 items'],
    ],
  },
  ChatCompletionChunk: {
    good: [chunk, { ...chunk, choices: [], usage }, { ...chunk, usage: null }],
    bad: [
      [{ ...chunk, choices: [] }, "(body): matches none of the allowed shapes (choices must NOT have fewer than 1 items; (body) must have required property 'usage')"],
      [{ ...chunk, choices: [{ index: 0 }] }, "choices[0]: must have required property 'delta'"],
    ],
  },
  EmbeddingList: {
    good: [
      { object: 'list', model: 'm', data: [{ object: 'embedding', index: 0, embedding: [0.1, -0.2] }], usage: { prompt_tokens: 1, total_tokens: 1 } },
      { object: 'list', model: 'm', data: [{ object: 'embedding', index: 0, embedding: 'AACAPw==' }] },
    ],
    bad: [
      [{ object: 'list', model: 'm', data: [{ object: 'embedding', index: 0, embedding: { v: 1 } }] }, 'data[0].embedding: must be array or string'],
      [{ object: 'list', model: 'm', data: [] }, 'data: must NOT have fewer than 1 items'],
    ],
  },
  Transcription: {
    good: [{ text: 'hello' }, { text: '', language: 'en' }],
    bad: [[{ transcript: 'hello' }, "(body): must have required property 'text'"]],
  },
  ImageResponse: {
    good: [{ created: 1, data: [{ b64_json: 'iVBORw0KGgo=' }] }, { created: 1, data: [{ url: 'https://cdn.example/a.png', revised_prompt: 'p' }] }],
    bad: [
      [{ created: 1, data: [] }, 'data: must NOT have fewer than 1 items'],
      [{ created: 1, data: [{ revised_prompt: 'p' }] }, "data[0]: must have one of the properties 'b64_json', 'url'"],
      [{ created: 1, data: [{ url: 'not a url' }] }, 'data[0].url: must match format "uri"'],
    ],
  },
  Conversation: {
    good: [{ id: 'conv_1' }, { id: 'conv_1', object: 'conversation', title: null, model: 'm' }],
    bad: [[{ id: '' }, 'id: must NOT have fewer than 1 characters']],
  },
  FileObject: {
    good: [{ id: 'f1', status: 'processing' }, { id: 'f1', status: 'failed', error: { message: 'bad pdf' } }, { id: 'f1', status: 'failed', status_details: 'x' }],
    bad: [
      [{ id: 'f1' }, "(body): must have required property 'status'"],
      [{ id: 'f1', status: 'failed', error: 3 }, 'error: must be string or null or object'],
    ],
  },
  UploadedFile: {
    good: [{ id: 'f1' }, { id: 'f1', status: 'uploaded', bytes: 10 }],
    bad: [[{ file_id: 'f1' }, "(body): must have required property 'id'"]],
  },
  Error: {
    good: [{ error: { message: 'no', type: 'invalid_request_error', code: null } }, { error: { message: 'no', type: 't', code: 'c', param: null } }],
    bad: [
      [{ error: 'no' }, 'error: must be object'],
      [{ error: { message: 'no', type: 't', code: 5 } }, 'error.code: must be string or null'],
      [{ detail: 'Forbidden' }, "(body): must have required property 'error'"],
    ],
  },
  ChatCompletionRequest: {
    good: [
      { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
      {
        model: 'm',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 5,
        user: 'u1',
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
        tool_choice: 'auto',
      },
    ],
    bad: [
      [{ model: 'm' }, "(body): must have required property 'messages'"],
      [{ model: 'm', messages: [] }, 'messages: must NOT have fewer than 1 items'],
    ],
  },
  EmbeddingRequest: {
    good: [{ model: 'm', input: 'a' }, { model: 'm', input: ['a', 'b'], encoding_format: 'base64' }],
    bad: [[{ model: 'm', input: 'a', encoding_format: 'int8' }, 'encoding_format: must be one of "float", "base64"']],
  },
  SpeechRequest: {
    good: [{ model: 'm', input: 'say' }, { model: 'm', input: 'say', voice: 'alloy', response_format: 'wav' }],
    bad: [[{ model: 'm', input: 'say', response_format: 'ogg' }, 'response_format: must be one of "mp3", "opus", "aac", "flac", "wav", "pcm"']],
  },
  ImageRequest: {
    good: [{ model: 'm', prompt: 'a map' }],
    bad: [[{ model: 'm' }, "(body): must have required property 'prompt'"]],
  },
  ConversationRequest: {
    good: [{ model: 'm' }, { model: 'm', title: 'Evidence review thread' }],
    bad: [[{ title: 't' }, "(body): must have required property 'model'"]],
  },
};

describe('contract validator', () => {
  for (const [schema, { good, bad }] of Object.entries(cases)) {
    it(`${schema}: accepts good bodies and explains bad ones`, () => {
      for (const body of good) expect(validator.validateBody(schema, body), JSON.stringify(body)).toEqual([]);
      for (const [body, message] of bad) expect(validator.validateBody(schema, body)).toContain(message);
    });
  }

  it('validates error bodies with the Error schema', () => {
    expect(validator.validateError({ error: { message: 'm', type: 't', code: null } })).toEqual([]);
    expect(validator.validateError('Forbidden')).toEqual(['(body): must be object']);
  });

  it('names the schema of each documented answer, and nothing for undocumented ones', () => {
    expect(validator.schemaForOperation('listModels', 200)).toBe('ModelList');
    expect(validator.schemaForOperation('createChatCompletion', 200)).toBe('ChatCompletion');
    expect(validator.schemaForOperation('createSpeech', 200)).toBeUndefined(); // audio bytes
    expect(validator.responseFor('createSpeech', 200)?.mediaTypes).toEqual(['audio/*']);
    for (const status of [200, 201, 202]) {
      expect(validator.schemaForOperation('uploadDatasetFile', status)).toBe('UploadedFile');
      expect(validator.schemaForOperation('uploadConversationFile', status)).toBe('UploadedFile');
      expect(validator.responseFor('createConversation', status)?.requiredHeaders).toEqual(['X-GT-Conversation-Id']);
    }
    expect(validator.schemaForOperation('getFileStatus', 200)).toBe('FileObject');
    expect(validator.schemaForOperation('getUploadStatus', 200)).toBe('FileObject');
    expect(validator.schemaForOperation('createChatCompletion', 201)).toBeUndefined();
    expect(validator.schemaForOperation('createEmbedding', 403)).toBe('Error');
    expect(validator.responseFor('createImage', 503)?.documentedAs).toBe('default');
    expect(() => validator.schemaForOperation('deleteEverything', 200)).toThrow('contract has no operation "deleteEverything"');
    expect(() => validator.validateBody('Nope', {})).toThrow('contract has no schema "Nope" in components.schemas');
  });

  it('turns instance paths into readable paths', () => {
    expect(jsonPathOf('')).toBe('(body)');
    expect(jsonPathOf('/data/0/object')).toBe('data[0].object');
    expect(jsonPathOf('/headers/x-gt~1id')).toBe('headers["x-gt/id"]');
  });

  it('builds from another OpenAPI document too', () => {
    const v = createContractValidator({ components: { schemas: { Thing: { type: 'object', required: ['a'], properties: { b: { $ref: '#/components/schemas/Thing' } } } } } });
    expect(v.validateBody('Thing', { a: 1, b: { a: 2 } })).toEqual([]);
    expect(v.validateBody('Thing', { a: 1, b: {} })).toEqual(["b: must have required property 'a'"]);
  });
});

describe('openapi.yaml', () => {
  const contract = loadContract();
  const doc = contract.openapi as {
    openapi: string;
    servers: Array<{ url: string }>;
    security: unknown[];
    paths: Record<string, Record<string, { operationId?: string; security?: unknown; requestBody?: unknown; responses?: Record<string, unknown> }>>;
    components: { securitySchemes: Record<string, { type: string; scheme: string }>; schemas: Record<string, unknown> };
  };

  it('is OpenAPI 3.1 with the tenant server and bearer security', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers[0].url).toBe('https://{tenant-host}/api/tenant');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });

  it('has every route of routes.yaml, with its operationId, and the status alias as its own path', () => {
    for (const route of contract.routes) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op?.operationId, `${route.method} ${route.path}`).toBe(route.operation_id);
      expect(op?.responses?.['401'], `${route.operation_id} documents 401`).toBeDefined();
      if (route.content_type !== 'none') expect(op?.requestBody, `${route.operation_id} has a request body`).toBeDefined();
      for (const alias of route.aliases ?? []) {
        expect(doc.paths[alias]?.[route.method.toLowerCase()]?.responses).toEqual(op?.responses);
      }
    }
  });

  it('has unique operationIds and no $ref that points nowhere', () => {
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) {
      const pointer = ref.slice(8, -1);
      let target: unknown = doc;
      for (const part of pointer.slice(2).split('/')) target = (target as Record<string, unknown>)?.[part];
      expect(target, pointer).toBeDefined();
    }
  });

  it('compiles every component schema under ajv strict mode, each judging an empty object by its own required list', () => {
    // The oracle is the YAML file itself, read without the validator: its schemas and their required fields.
    type Schema = { required?: string[] };
    const raw = parseYaml(readFileSync(path.join(projectRoot, 'fixtures/contract/openapi.yaml'), 'utf8')) as { components: { schemas: Record<string, Schema> } };
    expect(validator.schemaNames().sort()).toEqual(Object.keys(raw.components.schemas).sort());
    for (const [name, schema] of Object.entries(raw.components.schemas)) {
      const problems = validator.validateBody(name, {});
      // every schema of the contract asks for something: directly, or one of several shapes (anyOf)
      expect(problems.length, name).toBeGreaterThan(0);
      for (const field of schema.required ?? []) expect(problems.join('\n'), name).toContain(`must have required property '${field}'`);
    }
  });
});
