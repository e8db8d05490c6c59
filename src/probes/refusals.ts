// Probes that must be refused: missing scope or purpose, no or bad key, models and datasets off the allowlist,
// other families' objects, unknown conversations, bad requests. Each checks the status class the contract
// allows and the error body.
import { randomUUID } from 'node:crypto';
import type { Probe } from '../model.ts';
import { DENIAL_STATUSES, checkDenial, checkHiddenNames, checkUploadKeyOnModels, denialClassOf, type DenialClass } from '../checks/errors.ts';
import { CONVERSATION_HEADER } from '../contract/load.ts';
import { droppedRequiredField, type RouteRequest } from '../contract/requests.ts';
import { jsonSuccess } from './answers.ts';
import { anyModel, bearerFor, keyOf, modelFor, requestFor, routeOf, send, type ProbeContext, type ProbeKind, type ProbeVerdict } from './context.ts';

async function expectRefusal(ctx: ProbeContext, probe: Probe, request: RouteRequest, label: string, denial: DenialClass | readonly number[], summary: string): Promise<ProbeVerdict> {
  const { answer, problem } = await send(ctx, probe.key, request, label);
  if (!answer) return { problems: [problem!] };
  const presented = probe.key === '@none' ? undefined : bearerFor(ctx, probe.key);
  const verdict = checkDenial(answer.status, typeof denial === 'string' ? DENIAL_STATUSES[denial] : denial, answer.contentType, answer.text(), presented);
  const problems = [...verdict.problems, ...checkHiddenNames(answer.text(), namesHiddenFrom(ctx, probe.key), modelsAsked(request))];
  return { problems, strictNotes: verdict.strictNotes, summary: `${summary}: ${answer.status}` };
}

/**
 * The published names a key must not see: its hidden_models, and every name another key of the target may use
 * that this key may not (a target file lists a key's allowlist whole, but may name only some hidden names).
 */
function namesHiddenFrom(ctx: ProbeContext, keyName: string): string[] {
  const key = keyOf(ctx, keyName);
  if (!key) return [];
  const elsewhere = ctx.target.keys.flatMap((k) => k.models).filter((m) => !key.models.includes(m));
  return [...new Set([...key.hidden_models, ...elsewhere])];
}

/** The model names a request sends: an error may repeat them. */
function modelsAsked(request: RouteRequest): string[] {
  const asked = [(request.json as { model?: unknown } | undefined)?.model, request.multipart?.fields.model];
  return asked.filter((m): m is string => typeof m === 'string');
}

/** Any dataset some key may write to: the probe must be refused for the key, not for the dataset. */
function someDataset(ctx: ProbeContext): string | undefined {
  return ctx.target.keys.find((k) => k.datasets.length > 0)?.datasets[0];
}

/** The route without what it needs: a key lacking its purpose or scope (or, for a GET of models, an upload key). */
export const denied: ProbeKind = {
  describe: '',
  requests: () => 1,
  async run(probe, ctx) {
    const key = keyOf(ctx, probe.key);
    const route = routeOf(ctx, probe.route);
    const ownModel = modelFor(ctx, probe.key, probe.route);
    const request = requestFor(ctx, probe, probe.route, { model: ownModel ?? anyModel(ctx, probe.route), datasetId: key?.datasets[0] ?? someDataset(ctx) });
    // GT-API.md: an upload key on GET /v1/models is refused with 403, or answered with an empty list.
    if (route.id === 'models' && key?.purpose === 'upload') {
      const { answer, problem } = await send(ctx, probe.key, request, 'list models with an upload key');
      if (!answer) return { problems: [problem!] };
      const verdict = checkUploadKeyOnModels(answer.status, answer.contentType, answer.text(), bearerFor(ctx, probe.key));
      return { problems: verdict.problems, strictNotes: verdict.strictNotes, summary: `refused: ${answer.status}` };
    }
    return expectRefusal(ctx, probe, request, `${route.method} ${route.path} without what it needs`, denialClassOf(key, route, { ownModel: !!ownModel, ownDataset: !!key?.datasets[0] }), 'refused');
  },
};

const specialKeyWords: Record<string, string> = { '@none': 'no key', '@malformed': 'a malformed key', '@unknown': 'an unknown key' };

export const unauthorized: ProbeKind = {
  describe: '',
  requests: () => 1,
  async run(probe, ctx) {
    const route = routeOf(ctx, probe.route);
    const request = requestFor(ctx, probe, probe.route, {
      model: anyModel(ctx, probe.route),
      datasetId: someDataset(ctx),
      conversationId: route.conversation === 'required' ? `conv-${randomUUID()}` : undefined,
      fileId: `file-${randomUUID()}`,
    });
    const what = specialKeyWords[probe.key] ?? 'a revoked key';
    return expectRefusal(ctx, probe, request, `${route.method} ${route.path} with ${what}`, 'unauthorized', `${what} refused`);
  },
};

