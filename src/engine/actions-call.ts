// Successful calls of the OpenAI-shaped routes, over plain HTTP, a client profile's requests, or a real SDK.
import type { Probe } from '../model.ts';
import type { HttpAnswer } from '../http/client.ts';
import { contractValidator } from '../checks/contract-validator.ts';
import { checkModelList, checkSuccess } from '../checks/answers.ts';
import { checkEmbeddingOrder, compareEmbeddings } from '../checks/embeddings.ts';
import { checkChatStream, readSse } from '../checks/sse.ts';
import { checkSpeech, checkImageB64 } from '../checks/media.ts';
import { fakerFor, keyOf, requestFor, routeOf, send, type Action, type ActionOutcome, type ProbeContext } from './actions.ts';
import { shortPrompt, fixtureFile } from './requests.ts';
import { profileCall } from './actions-profile.ts';

/** Problems with a JSON success answer of a route, checked against the contract; its parsed body when it has one. */
export function jsonSuccess(answer: HttpAnswer, routeId: string, ctx: ProbeContext): { problems: string[]; strictNotes: string[]; body?: any } {
  if (answer.truncated) {
    return { problems: [`answered ${answer.status} with a body larger than ${answer.bytes.byteLength} bytes, the most the harness reads: it was cut there and not checked`], strictNotes: [] };
  }
  const outcome = checkSuccess(routeOf(ctx, routeId).operation_id, answer.status, answer.contentType, answer.bytes);
  return { problems: outcome.problems, strictNotes: outcome.strictNotes, body: outcome.value };
}

async function listModels(probe: Probe, ctx: ProbeContext): Promise<ActionOutcome> {
  const key = keyOf(ctx, probe.key);
  const { answer, problem } = await send(ctx, probe.key, requestFor(ctx, probe, 'models'), 'list models');
  if (!answer) return { problems: [problem!] };
  const { problems, body } = jsonSuccess(answer, 'models', ctx);
  if (body && key) problems.push(...checkModelList(body, key.models, key.hidden_models));
  return { problems, summary: `listed exactly the ${key?.models.length} allowlisted names` };
}

async function chat(probe: Probe, ctx: ProbeContext): Promise<ActionOutcome> {
  const plain = requestFor(ctx, probe, 'chat');
  const first = await send(ctx, probe.key, plain, 'chat completion');
  if (!first.answer) return { problems: [first.problem!] };
  const { problems, body } = jsonSuccess(first.answer, 'chat', ctx);
  const strictNotes = body && body.object === undefined ? ['the chat completion has no object field (Dify\'s credential validation needs "chat.completion")'] : [];
  const streamed = await send(ctx, probe.key, { ...plain, json: { ...(plain.json as object), stream: true }, stream: true }, 'streamed chat completion');
  if (!streamed.answer) return { problems: [...problems, `stream: ${streamed.problem}`] };
  problems.push(...(await streamProblems(streamed.answer, ctx)));
  return { problems, strictNotes, summary: 'plain and streamed completions match the contract' };
}

/** Reads an answer's event stream: 10 s without data, or 30 s (or what is left of the run) in all, ends it. */
export function readChatStream(stream: AsyncIterable<Uint8Array>, ctx: ProbeContext) {
  return readSse(stream, { idleTimeoutMs: 10_000, deadlineMs: Math.max(1_000, Math.min(30_000, ctx.deadline - Date.now())) });
}

export async function streamProblems(answer: HttpAnswer, ctx: ProbeContext): Promise<string[]> {
  if (answer.status !== 200) return [`stream: expected 200, got ${answer.status}`];
  if (!answer.stream) return ['stream: the answer has no body to read'];
  const sse = await readChatStream(answer.stream, ctx);
  return checkChatStream(answer.contentType, sse, contractValidator()).map((p) => `stream: ${p}`);
}

async function embeddings(probe: Probe, ctx: ProbeContext): Promise<ActionOutcome> {
  const floatRequest = requestFor(ctx, probe, 'embeddings');
  const inputs = (floatRequest.json as { input: string[] }).input;
  const asFloat = await send(ctx, probe.key, floatRequest, 'embeddings as float');
  if (!asFloat.answer) return { problems: [asFloat.problem!] };
  const float = jsonSuccess(asFloat.answer, 'embeddings', ctx);
  const asBase64 = await send(ctx, probe.key, { ...floatRequest, json: { ...(floatRequest.json as object), encoding_format: 'base64' } }, 'embeddings as base64');
  if (!asBase64.answer) return { problems: [...float.problems, asBase64.problem!] };
  const base64 = jsonSuccess(asBase64.answer, 'embeddings', ctx);
  const problems = [...float.problems, ...base64.problems.map((p) => `base64: ${p}`)];
  if (float.body) problems.push(...checkEmbeddingOrder(float.body, inputs.length));
  if (float.body && base64.body) problems.push(...compareEmbeddings(float.body, base64.body));
  return { problems, summary: `${inputs.length} vectors, base64 decodes to the float answer`, output: { vectors: float.body?.data?.map((d: { embedding: unknown }) => d.embedding) } };
}

async function transcription(probe: Probe, ctx: ProbeContext): Promise<ActionOutcome> {
  const { answer, problem } = await send(ctx, probe.key, requestFor(ctx, probe, 'transcriptions'), 'transcription');
  if (!answer) return { problems: [problem!] };
  const { problems, body } = jsonSuccess(answer, 'transcriptions', ctx);
  return { problems, summary: `transcribed to ${JSON.stringify(String(body?.text ?? '').slice(0, 40))}` };
}

