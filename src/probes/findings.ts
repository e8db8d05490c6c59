// Probes behind runbook findings: does the tenant serve what a product calls with the documented configuration?
import { documentedCallFinding } from '../clients/findings.ts';
import type { LoadedRunbook } from '../model.ts';
import { bearerFor, modelFor, requestFor, send, type ProbeKind } from './context.ts';

/** Sends the route's request to the documented path (e.g. /chat/completions, no /v1) and records the answer. */
export const served: ProbeKind = {
  describe: 'sends the request to the documented URL and records whether the tenant serves it',
  requests: () => 1,
  async run(probe, ctx) {
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
  },
};

/** The Vercel AI SDK runbook's documented call, made with the real provider: where does it go? */
export const documentedCall: ProbeKind = {
  describe: "makes the runbook's documented AI SDK call and records which path it reaches",
  requests: () => 1,
  async run(probe, ctx) {
    const drivers = await import('../drivers/index.ts');
    const recorder = ctx.recorder(ctx.exchanges, 'ai-sdk documented call', ctx.priority);
    const result = await drivers.probeAiSdkDocumentedCall(`${ctx.target.baseUrl}/v1`, bearerFor(ctx, probe.key) ?? '', modelFor(ctx, probe.key, probe.route) ?? '', 15_000, recorder);
    // The finding's wording needs only the product; where it is in the file, the static findings say.
    const product = String(probe.params?.product ?? 'the product');
    const asRunbook = { runbook: { id: product, product, configuration: [], setup: [] }, file: '', lineOf: () => undefined } as unknown as LoadedRunbook;
    const finding = documentedCallFinding(asRunbook, result, ctx.contract);
    return finding
      ? { problems: [], summary: `${finding.message} (fix: ${finding.fix})`, output: { defect: true, path: result.path } }
      : { problems: [], summary: `the documented call reaches ${result.path} (${result.status})`, output: { defect: false, path: result.path } };
  },
};