export const hiddenModel: ProbeKind = {
  describe: 'names a published model off its allowlist, which ',
  requests: () => 1,
  async run(probe, ctx) {
    const hidden = keyOf(ctx, probe.key)?.hidden_models[0];
    if (!hidden) return { problems: ['the target names no published model hidden from this key (hidden_models)'] };
    const request = requestFor(ctx, probe, probe.route, { model: hidden });
    return expectRefusal(ctx, probe, request, `${probe.route} with a model not on the allowlist`, 'model', `${hidden} refused`);
  },
};

export const foreignDataset: ProbeKind = {
  describe: 'uploads into a dataset off its allowlist, which ',
  requests: () => 1,
  async run(probe, ctx) {
    const request = requestFor(ctx, probe, probe.route, { datasetId: ctx.target.foreignDataset });
    return expectRefusal(ctx, probe, request, 'upload into a dataset not on the allowlist', 'dataset', `${ctx.target.foreignDataset} refused`);
  },
};

export const foreignConversation: ProbeKind = {
  describe: "uses another family's conversation, which ",
  requests: () => 1,
  async run(probe, ctx) {
    const request = requestFor(ctx, probe, probe.route);
    return expectRefusal(ctx, probe, request, `${probe.route} bound to another family's conversation`, 'foreignObject', 'refused');
  },
};

export const unknownConversation: ProbeKind = {
  describe: 'uses an unknown conversation id, which ',
  requests: () => 1,
  async run(probe, ctx) {
    const request = requestFor(ctx, probe, probe.route, { conversationId: `conv-${randomUUID()}` });
    return expectRefusal(ctx, probe, request, `${probe.route} bound to an unknown conversation`, 'unknownConversation', 'refused');
  },
};

/** A request the tenant must reject as bad (400 or 422, never 5xx): the variant says how it is bad. */
export const badRequest: ProbeKind = {
  describe: '',
  requests: () => 1,
  async run(probe, ctx) {
    const route = routeOf(ctx, probe.route);
    const valid = requestFor(ctx, probe, probe.route);
    const variant = probe.params?.variant;
    if (variant === 'malformed-json') {
      const request: RouteRequest = { ...valid, json: undefined, rawBody: '{"model": "x", "messages": [', headers: { ...valid.headers, 'content-type': 'application/json' } };
      return expectRefusal(ctx, probe, request, `${route.path} with malformed JSON`, 'badRequest', 'rejected');
    }
    if (variant === 'missing-header') {
      const headers = Object.fromEntries(Object.entries(valid.headers ?? {}).filter(([h]) => h !== CONVERSATION_HEADER));
      return expectRefusal(ctx, probe, { ...valid, headers }, `${route.path} without ${CONVERSATION_HEADER}`, 'missingHeader', 'rejected');
    }
    const { request, field } = droppedRequiredField(ctx.contract, route, valid);
    return expectRefusal(ctx, probe, request, `${route.path} without ${field}`, 'badRequest', `missing ${field} rejected`);
  },
};

/**
 * RFC 7235 section 2.1: the authentication scheme is case-insensitive. A client that sends
 * "Authorization: bearer gtak_..." (some HTTP libraries and hand-written integrations do) must be served.
 */
export const lowercaseBearer: ProbeKind = {
  describe: 'sends its key with a lowercase "bearer" scheme, which ',
  requests: () => 1,
  async run(probe, ctx) {
    const route = routeOf(ctx, probe.route);
    const valid = requestFor(ctx, probe, probe.route);
    // Sent as '@none' so the client adds no Authorization header of its own; the one here replaces it.
    const request: RouteRequest = { ...valid, headers: { ...valid.headers, Authorization: `bearer ${bearerFor(ctx, probe.key)}` } };
    const { answer, problem } = await send(ctx, '@none', request, `${route.method} ${route.path} with a lowercase "bearer" scheme`);
    if (!answer) return { problems: [problem!] };
    if (answer.status === 401) return { problems: ['answered 401 to "Authorization: bearer <key>": the scheme is case-insensitive (RFC 7235 section 2.1), so a valid key must be served'] };
    const { problems } = jsonSuccess(answer, probe.route, ctx);
    return { problems, summary: `served with a lowercase scheme: ${answer.status}` };
  },
};
