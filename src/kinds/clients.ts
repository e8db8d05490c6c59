// Which client a probe speaks as, and what that client needs of an answer: the facts the defect catches of
// the kinds rest on, read from the client profiles (fixtures/clients) rather than from product names, so a
// runbook added later is held to what its own client does.
import type { Probe } from '../model.ts';
import { profileById } from '../clients/load.ts';
import type { ClientProfile } from '../clients/profile.ts';
import type { CatchContext } from './kind.ts';

/** The harness's own requests follow the GT documentation, as the generic HTTP profile records it. */
export const HARNESS_PROFILE = 'generic-http';

/** The profile each SDK driver's library is described by. */
const DRIVER_PROFILE: Record<string, string> = { openai: 'openai-node', langchain: 'langchain-openai', 'ai-sdk': 'ai-sdk-openai-compatible' };

/** The client profile a probe's requests follow. */
export function clientOf(probe: Probe): ClientProfile | undefined {
  if (probe.driver === 'http') return profileById(probe.params?.profile ?? HARNESS_PROFILE);
  if (probe.driver === 'ai-sdk' && probe.params?.aiSdkProvider === 'openai') return profileById('ai-sdk-openai');
  return profileById(DRIVER_PROFILE[probe.driver]);
}

/** A successful call of `route` (plain or in a conversation) whose client satisfies `test`. */
export function callsWith(route: string, test: (profile: ClientProfile, probe: Probe) => boolean) {
  return ({ probes }: CatchContext) =>
    probes.some((p) => p.route === route && (p.kind === 'call' || p.kind === 'conversation') && p.expect === 'success' && !!clientOf(p) && test(clientOf(p)!, p));
}

/** The harness's own plain-HTTP request, not a product's replayed one nor an SDK's. */
export const harnessRequest = (_profile: ClientProfile, probe: Probe) => probe.driver === 'http' && !probe.params?.profile;

/** The client streams chat and needs the stream to end in data: [DONE]. */
export const needsDone = (profile: ClientProfile, probe: Probe) => profile.needs.done_sentinel === true && probe.kind === 'call';

/** The client relays a stream only when its content type is text/event-stream. */
export const needsEventStream = (profile: ClientProfile, probe: Probe) => profile.needs.stream_content_type === 'text/event-stream' && probe.kind === 'call';

/** The client's chat request carries stream_options. */
export const sendsStreamOptions = (profile: ClientProfile, probe: Probe) => probe.kind === 'call' && !!profile.routes.chat?.stream_options;

/** The client reads `object` of a non-streamed chat completion: the harness's schema check, or a validation call that demands it. */
export const readsChatObject = (profile: ClientProfile, probe: Probe) =>
  harnessRequest(profile, probe) || (profile.validation?.route === 'chat' && !!profile.validation.expect?.object);

/** The client asks for base64 embeddings (or, for the harness, compares them with floats). */
export const asksBase64 = (profile: ClientProfile, probe: Probe) => harnessRequest(profile, probe) || profile.routes.embeddings?.encoding_format === 'base64';

/**
 * The client notices vectors that come back out of input order: the harness and replayed products check each
 * index; through the OpenAI SDK the vectors then differ from the float answer (measured with the
 * embeddings-out-of-order defect), while LangChain and the AI SDK hand them on as they come.
 */
export const checksOrder = (profile: ClientProfile, probe: Probe) => probe.driver === 'http' || profile.id === 'openai-node';

/** The client sends no encoding_format and reads floats: the server's default must be float. */
export const readsDefaultFloat = (profile: ClientProfile, probe: Probe) =>
  !harnessRequest(profile, probe) && profile.routes.embeddings?.encoding_format === 'absent' && profile.needs.embeddings_encoding === 'float';
