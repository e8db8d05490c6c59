// A successful call of an OpenAI-shaped route: over plain HTTP with the harness's own request, as a
// product's client profile sends it, or through a real SDK with its own defaults.
import type { Probe } from '../model.ts';
import { checkModelList } from '../checks/answers.ts';
import { allowlistGap } from '../targets/capabilities.ts';
import { checkEmbeddingOrder, compareEmbeddings } from '../checks/embeddings.ts';
import { checkSpeech, checkImageB64 } from '../checks/media.ts';
import { shortPrompt, fixtureFile } from '../contract/requests.ts';
import { budgetSpentIn } from './budget.ts';
import { fakerFor, keyOf, modelFor, requestFor, send, type ProbeContext, type ProbeKind, type ProbeVerdict } from './context.ts';
import { jsonSuccess, streamProblems } from './answers.ts';
import { profileCall } from './profile-call.ts';
import { namesInWords } from '../checks/name-list.ts';

async function listModels(probe: Probe, ctx: ProbeContext): Promise<ProbeVerdict> {
  const key = keyOf(ctx, probe.key);
  const { answer, problem } = await send(ctx, probe.key, requestFor(ctx, probe, 'models'), 'list models');
  if (!answer) return { problems: [problem!] };
  const { problems, body } = jsonSuccess(answer, 'models', ctx);
  const gap = key && allowlistGap(key);
  if (body && key) problems.push(...checkModelList(body, key.models, key.hidden_models, !gap));
  if (gap) return { problems, notExercised: gap };
  return { problems, summary: `listed exactly the ${key?.models.length} allowlisted names` };
}

async function chat(probe: Probe, ctx: ProbeContext): Promise<ProbeVerdict> {
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

async function embeddings(probe: Probe, ctx: ProbeContext): Promise<ProbeVerdict> {
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

async function transcription(probe: Probe, ctx: ProbeContext): Promise<ProbeVerdict> {
  const { answer, problem } = await send(ctx, probe.key, requestFor(ctx, probe, 'transcriptions'), 'transcription');
  if (!answer) return { problems: [problem!] };
  const { problems, body } = jsonSuccess(answer, 'transcriptions', ctx);
  return { problems, summary: `transcribed to ${JSON.stringify(String(body?.text ?? '').slice(0, 40))}` };
}

async function speech(probe: Probe, ctx: ProbeContext): Promise<ProbeVerdict> {
  const request = requestFor(ctx, probe, 'speech');
  const { answer, problem } = await send(ctx, probe.key, request, 'speech');
  if (!answer) return { problems: [problem!] };
  if (answer.status !== 200) return { problems: [`expected 200 with audio, got ${answer.status}: ${answer.text().slice(0, 200)}`] };
  const format = (request.json as { response_format?: string }).response_format;
  const bytes = answer.bytes;
  return { problems: checkSpeech(format, answer.contentType ?? '', bytes), summary: `${bytes.length} bytes of ${format} audio` };
}

async function image(probe: Probe, ctx: ProbeContext): Promise<ProbeVerdict> {
  const { answer, problem } = await send(ctx, probe.key, requestFor(ctx, probe, 'images'), 'image generation');
  if (!answer) return { problems: [problem!] };
  const { problems, body } = jsonSuccess(answer, 'images', ctx);
  const item = body?.data?.[0];
  if (item && typeof item.b64_json === 'string') problems.push(...checkImageB64(item.b64_json));
  else if (item && typeof item.url !== 'string') problems.push('data[0] has neither b64_json nor url');
  return { problems, summary: 'an image came back' };
}

/**
 * A chat completion names the model it answered with: it must be a published name the key may use (the one
 * asked for, or another on its allowlist), never a raw provider model id behind the alias.
 */
export const modelNames: ProbeKind = {
  describe: 'completes a chat and reads which model the answer names, which ',
  requests: () => 1,
  async run(probe, ctx) {
    const key = keyOf(ctx, probe.key);
    const request = requestFor(ctx, probe, probe.route);
    const { answer, problem } = await send(ctx, probe.key, request, 'chat completion, reading its model');
    if (!answer) return { problems: [problem!] };
    const { problems, body } = jsonSuccess(answer, probe.route, ctx);
    const named = body?.model;
    const asked = (request.json as { model?: string }).model;
    if (body && typeof named === 'string' && !key?.models.includes(named)) problems.push(`the completion names model "${named}", which is not a published name of this key (asked for "${asked}"): a raw provider model id is exposed`);
    return { problems, summary: `the completion names ${JSON.stringify(named)}, a published name of the key` };
  },
};

/** Any other route: its request from the contract, its answer checked against the contract's schema. */
async function contractCall(probe: Probe, ctx: ProbeContext): Promise<ProbeVerdict> {
  const request = requestFor(ctx, probe, probe.route);
  const { answer, problem } = await send(ctx, probe.key, request, `${request.method} ${request.path}`);
  if (!answer) return { problems: [problem!] };
  const { problems, strictNotes } = jsonSuccess(answer, probe.route, ctx);
  return { problems, strictNotes, summary: 'answered as the contract says' };
}

/** The harness's own call of each OpenAI-shaped route; the routes that send two requests say so. */
const httpCalls: Record<string, { run: (probe: Probe, ctx: ProbeContext) => Promise<ProbeVerdict>; requests: number }> = {
  models: { run: listModels, requests: 1 },
  chat: { run: chat, requests: 2 }, // plain and streamed
  embeddings: { run: embeddings, requests: 2 }, // float and base64
  transcriptions: { run: transcription, requests: 1 },
  speech: { run: speech, requests: 1 },
  images: { run: image, requests: 1 },
};

/** The same route through a real client library, with its own defaults. */
async function driverCall(probe: Probe, ctx: ProbeContext): Promise<ProbeVerdict> {
  const key = keyOf(ctx, probe.key);
  const model = modelFor(ctx, probe.key, probe.route) ?? '';
  const driver = await ctx.driver(probe.driver, probe.key, ctx.exchanges, { aiSdkProvider: probe.params?.aiSdkProvider, priority: ctx.priority });
  const faker = fakerFor(ctx, probe.id);
  try {
    switch (probe.route) {
      case 'models': {
        const ids = await driver.listModels();
        // where the target file does not give the whole allowlist, only a name the key must not see is known to be outside it
        const gap = key && allowlistGap(key);
        const outside = ids.filter((id: string) => (gap ? key!.hidden_models.includes(id) : !key?.models.includes(id)));
        const problems = outside.length ? [`${probe.driver} listed names outside the allowlist: ${namesInWords(outside)}`] : [];
        return { problems, summary: `${probe.driver} listed ${ids.length} models`, ...(gap ? { notExercised: gap } : {}) };
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
        return { problems: vectorsDiffer(vectors, expected, probe.driver), summary: `${probe.driver} vectors equal the float answer` };
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
    const spent = budgetSpentIn(err);
    if (spent) throw spent;
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

export const call: ProbeKind = {
  describe: '',
  async run(probe, ctx) {
    if (probe.driver !== 'http') return driverCall(probe, ctx);
    if (probe.params?.profile) return profileCall(probe, ctx);
    return (httpCalls[probe.route]?.run ?? contractCall)(probe, ctx);
  },
  requests(probe) {
    // An SDK's chat sends plain and streamed; its embeddings one call plus the float reference request.
    if (probe.driver !== 'http') return probe.route === 'embeddings' || probe.route === 'chat' ? 2 : 1;
    if (probe.params?.profile) return 2; // the product's validation call (where it has one) and its request
    return httpCalls[probe.route]?.requests ?? 1;
  },
};
