// Which checks must fail for each defect of the embedded tenant: the checks that probe that behaviour.
// Patterns are check ids with * for any run of characters. A defect is caught when the run fails,
// every failed check matches a pattern, and every pattern matches a failed check.
import type { TenantOptions } from '../tenant/index.ts';

export interface DefectExpectation {
  catches: string[];
  /** tenant settings the defect needs to show (e.g. rate limiting for a 429 defect) */
  tenant?: Partial<TenantOptions>;
  /** when the failing checks depend on timing, a message every failure must carry instead of exact ids */
  message?: RegExp;
}

const checklist = (check: string) => `*/checklist/*-${check}`;
/** A product's chat route check and its checklist item that chats. */
const chatOf = (...products: string[]) => products.flatMap((p) => [`${p}/chat/works`, `${p}/checklist/*-chat-with-alias`]);
const everyDenial = ['*/denied-without-scope', '*/preset-denied', 'cross-cutting/*', checklist('revoked-key-fails-closed')];
const uploadsPolled = ['*/file-status/works', checklist('upload-reaches-ready'), checklist('conversation-upload-ready'), 'cross-cutting/dataset-files/undecodable-file'];

export const DEFECT_EXPECTATIONS: Readonly<Record<string, DefectExpectation>> = {
  'models-leak': { catches: ['*/models/works', checklist('models-match-allowlist'), checklist('chat-with-alias')] },
  'embed-scope-skipped': { catches: ['*/embeddings/denied-without-scope'] },
  'transcribe-scope-skipped': { catches: ['*/transcriptions/denied-without-scope', '*/transcriptions/preset-denied'] },
  'revoked-key-accepted': { catches: ['cross-cutting/*/revoked-key', checklist('revoked-key-fails-closed')] },
  'malformed-key-accepted': { catches: ['cross-cutting/*/malformed-key'] },
  'upload-stuck-processing': { catches: uploadsPolled },
  'ready-regresses': { catches: uploadsPolled.slice(0, 3) },
  'uploads-alias-missing': { catches: uploadsPolled },
  // The SDKs end a stream at EOF and parse it whatever its content type; Open WebUI relays a stream only as
  // text/event-stream. So only the generic client (and Open WebUI for the content type) notice.
  'sse-no-done': { catches: chatOf('generic-openai-http') },
  'sse-json-content-type': { catches: chatOf('generic-openai-http', 'open-webui') },
  'base64-ignored': { catches: ['*/embeddings/works', checklist('embeddings-with-alias')] },
  'conversation-upload-no-header': { catches: ['cross-cutting/conversation-files/missing-header'] },
  'cross-family-file-visible': { catches: ['cross-cutting/file-status/foreign-file'] },
  'cross-family-conversation-visible': { catches: ['cross-cutting/chat/foreign-conversation', 'cross-cutting/conversation-files/foreign-conversation'] },
  'errors-plain-text': { catches: everyDenial },
  'secret-echoed-401': { catches: ['cross-cutting/*/unknown-key', 'cross-cutting/*/revoked-key', 'cross-cutting/*/malformed-key', checklist('revoked-key-fails-closed')] },
  'dataset-allowlist-ignored': { catches: ['cross-cutting/dataset-files/dataset-not-allowlisted'] },
  'model-allowlist-ignored': { catches: ['cross-cutting/*/model-not-allowlisted'] },
  'conversation-header-missing': { catches: ['cross-cutting/conversations/bootstrap'] },
  'embeddings-out-of-order': { catches: ['*/embeddings/works', checklist('embeddings-with-alias')] },
  'missing-field-500': { catches: ['cross-cutting/*/missing-field'] },
  'failed-without-reason': { catches: ['cross-cutting/dataset-files/undecodable-file'] },
  'image-not-png': { catches: ['*/images/works'] },
  'speech-wrong-format': { catches: ['*/speech/works'] },
  // Product-specific: only the products whose real requests trip over it.
  // Dify's credential check needs chat.completion; the SDKs never read object; the generic schema check does.
  'chat-object-wrong': { catches: [...chatOf('dify', 'generic-openai-http'), checklist('conversation-continuity')] },
  // Open WebUI, LibreChat, Dify, LangChain's stream() and @ai-sdk/openai's chat model send stream_options;
  // the OpenAI SDK does not by default.
  'stream-options-rejected': { catches: [...chatOf('open-webui', 'librechat', 'dify', 'langchain'), 'vercel-ai-sdk/chat/works', 'vercel-ai-sdk/checklist/*-stream-reaches-client'] },
  // Open WebUI and Dify send no encoding_format and read floats; the SDKs ask for what they decode.
  'float-default-base64': { catches: ['open-webui/embeddings/works', 'dify/embeddings/works', `dify/checklist/*-embeddings-with-alias`] },
  // Issue 16: each makes one check kind fail that no other defect proves.
  'ready-then-failed': { catches: uploadsPolled.slice(0, 3) },
  'scope-denial-404': { catches: ['*/denied-without-scope', '*/preset-denied'] },
  'bearer-lowercase-refused': { catches: ['cross-cutting/models/lowercase-bearer'] },
  'error-leaks-hidden-model': { catches: ['cross-cutting/*/model-not-allowlisted'] },
  'sse-event-after-done': { catches: chatOf('generic-openai-http') },
  // Issue 15: requests only the negative group sends (src/negative), one check per route.
  'encoding-format-500': { catches: ['cross-cutting/embeddings/negative'] },
  'empty-messages-500': { catches: ['cross-cutting/chat/negative'] },
  'long-input-500': { catches: ['cross-cutting/embeddings/negative'] },
  'model-number-accepted': { catches: ['cross-cutting/*/negative'] },
  'no-file-part-500': { catches: ['cross-cutting/*/negative'] },
  // Which requests meet the 429s depends on timing: every failure must be one of them.
  'retry-after-missing': { catches: ['*'], tenant: { rateLimit: { every: 6, retryAfterSeconds: 1 } }, message: /without Retry-After, so it was not retried/ },
};

export function matches(pattern: string, id: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(id);
}
