// Every probe kind by name: what a probe of that kind sends and how it judges the answers.
// The name is typed (ProbeKindName in src/model.ts), so the plan can only ask for a kind that exists.
import type { ProbeKindName } from '../model.ts';
import type { ProbeKind } from './context.ts';
import { call, modelNames } from './call.ts';
import { badRequest, denied, foreignConversation, foreignDataset, hiddenModel, lowercaseBearer, unauthorized, unknownConversation } from './refusals.ts';
import { conversationTurns, createConversation, failedUpload, poll, upload } from './lifecycle.ts';
import { documentedCall, served } from './findings.ts';
import { negative } from './negative.ts';

export const PROBE_KINDS: Readonly<Record<ProbeKindName, ProbeKind>> = {
  call,
  denied,
  unauthorized,
  'lowercase-bearer': lowercaseBearer,
  'hidden-model': hiddenModel,
  'foreign-dataset': foreignDataset,
  'foreign-conversation': foreignConversation,
  'unknown-conversation': unknownConversation,
  'bad-request': badRequest,
  create: createConversation,
  upload,
  poll,
  'failed-upload': failedUpload,
  conversation: conversationTurns,
  served,
  'documented-call': documentedCall,
  negative,
  'model-names': modelNames,
};

export type { ProbeContext, ProbeEnvironment, ProbeKind, ProbeVerdict } from './context.ts';
