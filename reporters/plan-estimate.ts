// The plan's estimate of the requests a run sends: each probe as its kind estimates it (src/plan/estimate.ts),
// summed over the run context's probes. Loaded when first needed: the probe kinds load the SDK drivers.
import type { RunContext } from '../src/model.ts';

export async function planEstimate(context: Pick<RunContext, 'probes'>): Promise<number> {
  const { estimateRequests } = await import('../src/plan/estimate.ts');
  return context.probes.reduce((n, p) => n + estimateRequests(p), 0);
}
