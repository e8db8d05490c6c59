// The registry: every check kind, in the order a product's checks are listed. Adding a kind is one module
// and one line here; the planner (src/plan) loops over these lists and knows no kind by name.
import type { ChecklistKind, CheckKind, ProductKind, RouteKind, RowKind } from './kind.ts';
import { works } from './row/works.ts';
import { deniedWithoutScope } from './row/denied-without-scope.ts';
import { presetDenied } from './row/preset-denied.ts';
import { worksWithScope } from './row/works-with-scope.ts';
import { modelsMatchAllowlist } from './checklist/models-match-allowlist.ts';
import { chatWithAlias } from './checklist/chat-with-alias.ts';
import { embeddingsWithAlias } from './checklist/embeddings-with-alias.ts';
import { streamReachesClient } from './checklist/stream-reaches-client.ts';
import { uploadReachesReady } from './checklist/upload-reaches-ready.ts';
import { conversationUploadReady } from './checklist/conversation-upload-ready.ts';
import { conversationContinuity } from './checklist/conversation-continuity.ts';
import { revokedKeyFailsClosed } from './checklist/revoked-key-fails-closed.ts';
import { chatHidesProviderIds } from './checklist/chat-hides-provider-ids.ts';
import { malformedKey, noKey, revokedKey, unknownKey } from './cross-cutting/authentication.ts';
import { uploadKey } from './cross-cutting/upload-key.ts';
import { lowercaseBearer } from './cross-cutting/lowercase-bearer.ts';
import { modelNotAllowlisted } from './cross-cutting/model-not-allowlisted.ts';
import { malformedJson } from './cross-cutting/malformed-json.ts';
import { missingField } from './cross-cutting/missing-field.ts';
import { foreignConversation, unknownConversation } from './cross-cutting/conversation-refusals.ts';
import { bootstrap, inferenceKeyDenied } from './cross-cutting/conversation-bootstrap.ts';
import { datasetNotAllowlisted, undecodableFile } from './cross-cutting/dataset-uploads.ts';
import { missingHeader } from './cross-cutting/missing-header.ts';
import { foreignFile } from './cross-cutting/foreign-file.ts';
import { negative } from './cross-cutting/negative.ts';
import { runbookFinding } from './product/findings.ts';
import { documentedCall } from './product/documented-call.ts';

/** Per runbook route row. */
export const ROW_KINDS: readonly RowKind[] = [works, deniedWithoutScope, presetDenied, worksWithScope];

/** Per machine-checkable checklist item. */
export const CHECKLIST_KINDS: readonly ChecklistKind[] = [
  modelsMatchAllowlist,
  chatWithAlias,
  embeddingsWithAlias,
  streamReachesClient,
  uploadReachesReady,
  conversationUploadReady,
  conversationContinuity,
  revokedKeyFailsClosed,
  chatHidesProviderIds,
];

/** Per runbook, after its rows and checklist. */
export const PRODUCT_KINDS: readonly ProductKind[] = [runbookFinding, documentedCall];

/** Per contract route, once per run. */
export const ROUTE_KINDS: readonly RouteKind[] = [
  noKey,
  malformedKey,
  unknownKey,
  revokedKey,
  uploadKey,
  lowercaseBearer,
  modelNotAllowlisted,
  malformedJson,
  missingField,
  foreignConversation,
  unknownConversation,
  bootstrap,
  inferenceKeyDenied,
  datasetNotAllowlisted,
  undecodableFile,
  missingHeader,
  foreignFile,
  negative,
];

export const CHECK_KINDS: readonly CheckKind[] = [...ROW_KINDS, ...CHECKLIST_KINDS, ...PRODUCT_KINDS, ...ROUTE_KINDS];

/** A kind by the name a check records (Check.kind). */
export function kindNamed(name: string): CheckKind | undefined {
  return CHECK_KINDS.find((k) => k.name === name);
}
