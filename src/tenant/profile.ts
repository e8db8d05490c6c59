// The choices the tenant makes on the points GT-API.md leaves open.
// `default` is the tenant as the harness expects it most often; `tolerant` makes the other
// allowed choice everywhere, so the harness can prove it accepts both.

export type ProfileName = 'default' | 'tolerant';

export interface ProfileChoices {
  name: ProfileName;
  /** a model or dataset not on the key's allowlist */
  notAllowedStatus: 403 | 404;
  /** a conversation or file of another family, or an unknown conversation id */
  otherFamilyStatus: 403 | 404;
  /** malformed JSON, a missing required field, R9 without its header */
  badRequestStatus: 400 | 422;
  /** the two non-terminal upload states, in order */
  pendingStates: [string, string];
  /** an empty file uploaded (GT documents no content that must fail): accepted and ended failed, or refused at upload */
  emptyUpload: 'failed' | 'refused';
  /** where a failed file carries its reason */
  failureReason: 'reason' | 'error.message';
  /** success status of R7, R8 and R9 */
  createdStatus: { conversations: number; uploads: number };
  /** an upload key on GET /v1/models */
  uploadKeyOnModels: 'forbidden' | 'empty-list';
  /** error.code: a string, or always null */
  errorCodes: 'string' | 'null';
  /** also answer the routes without the /v1 prefix */
  servesWithoutV1: boolean;
  /** the first request of each key to each route is answered 429 with Retry-After: 1 */
  firstRequestRateLimited: boolean;
  /** a file still in progress says when to look again (retry-after-ms); GT documents no such hint */
  processingHint: boolean;
}

const profiles: Record<ProfileName, ProfileChoices> = {
  default: {
    name: 'default',
    notAllowedStatus: 403,
    otherFamilyStatus: 404,
    badRequestStatus: 400,
    pendingStates: ['uploaded', 'processing'],
    emptyUpload: 'failed',
    failureReason: 'reason',
    createdStatus: { conversations: 201, uploads: 201 },
    uploadKeyOnModels: 'forbidden',
    errorCodes: 'string',
    servesWithoutV1: false,
    firstRequestRateLimited: false,
    processingHint: true,
  },
  tolerant: {
    name: 'tolerant',
    notAllowedStatus: 404,
    otherFamilyStatus: 403,
    badRequestStatus: 422,
    pendingStates: ['queued', 'indexing'],
    emptyUpload: 'refused',
    failureReason: 'error.message',
    createdStatus: { conversations: 200, uploads: 202 },
    uploadKeyOnModels: 'empty-list',
    errorCodes: 'null',
    servesWithoutV1: true,
    firstRequestRateLimited: true,
    processingHint: false,
  },
};

export function profileChoices(name: ProfileName = 'default'): ProfileChoices {
  const choices = profiles[name];
  if (!choices) throw new Error(`unknown tenant profile "${name}"; profiles: ${Object.keys(profiles).join(', ')}`);
  return choices;
}