async function speech(probe: Probe, ctx: ProbeContext): Promise<ActionOutcome> {
  const request = requestFor(ctx, probe, 'speech');
  const { answer, problem } = await send(ctx, probe.key, request, 'speech');
  if (!answer) return { problems: [problem!] };
  if (answer.status !== 200) return { problems: [`expected 200 with audio, got ${answer.status}: ${(await answer.text()).slice(0, 200)}`] };
  const format = (request.json as { response_format?: string }).response_format;
  const bytes = answer.bytes;
  return { problems: checkSpeech(format, answer.contentType ?? '', bytes), summary: `${bytes.length} bytes of ${format} audio` };
}

async function image(probe: Probe, ctx: ProbeContext): Promise<ActionOutcome> {
  const { answer, problem } = await send(ctx, probe.key, requestFor(ctx, probe, 'images'), 'image generation');
  if (!answer) return { problems: [problem!] };
  const { problems, body } = jsonSuccess(answer, 'images', ctx);
  const item = body?.data?.[0];
  if (item && typeof item.b64_json === 'string') problems.push(...checkImageB64(item.b64_json));
  else if (item && typeof item.url !== 'string') problems.push('data[0] has neither b64_json nor url');
  return { problems, summary: 'an image came back' };
}

const httpCalls: Record<string, (probe: Probe, ctx: ProbeContext) => Promise<ActionOutcome>> = {
  models: listModels,
  chat,
  embeddings,
  transcriptions: transcription,
  speech,
  images: image,
};

/** The same route through a real client library, with its own defaults. */
async function driverCall(probe: Probe, ctx: ProbeContext): Promise<ActionOutcome> {
  const key = keyOf(ctx, probe.key);
  const model = key?.models[0] ?? '';
  const driver = await ctx.driver(probe.driver, probe.key, ctx.exchanges, { aiSdkProvider: probe.params?.aiSdkProvider as 'openai' | undefined });
  const faker = fakerFor(ctx, probe.id);
  try {
    switch (probe.route) {
      case 'models': {
        const ids = await driver.listModels();
        const outside = ids.filter((id: string) => !key?.models.includes(id));
        return { problems: outside.length ? [`${probe.driver} listed names outside the allowlist: ${outside.join(', ')}`] : [], summary: `${probe.driver} listed ${ids.length} models` };
      }
      case 'chat': {
        const plain = await driver.chat({ model, prompt: shortPrompt(faker), maxTokens: 16 });
        const streamed = await driver.chatStream({ model, prompt: shortPrompt(faker), maxTokens: 16 });
        const problems = [];
        if (!plain.content) problems.push(`${probe.driver}: the completion has no content`);
        if (!streamed.content) problems.push(`${probe.driver}: the stream delivered no content`);
        return { problems, summary: `${probe.driver} completed plain and streamed (${streamed.chunks} chunks)` };
      }
      case 'embeddings': {
        const inputs = [faker.lorem.words(3), faker.lorem.words(4)];
        const vectors = await driver.embed({ model, inputs });
        const reference = await send(ctx, probe.key, { method: 'POST', path: '/v1/embeddings', json: { model, input: inputs, encoding_format: 'float' } }, 'reference embeddings as float');
        if (!reference.answer) return { problems: [`reference float request: ${reference.problem}`] };
        const ref = jsonSuccess(reference.answer, 'embeddings', ctx);
        if (!ref.body) return { problems: ref.problems.map((p) => `reference float request: ${p}`) };
        const expected: number[][] = ref.body.data.map((d: { embedding: number[] }) => d.embedding);
        const problems = vectorsDiffer(vectors, expected, probe.driver);
        return { problems, summary: `${probe.driver} vectors equal the float answer` };
      }
      case 'transcriptions': {
        const out = await driver.transcribe!({ model, file: fixtureFile('tone.wav'), filename: 'tone.wav' });
        return { problems: typeof out.text === 'string' ? [] : ['no text'], summary: 'transcribed' };
      }
      case 'speech': {
        const out = await driver.speech!({ model, input: faker.lorem.words(3), format: 'wav' });
        return { problems: checkSpeech('wav', out.contentType ?? 'audio/wav', out.bytes), summary: `${out.bytes.length} bytes of audio` };
      }
      case 'images': {
        const out = await driver.image!({ model, prompt: faker.lorem.words(4) });
        return { problems: checkImageB64(out.b64), summary: 'an image came back' };
      }
    }
  } catch (err) {
    return { problems: [`${probe.driver} raised ${(err as Error).constructor?.name ?? 'an error'}: ${(err as Error).message}`] };
  }
  return { problems: [`the ${probe.driver} driver cannot call ${probe.route}`] };
}

function vectorsDiffer(got: number[][], expected: number[][], driver: string): string[] {
  if (got.length !== expected.length) return [`${driver} returned ${got.length} vectors for ${expected.length} inputs`];
  for (let i = 0; i < got.length; i++) {
    const a = got[i];
    const b = expected[i];
    if (a.length !== b.length) return [`${driver} vector ${i} has ${a.length} dimensions, the float answer ${b.length}`];
    const off = a.findIndex((x, j) => Math.abs(x - b[j]) > 1e-6 * Math.max(1, Math.abs(b[j])));
    if (off >= 0) return [`${driver} vector ${i} differs from the float answer at [${off}]: ${a[off]} vs ${b[off]} (was base64 honoured?)`];
  }
  return [];
}

const call: Action = async (probe, ctx) => {
  if (probe.driver !== 'http') return driverCall(probe, ctx);
  if (probe.params?.profile) return profileCall(probe, ctx);
  const perform = httpCalls[probe.route];
  if (!perform) return { problems: [`no call is defined for route ${probe.route}`] };
  return perform(probe, ctx);
};

export const callActions: Record<string, Action> = { call };
