// R8 POST /v1/datasets/{id}/files, R9 POST /v1/conversations/files, R10 GET /v1/files/{id} (alias /v1/uploads/{id}).
import type { RequestContext, RouteHandler } from '../context.ts';
import { errors, sendJson } from '../http.ts';
import { DATASET_ID_PATTERN } from '../seed.ts';
import type { FileState, StoredFile } from '../store.ts';
import { CONVERSATION_HEADER } from '../../contract/load.ts';
import { filePart, readForm } from './validate.ts';

function statusName(ctx: RequestContext, state: FileState): string {
  const [first, second] = ctx.rt.profile.pendingStates;
  return state === 'pending-1' ? first : state === 'pending-2' ? second : state;
}

/** The failure the ready-then-failed defect reports once a file was already served as ready. */
const LATE_FAILURE = 'indexing failed after the file was marked ready';

function fileObject(ctx: RequestContext, file: StoredFile, state: FileState) {
  const why = file.failure ?? LATE_FAILURE;
  const failed = state === 'failed' && !ctx.has('failed-without-reason')
    ? ctx.rt.profile.failureReason === 'reason' ? { reason: why } : { error: { message: why } }
    : {};
  return {
    id: file.id,
    object: 'file',
    filename: file.filename,
    bytes: file.bytes,
    status: statusName(ctx, state),
    created_at: Math.floor(file.uploadedAtMs / 1000),
    ...file.target,
    ...failed,
  };
}

async function storeUpload(ctx: RequestContext, target: StoredFile['target'], extraHeaders: Record<string, string> = {}) {
  const form = await readForm(ctx);
  const part = filePart(ctx, form);
  if (part.data.length === 0 && ctx.rt.profile.emptyUpload === 'refused') throw ctx.badRequest('the file is empty', 'empty_file');
  const file = ctx.rt.store.addFile({
    family: ctx.key.family,
    filename: part.filename || 'upload.bin',
    data: part.data,
    contentType: part.contentType ?? 'application/octet-stream',
    target,
  });
  sendJson(ctx.res, ctx.createdStatus('uploads'), fileObject(ctx, file, 'pending-1'), extraHeaders);
}

export const uploadDatasetFile: RouteHandler = async (ctx) => {
  const dataset = ctx.params.id ?? '';
  if (!DATASET_ID_PATTERN.test(dataset) || dataset === '.' || dataset === '..') {
    throw ctx.badRequest('dataset id must be letters, digits, ".", "_" or "-"', 'invalid_dataset_id');
  }
  const allowed = ctx.key.datasets.includes(dataset) || (ctx.has('dataset-allowlist-ignored') && ctx.rt.datasets.has(dataset));
  if (!allowed) throw errors.denied(ctx.rt.profile.notAllowedStatus, `dataset "${dataset}" is not available to this key`, 'dataset_not_allowed');
  await storeUpload(ctx, { dataset_id: dataset });
};

export const uploadConversationFile: RouteHandler = async (ctx) => {
  const id = ctx.header(CONVERSATION_HEADER)?.trim();
  let conversationId: string;
  if (id) conversationId = ctx.reachableConversation(id).id;
  else if (ctx.has('conversation-upload-no-header')) {
    conversationId = ctx.rt.store.createConversation(ctx.key.family, ctx.key.models[0] ?? '', null).id;
  } else throw ctx.badRequest(`header ${CONVERSATION_HEADER} is required`, 'missing_conversation_id');
  await storeUpload(ctx, { conversation_id: conversationId }, { [CONVERSATION_HEADER]: conversationId });
};

export const getFileStatus: RouteHandler = async (ctx) => {
  const file = ctx.rt.store.file(ctx.params.id ?? '');
  if (!file) throw errors.notFound('file not found', 'file_not_found');
  if (file.family !== ctx.key.family && !ctx.has('cross-family-file-visible')) {
    throw errors.denied(ctx.rt.profile.otherFamilyStatus, 'file not found for this key', 'file_not_found');
  }
  let state = ctx.rt.store.stateOf(file, ctx.rt.processingMs);
  if (ctx.has('upload-stuck-processing') && (state === 'ready' || state === 'failed')) state = 'pending-2';
  if (state === 'ready' && ctx.has('ready-regresses') && file.readyReads++ % 2 === 1) state = 'pending-2';
  if (state === 'ready' && ctx.has('ready-then-failed') && file.readyReads++ > 0) state = 'failed';
  const pending = state === 'pending-1' || state === 'pending-2';
  const remaining = ctx.rt.store.remainingMs(file, ctx.rt.processingMs);
  const hint: Record<string, string> = pending && ctx.rt.profile.processingHint && remaining > 0 ? { 'retry-after-ms': String(remaining) } : {};
  sendJson(ctx.res, 200, fileObject(ctx, file, state), hint);
};
