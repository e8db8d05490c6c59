// A product's own requests, replayed from its client profile (fixtures/clients): its validation call and the
// request it sends for the route, judged by what that product needs back, not by a generic client's needs.
import type { Probe } from '../model.ts';
import type { HttpAnswer } from '../http/client.ts';
import { profileById } from '../clients/load.ts';
import { buildClientRequest, checkClientAnswer, checkValidationAnswer, validationCall, wouldRetry, type ClientRequest } from '../clients/replay.ts';
import type { ClientProfile } from '../clients/profile.ts';
import { checkModelList } from '../checks/answers.ts';
import { allowlistGap } from '../targets/capabilities.ts';
import { checkEmbeddingOrder } from '../checks/embeddings.ts';
import { contractValidator } from '../checks/contract-validator.ts';
import { fakerFor, keyOf, modelFor, send, type ProbeContext, type ProbeVerdict } from './context.ts';
import { jsonSuccess, readChatStream } from './answers.ts';
import { createdName, shortPrompt } from '../contract/requests.ts';

function asRouteRequest(request: ClientRequest) {
  return { method: request.method, path: request.path, headers: request.headers, json: request.json, multipart: request.multipart, stream: request.stream };
}

/** A 429 the product would not retry is the product's failure; one it would retry was retried by the client. */
function rateLimitProblem(profile: ClientProfile, answer: HttpAnswer): string | undefined {
  if (answer.status !== 429) return undefined;
  const decision = wouldRetry(profile, 429, answer.headers['retry-after']);
  return decision.retry ? `429 after the retries ${profile.title} would make` : decision.reason;
}

async function streamedAnswer(ctx: ProbeContext, profile: ClientProfile, request: ClientRequest, answer: HttpAnswer): Promise<string[]> {
  if (!answer.stream) return [`${profile.title}'s streamed request answered ${answer.status} without a stream`];
  const sse = await readChatStream(answer.stream, ctx);
  const problems: string[] = [];
  const validator = contractValidator();
  for (const data of sse.events.filter((e) => e.trim() !== '[DONE]')) {
    try {
      problems.push(...validator.validateBody('ChatCompletionChunk', JSON.parse(data)).map((p) => `stream chunk: ${p}`));
    } catch {
      problems.push(`stream chunk is not JSON: ${data.slice(0, 80)}`);
    }
    if (problems.length) break;
  }
  if (sse.error) problems.push(`the stream broke: ${sse.error}`);
  if (sse.ended === 'limit') problems.push(`the stream was not read to its end: ${sse.limit}`);
  if (sse.ended === 'limit') problems.push(`the stream was not read to its end: ${sse.limit}`);
  const text = sse.events.map((e) => `data: ${e}\n\n`).join('');
  problems.push(...checkClientAnswer(profile, request, { status: answer.status, headers: answer.headers, body: text, streamed: true }));
  return problems;
}

export async function profileCall(probe: Probe, ctx: ProbeContext): Promise<ProbeVerdict> {
  const profile = profileById(String(probe.params?.profile));
  if (!profile) return { problems: [`no client profile "${String(probe.params?.profile)}" in fixtures/clients`] };
  const key = keyOf(ctx, probe.key);
  const model = modelFor(ctx, probe.key, probe.route) ?? '';
  const faker = fakerFor(ctx, probe.id);
  const problems: string[] = [];
  const strictNotes: string[] = [];
  const done: string[] = [];

  const validation = validationCall(profile, { model });
  if (validation && validation.route === probe.route) {
    const sent = await send(ctx, probe.key, asRouteRequest(validation), `${profile.title}: validation call`);
    if (!sent.answer) return { problems: [sent.problem!] };
    let body: unknown;
    try {
      body = sent.answer.json();
    } catch {
      body = undefined;
    }
    problems.push(...[rateLimitProblem(profile, sent.answer)].filter((p): p is string => !!p), ...checkValidationAnswer(profile, sent.answer.status, body));
    done.push('validation call accepted');
  }

  const request = buildClientRequest(profile, probe.route, { model, text: shortPrompt(faker), inputs: [faker.lorem.words(3), faker.lorem.words(4)], user: `user-${faker.string.alphanumeric(8)}`, maxTokens: 16, file: { filename: createdName(ctx.runId, 'probe.txt'), contentType: 'text/plain', bytes: new TextEncoder().encode('conformance probe\n') } });
  const sent = await send(ctx, probe.key, asRouteRequest(request), `${profile.title}: ${probe.route}`);
  if (!sent.answer) return { problems: [...problems, sent.problem!] };
  const answer = sent.answer;
  const limited = rateLimitProblem(profile, answer);
  if (limited) return { problems: [...problems, limited] };
  if (request.stream) {
    if (answer.status !== 200) return { problems: [...problems, `${profile.title}'s streamed ${probe.route} answered ${answer.status}: ${answer.text().slice(0, 200)}`] };
    problems.push(...(await streamedAnswer(ctx, profile, request, answer)));
  } else {
    const judged = jsonSuccess(answer, probe.route, ctx);
    problems.push(...judged.problems);
    strictNotes.push(...judged.strictNotes);
    if (judged.body !== undefined) {
      problems.push(...checkClientAnswer(profile, request, { status: answer.status, headers: answer.headers, body: judged.body, streamed: false }));
      if (probe.route === 'models' && key) problems.push(...checkModelList(judged.body, key.models, key.hidden_models, !allowlistGap(key)));
      if (probe.route === 'embeddings') problems.push(...checkEmbeddingOrder(judged.body, (request.json?.input as unknown[] | undefined)?.length ?? 1));
    }
  }
  done.push(`${request.method} ${request.path}${request.stream ? ' streamed' : ''} as ${profile.title} sends it`);
  return { problems, strictNotes, summary: done.join('; ') };
}
