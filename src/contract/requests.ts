// The smallest request that proves a route's point: one short message, a small max_tokens, tiny files.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Faker } from '@faker-js/faker';
import { filesDir } from '../paths.ts';
import { CONVERSATION_HEADER } from './load.ts';
import type { Contract, RouteSpec } from '../model.ts';

export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface RouteRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  json?: unknown;
  rawBody?: string;
  multipart?: { fields: Record<string, string>; files: MultipartFile[] };
  stream?: boolean;
}

export interface RequestInputs {
  model?: string;
  /** the run's id: what the run creates (files, conversations) is named with it, so an operator can find it */
  runId?: string;
  datasetId?: string;
  conversationId?: string;
  fileId?: string;
  faker: Faker;
}

const fileCache = new Map<string, Uint8Array>();
export function fixtureFile(name: string): Uint8Array {
  let bytes = fileCache.get(name);
  if (!bytes) {
    bytes = new Uint8Array(readFileSync(path.join(filesDir, name)));
    fileCache.set(name, bytes);
  }
  return bytes;
}

/** A path template with its {id} filled in; ids are URI-encoded so a hostile id cannot change the path. */
export function fillPath(template: string, id?: string): string {
  return id === undefined ? template : template.replace('{id}', encodeURIComponent(id));
}

/** The name of what a run creates on a tenant: it carries gt-conformance and the run id. */
export function createdName(runId: string | undefined, name: string): string {
  return `gt-conformance-${runId ?? 'run'}-${name}`;
}

export function textFile(faker: Faker, runId?: string): MultipartFile {
  const words = faker.lorem.sentence({ min: 4, max: 8 });
  return { field: 'file', filename: createdName(runId, `${faker.system.fileName({ extensionCount: 0 })}.txt`), contentType: 'text/plain', bytes: new TextEncoder().encode(`${words}\n${new TextDecoder().decode(fixtureFile('brief.txt'))}`) };
}

export function shortPrompt(faker: Faker): string {
  return `Reply with one word: ${faker.word.noun()}.`;
}

/** A valid request for the route; the caller sends it with the key under test. */
export function routeRequest(route: RouteSpec, inputs: RequestInputs): RouteRequest {
  const { faker, model = 'unset-model' } = inputs;
  switch (route.id) {
    case 'models':
      return { method: 'GET', path: route.path };
    case 'chat':
      return {
        method: 'POST',
        path: route.path,
        json: { model, messages: [{ role: 'user', content: shortPrompt(faker) }], max_tokens: 16 },
        headers: inputs.conversationId ? { [CONVERSATION_HEADER]: inputs.conversationId } : undefined,
      };
    case 'embeddings':
      return { method: 'POST', path: route.path, json: { model, input: [faker.lorem.words(3), faker.lorem.words(4)], encoding_format: 'float' } };
    case 'transcriptions':
      return { method: 'POST', path: route.path, multipart: { fields: { model }, files: [{ field: 'file', filename: 'tone.wav', contentType: 'audio/wav', bytes: fixtureFile('tone.wav') }] } };
    case 'speech':
      return { method: 'POST', path: route.path, json: { model, input: faker.lorem.words(3), response_format: 'wav' } };
    case 'images':
      return { method: 'POST', path: route.path, json: { model, prompt: faker.lorem.words(4), n: 1, size: '256x256', response_format: 'b64_json' } };
    case 'conversations':
      return { method: 'POST', path: route.path, json: { model, title: `gt-conformance ${inputs.runId ?? 'run'}: ${faker.lorem.words(3)}` } };
    case 'dataset-files':
      return { method: 'POST', path: fillPath(route.path, inputs.datasetId ?? 'unset-dataset'), multipart: { fields: {}, files: [textFile(faker, inputs.runId)] } };
    case 'conversation-files':
      return {
        method: 'POST',
        path: route.path,
        headers: inputs.conversationId ? { [CONVERSATION_HEADER]: inputs.conversationId } : undefined,
        multipart: { fields: {}, files: [textFile(faker, inputs.runId)] },
      };
    case 'file-status':
      return { method: 'GET', path: fillPath(route.path, inputs.fileId ?? 'file-unknown') };
    default:
      // A route added to the catalog without a request shape here: send it bare so the tenant still answers.
      return { method: route.method, path: route.path };
  }
}

/** The JSON schema of a route's request body in the contract's OpenAPI document, when it has one. */
export function requestSchemaOf(contract: Contract, route: RouteSpec): { required?: string[]; properties?: Record<string, unknown> } | undefined {
  const schemas = (contract.openapi as { components?: { schemas?: Record<string, any> } }).components?.schemas ?? {};
  for (const item of Object.values((contract.openapi as { paths?: Record<string, Record<string, any>> }).paths ?? {})) {
    for (const operation of Object.values(item)) {
      if (operation?.operationId !== route.operation_id) continue;
      const content = operation.requestBody?.content ?? {};
      const schema = (content['application/json'] ?? content['multipart/form-data'])?.schema;
      const ref = typeof schema?.$ref === 'string' ? schema.$ref.split('/').pop() : undefined;
      return ref ? schemas[ref] : schema;
    }
  }
  return undefined;
}

/** The required field a "missing field" request leaves out: the last one the contract names other than model. */
export function fieldToDrop(contract: Contract, route: RouteSpec): string {
  const required = requestSchemaOf(contract, route)?.required ?? [];
  return [...required].reverse().find((f) => f !== 'model') ?? required[0] ?? 'model';
}

/**
 * The same request with one required field taken out (for "missing field → 4xx, never 5xx"): the last
 * required field the contract names other than `model`, which the key's allowlist already exercises.
 */
export function droppedRequiredField(contract: Contract, route: RouteSpec, request: RouteRequest): { request: RouteRequest; field: string } {
  const field = fieldToDrop(contract, route);
  const json = { ...(request.json as Record<string, unknown>) };
  delete json[field];
  return { request: { ...request, json }, field };
}
