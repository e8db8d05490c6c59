// The named defects the embedded tenant can inject: realistic bugs a real GT tenant could ship.
// Each is one switch; `probes` names the behaviour a conformance check must exercise to notice it.

export interface DefectSpec {
  id: string;
  description: string;
  probes: string;
}

export const DEFECTS: ReadonlyArray<DefectSpec> = Object.freeze([
  { id: 'models-leak', description: 'GET /v1/models lists every published name, including names not on the key\'s allowlist', probes: 'the models list compared with the key\'s allowlist and hidden names' },
  { id: 'embed-scope-skipped', description: 'POST /v1/embeddings does not check the inference:embed scope', probes: 'embeddings called with a key that lacks inference:embed' },
  { id: 'transcribe-scope-skipped', description: 'POST /v1/audio/transcriptions does not check the inference:transcribe scope', probes: 'transcription called with a key that lacks inference:transcribe' },
  { id: 'revoked-key-accepted', description: 'a revoked key is still served', probes: 'any route called with a revoked key' },
  { id: 'malformed-key-accepted', description: 'a bearer value that is not a well-formed gtak_ key falls through to a legacy default-key path and is served as the first openai-chat key', probes: 'any route called with a malformed bearer value' },
  { id: 'upload-stuck-processing', description: 'uploaded files never leave the processing state', probes: 'an upload polled until it reaches ready or failed' },
  { id: 'ready-regresses', description: 'a file that was reported ready reads as processing again on the next poll', probes: 'a file polled again after it reached ready' },
  { id: 'uploads-alias-missing', description: 'GET /v1/uploads/{id} (the documented alias of /v1/files/{id}) answers 404', probes: 'file status polled through the /v1/uploads/{id} alias' },
  { id: 'sse-no-done', description: 'a streamed chat completion ends without the data: [DONE] event', probes: 'the end of a streamed chat completion' },
  { id: 'sse-json-content-type', description: 'a streamed chat completion is sent with Content-Type application/json instead of text/event-stream', probes: 'the content type of a streamed chat completion' },
  { id: 'base64-ignored', description: 'embeddings ignore encoding_format base64 and return float arrays', probes: 'embeddings requested with encoding_format base64' },
  { id: 'conversation-upload-no-header', description: 'POST /v1/conversations/files without X-GT-Conversation-Id is accepted and attached to a new conversation', probes: 'a conversation upload sent without the X-GT-Conversation-Id header' },
  { id: 'cross-family-file-visible', description: 'GET /v1/files/{id} shows files uploaded by another key family', probes: 'file status read with a key of another family' },
  { id: 'cross-family-conversation-visible', description: 'chat and conversation uploads accept a conversation id that belongs to another key family', probes: 'a conversation id of another family presented on chat or conversation upload' },
  { id: 'errors-plain-text', description: 'error answers are plain text instead of an OpenAI-shaped JSON error body', probes: 'the body and content type of any error answer' },
  { id: 'secret-echoed-401', description: 'the 401 error message repeats the presented bearer value', probes: 'the message of a 401 answer to an unknown or revoked key' },
  { id: 'dataset-allowlist-ignored', description: 'dataset uploads accept any existing dataset, allowlisted or not', probes: 'a dataset upload to a dataset not on the key\'s allowlist' },
  { id: 'model-allowlist-ignored', description: 'model-bound routes accept any published name, allowlisted or not', probes: 'a chat or embeddings call naming a published model that is not on the key\'s allowlist' },
  { id: 'conversation-header-missing', description: 'POST /v1/conversations answers without the X-GT-Conversation-Id response header', probes: 'the response headers of a conversation bootstrap' },
  { id: 'embeddings-out-of-order', description: 'embeddings for several inputs come back in reverse order', probes: 'the order and index of embeddings for an array input' },
  { id: 'missing-field-500', description: 'a request missing a required field fails with 500 instead of 400', probes: 'a request body missing a required field' },
  { id: 'failed-without-reason', description: 'a file that failed processing carries no failure reason', probes: 'the status of an undecodable or empty upload once it failed' },
  { id: 'chat-object-wrong', description: 'non-streamed chat completions say object: "text_completion" instead of "chat.completion" (Dify refuses the credentials)', probes: 'the object field of a non-streamed chat completion' },
  { id: 'stream-options-rejected', description: 'chat completions that carry stream_options are rejected with 400', probes: 'a streamed chat completion sent with stream_options.include_usage' },
  { id: 'retry-after-missing', description: 'rate-limited answers (429) carry no Retry-After header', probes: 'the headers of a 429 answer in rate-limit mode' },
  { id: 'image-not-png', description: 'image generation returns b64_json that is not an image', probes: 'decoding the b64_json of an image generation as PNG' },
  { id: 'speech-wrong-format', description: 'speech asked for wav returns MP3 bytes labelled audio/wav', probes: 'the bytes of a speech answer compared with the requested format' },
  { id: 'float-default-base64', description: 'embeddings without encoding_format return base64 strings instead of float arrays', probes: 'embeddings requested without encoding_format' },
  // Found only by the negative group (src/negative): requests no fixed probe sends.
  { id: 'encoding-format-500', description: 'embeddings with an unknown encoding_format fail with 500 instead of 400', probes: 'embeddings requested with an encoding_format outside float and base64' },
  { id: 'empty-messages-500', description: 'chat completions with an empty messages array crash with 500 instead of 400', probes: 'a chat completion sent with messages: []' },
  { id: 'long-input-500', description: 'embeddings of an input over 64 Ki characters fail with 500 (a tokenizer overflow) instead of 400', probes: 'embeddings requested with an over-long input string' },
  { id: 'model-number-accepted', description: 'a numeric model is served with 200 as the key\'s default model instead of being rejected with 400', probes: 'a request to a model-bound route whose model is a number' },
  { id: 'no-file-part-500', description: 'a multipart request without its file part crashes with 500 instead of 400', probes: 'a transcription or upload sent as multipart without the file part' },
  // Each makes exactly one existing check kind fail (issue 16): the selftest proves that kind.
  { id: 'ready-then-failed', description: 'a file served as ready reads as failed on the next poll', probes: 'a file polled again after it reached ready' },
  { id: 'scope-denial-404', description: 'a key that lacks the route\'s scope gets 404 instead of 403', probes: 'a route called with a key that has its purpose but not its scope' },
  { id: 'bearer-lowercase-refused', description: 'the Authorization scheme is compared case-sensitively, so "bearer gtak_..." is refused with 401', probes: 'a route called with a lowercase bearer scheme' },
  { id: 'error-leaks-hidden-model', description: 'the error for a model not on the allowlist lists the key\'s models plus one published name the key must not see', probes: 'the error body of a model denial' },
  { id: 'chat-exposes-provider-id', description: 'a chat completion names the raw provider model id behind the alias instead of the published name', probes: 'the model a chat completion answer names' },
  { id: 'sse-event-after-done', description: 'a streamed chat completion sends its usage chunk after the data: [DONE] event', probes: 'the events after [DONE] in a streamed chat completion' },
]);

/** A defect id the tenant does not know: the message is one line and lists the known ids. */
export class UnknownDefectError extends Error {
  constructor(readonly defect: string) {
    super(`unknown defect "${defect}"; known defects: ${DEFECTS.map((d) => d.id).join(', ')}`);
    this.name = 'UnknownDefectError';
  }
}

/** Checks every id against DEFECTS; returns them deduplicated in the given order. */
export function validateDefects(ids: readonly string[] = []): string[] {
  const known = new Set(DEFECTS.map((d) => d.id));
  for (const id of ids) if (!known.has(id)) throw new UnknownDefectError(id);
  return [...new Set(ids)];
}
