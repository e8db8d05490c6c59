// How probes read a tenant's answers: a JSON success checked against the contract, and a chat event stream.
import type { HttpAnswer } from '../http/client.ts';
import { contractValidator } from '../checks/contract-validator.ts';
import { checkSuccess } from '../checks/answers.ts';
import { checkChatStream, readSse } from '../checks/sse.ts';
import { routeOf, type ProbeContext } from './context.ts';

/** Problems with a JSON success answer of a route, checked against the contract; its parsed body when it has one. */
export function jsonSuccess(answer: HttpAnswer, routeId: string, ctx: ProbeContext): { problems: string[]; strictNotes: string[]; body?: any } {
  if (answer.truncated) {
    return { problems: [`answered ${answer.status} with a body larger than ${answer.bytes.byteLength} bytes, the most the harness reads: it was cut there and not checked`], strictNotes: [] };
  }
  const outcome = checkSuccess(routeOf(ctx, routeId).operation_id, answer.status, answer.contentType, answer.bytes);
  return { problems: outcome.problems, strictNotes: outcome.strictNotes, body: outcome.value };
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
