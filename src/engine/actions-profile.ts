// A product's own requests, replayed from its client profile (fixtures/clients).
import type { Action } from './actions.ts';

export const profileCall: Action = async (probe) => ({ problems: [`client profile ${String(probe.params?.profile)} cannot be replayed yet`] });
