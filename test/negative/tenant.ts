// The negative group's tests drive the embedded tenant on a loopback port through the harness's HTTP client,
// with each route's key chosen as the planner would (the narrowest key that can call it).
import { startTenant, type RunningTenant, type TenantOptions } from '../../src/tenant/index.ts';
import { createHttpClient, type HttpClient } from '../../src/http/client.ts';
import { loadContract, routeById } from '../../src/contract/load.ts';
import { keyFinder } from '../../src/plan/key-finder.ts';
import { needOf } from '../../src/targets/capabilities.ts';
import type { NegativeInputs, NegativeOptions, NegativeSend } from '../../src/negative/index.ts';

export const BODY_LIMIT = 256 * 1024;
export const UPLOAD_LIMIT = 64 * 1024;

export interface NegativeTenant {
  tenant: RunningTenant;
  http: HttpClient;
  /** how many requests went through `sendFor` */
  sent: { count: number };
  sendFor(routeId: string): NegativeSend;
  /** the inputs and limits of a route, as the lead's wiring would pass them */
  optionsFor(routeId: string, more: Partial<NegativeOptions> & { seed: number; maxCases: number }): Promise<NegativeOptions>;
  close(): Promise<void>;
}

export async function negativeTenant(opts: TenantOptions = {}): Promise<NegativeTenant> {
  const tenant = await startTenant({ processingMs: 50, bodyLimitBytes: BODY_LIMIT, uploadLimitBytes: UPLOAD_LIMIT, ...opts });
  const http = createHttpClient({ baseUrl: tenant.baseUrl, timeoutMs: 15_000, concurrency: 4, secrets: Object.values(tenant.secrets) });
  const contract = loadContract();
  const keys = keyFinder(tenant.target, contract);
  const keyOf = (routeId: string) => keys.holding(needOf(routeById(contract, routeId)));
  const sent = { count: 0 };
  const conversations = new Map<string, string>();
  async function conversationOf(key: string): Promise<string> {
    if (!conversations.has(key)) {
      const answer = await http.send({ label: 'bootstrap', method: 'POST', path: '/v1/conversations', json: { model: keyOf('conversations').models[0] }, bearer: tenant.secrets[key] });
      conversations.set(key, (answer.json() as { id: string }).id);
    }
    return conversations.get(key)!;
  }
  return {
    tenant,
    http,
    sent,
    sendFor(routeId) {
      const secret = tenant.secrets[keyOf(routeId).name];
      return (request) => {
        sent.count++;
        return http.send({ ...request, bearer: secret });
      };
    },
    async optionsFor(routeId, more) {
      const key = keyOf(routeId);
      const inputs: NegativeInputs = { model: key.models[0], datasetId: key.datasets[0] };
      if (routeById(contract, routeId).needs.header) inputs.conversationId = await conversationOf(key.name);
      return { writesAllowed: true, inputs, bodyLimitBytes: BODY_LIMIT, uploadLimitBytes: UPLOAD_LIMIT, secrets: Object.values(tenant.secrets), ...more };
    },
    async close() {
      await http.close();
      await tenant.close();
    },
  };
}
