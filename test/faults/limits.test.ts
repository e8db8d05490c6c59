// The run's limits hold for every sender: the harness's HTTP client and the SDK drivers share one
// concurrency bound and one request budget.
import { describe, expect, it } from 'vitest';
import { FAULT_LIMITS, runThroughProxy } from './fault-run.ts';

describe('run limits', () => {
  it('never has more requests in flight than --concurrency, SDK drivers included', async () => {
    const run = await runThroughProxy(undefined, { ...FAULT_LIMITS, concurrency: 2 });
    expect(run.results.filter((r) => r.outcome === 'failed')).toEqual([]);
    const sdkRequests = run.results.flatMap((r) => r.exchanges).filter((e) => /^(openai|ai-sdk|langchain)/.test(e.label));
    expect(sdkRequests.length).toBeGreaterThan(5);
    expect(run.peakInFlight).toBeGreaterThan(0);
    expect(run.peakInFlight).toBeLessThanOrEqual(2);
  });

  it('stops at the request budget, counting SDK requests: what the budget stopped is not run, never failed', async () => {
    const run = await runThroughProxy(undefined, { ...FAULT_LIMITS, budget: 40 });
    expect(run.requests).toBe(40);
    const stopped = run.results.filter((r) => r.outcome === 'not_run');
    expect(stopped.length).toBeGreaterThan(0);
    expect(stopped.every((r) => /the request budget of 40 requests was spent/.test(r.message))).toBe(true);
    expect(run.results.filter((r) => r.outcome === 'failed').map((r) => r.message)).toEqual([]);
  });
});
