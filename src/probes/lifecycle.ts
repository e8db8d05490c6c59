// The GT extensions with state: conversation bootstrap and continuity, uploads, and polling to a terminal state.
import { readFileSync } from 'node:fs';
import type { Probe } from '../model.ts';
import { pollFile } from '../checks/file-status.ts';
import { checkConversationCreated } from '../checks/answers.ts';
import { createdName, fixtureFile, fillPath } from '../contract/requests.ts';
import { CONVERSATION_HEADER } from '../contract/load.ts';
import { headerValue } from '../http/headers.ts';
import { jsonSuccess } from './answers.ts';
import { BudgetSpent } from './budget.ts';
import { requestFor, routeOf, send, type ProbeContext, type ProbeKind, type ProbeVerdict } from './context.ts';

/** Rounds a poll typically takes on both status paths (for the estimate only). */
const POLL_ROUNDS = 6;

export const createConversation: ProbeKind = {
  describe: 'bootstraps a conversation, which ',
  requests: () => 1,
  async run(probe, ctx) {
    const { answer, problem } = await send(ctx, probe.key, requestFor(ctx, probe, probe.route), 'bootstrap a conversation');
    if (!answer) return { problems: [problem!] };
    const created = checkConversationCreated(answer.status, answer.headers, answer.contentType, answer.bytes);
    const conversationId = created.conversationId;
    return { problems: created.problems, strictNotes: created.strictNotes, summary: `conversation ${conversationId} created`, output: conversationId ? { conversationId } : undefined };
  },
};

export const upload: ProbeKind = {
  describe: 'uploads a small file, which ',
  requests: () => 1,
  async run(probe, ctx) {
    const into = routeOf(ctx, probe.route).conversation === 'required' ? 'a conversation' : 'a dataset';
    const { answer, problem } = await send(ctx, probe.key, requestFor(ctx, probe, probe.route), `upload into ${into}`);
    if (!answer) return { problems: [problem!] };
    const { problems, body } = jsonSuccess(answer, probe.route, ctx);
    if (body && typeof body.id !== 'string' && typeof body.id !== 'number') problems.push('the answer has no file id to poll');
    return { problems, summary: `file ${body?.id} stored`, output: body?.id !== undefined ? { fileId: String(body.id) } : undefined };
  },
};

/** The poller pollFile calls; a spent budget is kept aside so that the poll ends as not run, not as a failure. */
function pollerFor(ctx: ProbeContext, probe: Probe, stopped: { by?: BudgetSpent }) {
  return async (path: string) => {
    const { answer, problem } = await send(ctx, probe.key, { method: 'GET', path }, `poll ${path}`).catch((err: unknown) => {
      if (err instanceof BudgetSpent) stopped.by = err;
      throw err;
    });
    if (!answer) throw new Error(problem);
    const text = answer.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // left as text: the poller reports a body that is not JSON
    }
    return { status: answer.status, headers: answer.headers, body };
  };
}

/** Polls the route that reads files back (and its aliases) until the file is terminal; `expectTerminal` absent: either. */
async function pollToTerminal(ctx: ProbeContext, probe: Probe, fileId: string, expectTerminal?: 'ready' | 'failed'): Promise<ProbeVerdict & { final?: string }> {
  const route = ctx.contract.routes.find((r) => r.reads === 'file');
  if (!route) return { problems: ['the contract has no route that reads a file back'] };
  const paths = [route.path, ...(route.aliases ?? [])].map((p) => fillPath(p, fileId));
  const deadlineMs = Math.max(0, Math.min(ctx.pollDeadlineMs, ctx.deadline - Date.now()));
  const stopped: { by?: BudgetSpent } = {};
  const result = await pollFile(pollerFor(ctx, probe, stopped), fileId, { paths, deadlineMs, runDeadline: ctx.deadline, initialDelayMs: 100, maxDelayMs: 2_000, expectTerminal });
  if (stopped.by) throw stopped.by;
  const problems = [...result.problems];
  const ended = expectTerminal ? result.final === expectTerminal : result.final === 'ready' || result.final === 'failed';
  if (!ended && problems.length === 0) problems.push(`expected ${expectTerminal ?? 'ready or failed'}, ended ${result.final}`);
  const seen = [...new Set(result.history.map((h) => h.fileStatus))].join(' → ');
  return { problems, summary: `${fileId}: ${seen} on ${paths.join(' and ')}`, strictNotes: result.strictNotes, final: result.final };
}

