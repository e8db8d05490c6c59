// Defect catches several kinds share: what breaks any check that chats, embeds or uploads-and-polls
// the way its client does.
import type { CatchContext, DefectCatch } from './kind.ts';
import { mayNameAModel } from '../targets/capabilities.ts';
import { asksBase64, callsWith, checksOrder, needsDone, needsEventStream, readsChatObject, readsDefaultFloat, sendsStreamOptions } from './clients.ts';

/** A chat the check makes breaks when the tenant's answer differs from what the check's client needs. */
export const CHAT_CATCHES: DefectCatch[] = [
  { defect: 'sse-no-done', when: callsWith('chat', needsDone) },
  { defect: 'sse-event-after-done', when: callsWith('chat', needsDone) },
  { defect: 'sse-json-content-type', when: callsWith('chat', needsEventStream) },
  { defect: 'stream-options-rejected', when: callsWith('chat', sendsStreamOptions) },
  { defect: 'chat-object-wrong', when: callsWith('chat', readsChatObject) },
];

export const EMBEDDING_CATCHES: DefectCatch[] = [
  { defect: 'base64-ignored', when: callsWith('embeddings', asksBase64) },
  { defect: 'embeddings-out-of-order', when: callsWith('embeddings', checksOrder) },
  { defect: 'float-default-base64', when: callsWith('embeddings', readsDefaultFloat) },
];

/** An upload polled to ready on both status paths. */
export const READY_CATCHES: DefectCatch[] = [{ defect: 'upload-stuck-processing' }, { defect: 'ready-regresses' }, { defect: 'ready-then-failed' }, { defect: 'uploads-alias-missing' }];

/** Any refusal whose error body the check reads. */
export const ERROR_BODY_CATCHES: DefectCatch[] = [{ defect: 'errors-plain-text' }];

/**
 * Only the missing scope can refuse the denial: its key may name a model on the route (where the route names
 * one), so a tenant that skips the scope check serves it. A key without such a name is refused for the model.
 */
const onlyTheScopeRefuses = ({ route, probes, keyOf }: CatchContext): boolean =>
  !route?.needs.model || probes.some((p) => p.kind === 'denied' && !!keyOf(p.key) && mayNameAModel(keyOf(p.key)!, route.id, true));

/** A scope denial answered 404: only 403 says "you lack the scope" where nothing out of the key's reach is named. */
export const SCOPE_404_CATCHES: DefectCatch[] = [
  {
    defect: 'scope-denial-404',
    when: (context) => {
      const { route, probes, keyOf } = context;
      return !!route?.needs.scope && !route.needs.owner && !route.needs.dataset && probes.some((p) => p.kind === 'denied' && route.needs.purposes.includes(keyOf(p.key)?.purpose ?? 'upload')) && onlyTheScopeRefuses(context);
    },
  },
];

/** A denial of a route whose scope check the tenant skips. */
export const SCOPE_CATCHES: DefectCatch[] = [
  { defect: 'embed-scope-skipped', when: (context) => context.route?.needs.scope === 'inference:embed' && onlyTheScopeRefuses(context) },
  { defect: 'transcribe-scope-skipped', when: (context) => context.route?.needs.scope === 'inference:transcribe' && onlyTheScopeRefuses(context) },
];
