// Probes behind runbook findings: does the tenant serve what a product calls with the documented configuration?
import { documentedCallFinding } from '../clients/findings.ts';
import type { LoadedRunbook } from '../model.ts';
import { bearerFor, keyOf, requestFor, send, type Action } from './actions.ts';

/** Sends the route's request to the documented path (e.g. /chat/completions, no /v1) and records the answer. */
const served: Action = async (probe, ctx) => {
  const path = String(probe.params?.path);
  const request = { ...requestFor(ctx, probe, probe.route), path };
  const { answer, problem } = await send(ctx, probe.key, request, `the documented URL ${path}`);
  if (!answer) return { problems: [problem!] };
  const ok = answer.status >= 200 && answer.status < 300;
  return {
    problems: [],
    summary: ok ? `the tenant serves ${request.method} ${ctx.target.baseUrl.replace(/^https?:\/\/[^/]+/, '')}${path} too (${answer.status})` : `the tenant does not serve ${request.method} ${path} (${answer.status})`,
    output: { served: ok, status: answer.status },
  };
};

/** The Vercel AI SDK runbook's documented call, made with the real provider: where does it go? */
const documentedCall: Action = async (probe, ctx) => {
  const drivers = await import('../drivers/index.ts');
  const key = keyOf(ctx, probe.key);
  const recorder = ctx.recorder(ctx.exchanges, 'ai-sdk documented call');
  const result = await drivers.probeAiSdkDocumentedCall(`${ctx.target.baseUrl}/v1`, bearerFor(ctx, probe.key) ?? '', key?.models[0] ?? '', 15_000, recorder);
  // The finding's wording needs only the product; where it is in the file, the static findings say.
  const product = String(probe.params?.product ?? 'the product');
  const asRunbook = { runbook: { id: product, product, configuration: [], setup: [] }, file: '', lineOf: () => undefined } as unknown as LoadedRunbook;
  const finding = documentedCallFinding(asRunbook, result, ctx.contract);
  return finding
    ? { problems: [], summary: `${finding.message} (fix: ${finding.fix})`, output: { defect: true, path: result.path } }
    : { problems: [], summary: `the documented call reaches ${result.path} (${result.status})`, output: { defect: false, path: result.path } };
};

export const findingActions: Record<string, Action> = { served, 'documented-call': documentedCall };