export const poll: ProbeKind = {
  describe: 'polls the upload on both status paths until it ',
  waits: true,
  requests: () => POLL_ROUNDS,
  async run(probe, ctx) {
    const fileId = ctx.inputs.fileId as string | undefined;
    if (!fileId) return { problems: ['the upload this poll depends on returned no file id'] };
    return pollToTerminal(ctx, probe, fileId, 'ready');
  },
};

/** A refusal of the file itself: a 4xx that is not about the key, the dataset or the request rate. */
const refusesTheFile = (status: number) => status >= 400 && status < 500 && ![401, 403, 404, 429].includes(status);

/** What the probe uploads: the target's failing_upload sample, else an empty file. */
function failingFile(ctx: ProbeContext): { filename: string; contentType: string; bytes: Uint8Array; what: string } {
  const sample = ctx.target.failingUpload;
  if (!sample) return { filename: 'empty.txt', contentType: 'text/plain', bytes: fixtureFile('empty.txt'), what: 'an empty file' };
  return { filename: sample.filename, contentType: sample.contentType, bytes: new Uint8Array(readFileSync(sample.file)), what: `the failing_upload sample ${sample.filename}` };
}

/**
 * A file that must fail is refused at upload (a 4xx) or ends `failed` with a reason, never `ready`; where the
 * sample says which of the two, that one. An empty file (no sample) that ends `ready` shows neither: the check
 * is not exercised, and asks for a sample, since GT documents no content that must fail processing.
 */
export const failedUpload: ProbeKind = {
  describe: 'uploads a file that must fail (the failing_upload sample, else an empty file), which ',
  waits: true,
  requests: () => 1 + POLL_ROUNDS,
  async run(probe, ctx) {
    const sample = ctx.target.failingUpload;
    const source = ctx.target.kind === 'live' ? 'target file' : 'tenant seed';
    const file = failingFile(ctx);
    const request = requestFor(ctx, probe, probe.route);
    request.multipart = { fields: {}, files: [{ field: 'file', filename: createdName(ctx.runId, file.filename), contentType: file.contentType, bytes: file.bytes }] };
    const { answer, problem } = await send(ctx, probe.key, request, `upload ${file.what}`);
    if (!answer) return { problems: [problem!] };
    if (refusesTheFile(answer.status)) {
      if (sample?.expect === 'failed') return { problems: [`${file.what} was refused at upload (${answer.status}); the ${source} says it is accepted and ends failed`] };
      const strictNotes = sample?.expect ? [] : [`${file.what} was refused at upload, so the failed state was not observed`];
      return { problems: [], summary: `${file.what} refused at upload: ${answer.status}`, strictNotes };
    }
    const { problems, body } = jsonSuccess(answer, probe.route, ctx);
    if (problems.length || body?.id === undefined) return { problems: problems.length ? problems : ['the answer has no file id'] };
    if (sample?.expect === 'refused') return { problems: [`${file.what} was accepted (${answer.status}); the ${source} says it is refused at upload`] };
    const polled = await pollToTerminal(ctx, probe, String(body.id));
    if (polled.final !== 'ready' || polled.problems.length) return polled;
    if (sample) return { ...polled, problems: [`${file.what} ended ready; the ${source} says this tenant ${sample.expect === 'failed' ? 'fails it' : 'refuses or fails it'}`] };
    return {
      ...polled,
      notExercised: `the tenant processed an empty file to ready, so neither a refusal nor a failed file with its reason was seen: add a failing_upload sample (a file this tenant refuses or fails) to the ${source}`,
    };
  },
};

/** Two turns bound to one conversation: both answered, the conversation id kept. */
export const conversationTurns: ProbeKind = {
  describe: 'chats twice in one conversation, which ',
  requests: () => 2,
  async run(probe, ctx) {
    const conversationId = ctx.inputs.conversationId as string | undefined;
    if (!conversationId) return { problems: ['the bootstrap this depends on returned no conversation id'] };
    const problems: string[] = [];
    const strictNotes: string[] = [];
    for (const turn of [1, 2]) {
      const { answer, problem } = await send(ctx, probe.key, requestFor(ctx, probe, probe.route, { conversationId }), `conversation turn ${turn}`);
      if (!answer) return { problems: [problem!] };
      const result = jsonSuccess(answer, probe.route, ctx);
      problems.push(...result.problems.map((p) => `turn ${turn}: ${p}`));
      const echoed = headerValue(answer.headers, CONVERSATION_HEADER);
      if (echoed !== undefined && echoed !== conversationId) problems.push(`turn ${turn}: answered for conversation ${echoed}, not ${conversationId}`);
      if (echoed === undefined) strictNotes.push(`turn ${turn}: the answer does not echo ${CONVERSATION_HEADER}`);
    }
    return { problems, strictNotes, summary: `two turns in conversation ${conversationId}` };
  },
};
