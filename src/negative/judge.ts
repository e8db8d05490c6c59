// Judging one answer to a generated case by its expectation:
// - refused: one of the kind's statuses (400/422, 413 for a body over the limit, 415 for a wrong content
//   type) with the OpenAI-shaped error body; never 2xx, never 5xx (src/checks/errors.ts);
// - robust (a value the schema allows but no tenant needs to serve, such as a 100 000-character string):
//   never 5xx; a 2xx is judged as a success, a 4xx as a refusal;
// - success: a documented 2xx valid against the contract (src/checks/answers.ts), a stream through
//   src/checks/sse.ts, the required response headers, a non-JSON answer in a documented media type.
import { checkSuccess } from '../checks/answers.ts';
import { contractValidator } from '../checks/contract-validator.ts';
import { checkDenial } from '../checks/errors.ts';
import { checkChatStream, readSse } from '../checks/sse.ts';
import { headerValue } from '../http/headers.ts';
import type { RouteSpec } from '../model.ts';

export type Expectation = 'refused' | 'robust' | 'success';

/** What the caller's HTTP client returns; the harness's HttpAnswer is one. */
export interface NegativeAnswer {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  /** the body; empty when `stream` is set */
  bytes: Uint8Array;
  /** a 200 to a streamed request: read it to the end or break out of it */
  stream?: AsyncIterable<Uint8Array>;
}

export interface JudgeOptions {
  /** searched for in error bodies (never printed) */
  secrets?: readonly string[];
  streamIdleMs?: number;
  streamDeadlineMs?: number;
}

export interface Verdict {
  problems: string[];
  /** a 429 the client's retries did not get past: the case says nothing about the route */
  rateLimited?: boolean;
  /** the answer stopped coming (a stream idle past its time or its deadline, or broken): the route, not the case, is at fault */
  stalled?: boolean;
}

/** Words for an expectation, as a report shows them. */
export function expectationText(expect: Expectation, statuses: readonly number[]): string {
  if (expect === 'refused') return `refused with ${statuses.join(', ')} and an OpenAI-shaped error body; never 2xx, never 5xx`;
  if (expect === 'robust') return `never 5xx: a 2xx valid against the contract, or ${statuses.join(', ')} with an error body`;
  return 'success, the answer valid against the contract';
}

const mediaType = (contentType: string) => contentType.split(';')[0].trim().toLowerCase();

function mediaMatches(documented: readonly string[], contentType: string): boolean {
  const actual = mediaType(contentType);
  return documented.some((d) => d === actual || (d.endsWith('/*') && actual.startsWith(d.slice(0, -1))));
}

async function drain(stream: AsyncIterable<Uint8Array> | undefined): Promise<void> {
  if (!stream) return;
  // Leaving the loop at once releases the connection without reading a body nobody judges.
  for await (const _chunk of stream) break;
}

async function successProblems(route: RouteSpec, answer: NegativeAnswer, opts: JudgeOptions): Promise<Verdict> {
  const validator = contractValidator();
  if (answer.status < 200 || answer.status > 299) {
    await drain(answer.stream);
    return { problems: checkSuccess(route.operation_id, answer.status, answer.contentType, answer.bytes, validator).problems };
  }
  const documented = validator.responseFor(route.operation_id, answer.status);
  if (!documented) {
    await drain(answer.stream);
    return { problems: [`answered ${answer.status}, which the contract does not document for ${route.operation_id}`] };
  }
  const problems = documented.requiredHeaders.filter((h) => !headerValue(answer.headers, h)).map((h) => `the answer has no ${h} header`);
  if (answer.stream) {
    const sse = await readSse(answer.stream, { idleTimeoutMs: opts.streamIdleMs ?? 10_000, deadlineMs: opts.streamDeadlineMs ?? 30_000 });
    const stalled = sse.ended === 'idle-timeout' || sse.ended === 'deadline' || !!sse.error;
    return { problems: [...problems, ...checkChatStream(answer.contentType, sse, validator).map((p) => `stream: ${p}`)], ...(stalled ? { stalled } : {}) };
  }
  if (documented.schema) return { problems: [...problems, ...checkSuccess(route.operation_id, answer.status, answer.contentType, answer.bytes, validator).problems] };
  if (!mediaMatches(documented.mediaTypes, answer.contentType)) {
    problems.push(`content type is ${answer.contentType ? `"${answer.contentType}"` : 'missing'}, expected ${documented.mediaTypes.join(' or ')}`);
  }
  return { problems };
}

function refusalProblems(answer: NegativeAnswer, statuses: readonly number[], opts: JudgeOptions): string[] {
  return checkDenial(answer.status, statuses, answer.contentType, answer.bytes, opts.secrets).problems;
}

/** The problems of one answer to a case with this expectation; empty when it is as the contract says. */
export async function judgeAnswer(route: RouteSpec, expect: Expectation, statuses: readonly number[], answer: NegativeAnswer, opts: JudgeOptions = {}): Promise<Verdict> {
  if (answer.status === 429) {
    await drain(answer.stream);
    return { problems: [`answered 429 after the client's retries: rate limited, not judged`], rateLimited: true };
  }
  if (expect === 'success') return successProblems(route, answer, opts);
  if (expect === 'robust' && answer.status >= 200 && answer.status < 300) return successProblems(route, answer, opts);
  await drain(answer.stream);
  return { problems: refusalProblems(answer, statuses, opts) };
}
