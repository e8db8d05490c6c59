// The GT extensions with state: conversation bootstrap and continuity, uploads, and polling to a terminal state.
import type { Probe } from '../model.ts';
import { pollFile } from '../checks/file-status.ts';
import { checkConversationCreated } from '../checks/answers.ts';
import { fixtureFile, fillPath } from './requests.ts';
import { CONVERSATION_HEADER } from '../contract/load.ts';
import { headerValue } from '../http/headers.ts';
import { jsonSuccess } from './actions-call.ts';
import { requestFor, routeOf, send, type Action, type ActionOutcome, type ProbeContext } from './actions.ts';

const createConversation: Action = async (probe, ctx) => {
  const { answer, problem } = await send(ctx, probe.key, requestFor(ctx, probe, 'conversations'), 'bootstrap a conversation');
  if (!answer) return { problems: [problem!] };
  const created = checkConversationCreated(answer.status, answer.headers, answer.contentType, answer.bytes);
  const conversationId = created.conversationId;
  return { problems: created.problems, strictNotes: created.strictNotes, summary: `conversation ${conversationId} created`, output: conversationId ? { conversationId } : undefined };
};

const upload: Action = async (probe, ctx) => {
  const { answer, problem } = await send(ctx, probe.key, requestFor(ctx, probe, probe.route), `upload into ${probe.route === 'dataset-files' ? 'a dataset' : 'a conversation'}`);
  if (!answer) return { problems: [problem!] };
  const { problems, body } = jsonSuccess(answer, probe.route, ctx);
  if (body && typeof body.id !== 'string' && typeof body.id !== 'number') problems.push('the answer has no file id to poll');
  return { problems, summary: `file ${body?.id} stored`, output: body?.id !== undefined ? { fileId: String(body.id) } : undefined };
};

function pollerFor(ctx: ProbeContext, probe: Probe) {
  return async (path: string) => {
    const { answer, problem } = await send(ctx, probe.key, { method: 'GET', path }, `poll ${path}`);
    if (!answer) throw new Error(problem);
    const text = await answer.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // left as text: the poller reports a body that is not JSON
    }
    return { status: answer.status, headers: answer.headers, body };
  };
}

async function pollToTerminal(ctx: ProbeContext, probe: Probe, fileId: string, expectTerminal: 'ready' | 'failed'): Promise<ActionOutcome> {
  const route = routeOf(ctx, 'file-status');
  const paths = [route.path, ...(route.aliases ?? [])].map((p) => fillPath(p, fileId));
  const deadlineMs = Math.max(0, Math.min(ctx.pollDeadlineMs, ctx.deadline - Date.now()));
  const result = await pollFile(pollerFor(ctx, probe), fileId, { paths, deadlineMs, runDeadline: ctx.deadline, initialDelayMs: 100, maxDelayMs: 2_000, expectTerminal });
  const problems = [...result.problems];
  if (result.final !== expectTerminal && problems.length === 0) problems.push(`expected ${expectTerminal}, ended ${result.final}`);
  const seen = [...new Set(result.history.map((h) => h.fileStatus))].join(' → ');
  return { problems, summary: `${fileId}: ${seen} on ${paths.join(' and ')}`, strictNotes: result.strictNotes };
}

const poll: Action = async (probe, ctx) => {
  const fileId = ctx.inputs.fileId as string | undefined;
  if (!fileId) return { problems: ['the upload this poll depends on returned no file id'] };
  return pollToTerminal(ctx, probe, fileId, 'ready');
};

/** An undecodable file must be refused at upload (400/422) or end `failed` with a reason, never `ready`. */
const failedUpload: Action = async (probe, ctx) => {
  const request = requestFor(ctx, probe, 'dataset-files');
  request.multipart = { fields: {}, files: [{ field: 'file', filename: 'undecodable.pdf', contentType: 'application/pdf', bytes: fixtureFile('undecodable.pdf') }] };
  const { answer, problem } = await send(ctx, probe.key, request, 'upload an undecodable file');
  if (!answer) return { problems: [problem!] };
  if (answer.status === 400 || answer.status === 422) return { problems: [], summary: `refused at upload: ${answer.status}`, strictNotes: ['the undecodable file was refused at upload, so the failed state was not observed'] };
  const { problems, body } = jsonSuccess(answer, 'dataset-files', ctx);
  if (problems.length || !body?.id) return { problems: problems.length ? problems : ['the answer has no file id'] };
  return pollToTerminal(ctx, probe, String(body.id), 'failed');
};

/** Two turns bound to one conversation: both answered, the conversation id kept. */
const conversationTurns: Action = async (probe, ctx) => {
  const conversationId = ctx.inputs.conversationId as string | undefined;
  if (!conversationId) return { problems: ['the bootstrap this depends on returned no conversation id'] };
  const problems: string[] = [];
  const strictNotes: string[] = [];
  for (const turn of [1, 2]) {
    const { answer, problem } = await send(ctx, probe.key, requestFor(ctx, probe, 'chat', { conversationId }), `conversation turn ${turn}`);
    if (!answer) return { problems: [problem!] };
    const result = jsonSuccess(answer, 'chat', ctx);
    problems.push(...result.problems.map((p) => `turn ${turn}: ${p}`));
    const echoed = headerValue(answer.headers, CONVERSATION_HEADER);
    if (echoed !== undefined && echoed !== conversationId) problems.push(`turn ${turn}: answered for conversation ${echoed}, not ${conversationId}`);
    if (echoed === undefined) strictNotes.push(`turn ${turn}: the answer does not echo ${CONVERSATION_HEADER}`);
  }
  return { problems, strictNotes, summary: `two turns in conversation ${conversationId}` };
};

export const lifecycleActions: Record<string, Action> = {
  create: createConversation,
  upload,
  poll,
  'failed-upload': failedUpload,
  conversation: conversationTurns,
};
