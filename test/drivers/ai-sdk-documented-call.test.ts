// The Vercel AI SDK runbook documents createOpenAI({ baseURL, apiKey }) + openai('<alias>'): running
// it against the embedded tenant settles which API it reaches, and that becomes a finding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { documentedCallFinding } from '../../src/clients/findings.ts';
import { profileById } from '../../src/clients/load.ts';
import { probeAiSdkDocumentedCall } from '../../src/drivers/index.ts';
import { installedVersion } from '../../src/drivers/versions.ts';
import { loadRunbooks } from '../../src/runbook/load.ts';
import { productFile } from '../fixtures/products.ts';
import { startTenant, type RunningTenant } from '../../src/tenant/index.ts';

const contract = loadContract();

describe('probeAiSdkDocumentedCall', () => {
  let tenant: RunningTenant;
  beforeAll(async () => {
    tenant = await startTenant({});
  });
  afterAll(() => tenant.close());

  it('with the installed @ai-sdk/openai major, openai(model) reaches the Responses API, which the tenant does not serve', async () => {
    const probe = await probeAiSdkDocumentedCall(`${tenant.baseUrl}/v1`, tenant.secrets['conversation-app'], 'mission-agent');
    expect(probe.providerVersion).toBe(installedVersion('@ai-sdk/openai'));
    expect(probe.path).toBe('/api/tenant/v1/responses');
    expect(probe.status).toBe(404);
    expect(probe.error).toMatch(/^HTTP 404/);
    expect(JSON.stringify(probe.exchanges)).not.toContain(tenant.secrets['conversation-app']);
    // the client profile pins what the run found; if a provider upgrade changes it, this fails
    expect(`/api/tenant/v1${profileById('ai-sdk-openai')!.documented_call!.path}`).toBe(probe.path);
  });

  it('becomes a runbook finding at the runbook line that documents createOpenAI', async () => {
    const probe = await probeAiSdkDocumentedCall(`${tenant.baseUrl}/v1`, tenant.secrets['conversation-app'], 'mission-agent');
    const { runbooks } = loadRunbooks([productFile('vercel-ai-sdk')], contract);
    const finding = documentedCallFinding(runbooks[0], probe, contract)!;
    expect(finding.product).toBe('vercel-ai-sdk');
    expect(finding.message).toContain("openai('<alias>')");
    expect(finding.message).toContain('POST /api/tenant/v1/responses (HTTP 404)');
    expect(finding.message).toContain('the Responses API');
    expect(finding.fix).toContain("openai.chat('<alias>')");
    const line = runbooks[0].lineOf(`configuration[${runbooks[0].runbook.configuration.findIndex((f) => f.name.includes('createOpenAI'))}].name`);
    expect(finding.line).toBe(line);
  });

  it('gives no finding when the call reaches chat completions', () => {
    const { runbooks } = loadRunbooks([productFile('vercel-ai-sdk')], contract);
    expect(documentedCallFinding(runbooks[0], { path: '/api/tenant/v1/chat/completions', status: 200, providerVersion: '2.0.0', exchanges: [] }, contract)).toBeUndefined();
  });
});
