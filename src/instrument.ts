// Counts the expensive steps of a run (planning, loading runbooks, starting a tenant) across processes, for
// the tests that prove each happens once per run: with GT_CONFORMANCE_COUNTS=FILE, each step appends
// "<step> <pid>" to FILE. Without it, nothing is written.
import { appendFileSync } from 'node:fs';

export const COUNTS_ENV = 'GT_CONFORMANCE_COUNTS';

export function countEvent(step: string): void {
  const file = process.env[COUNTS_ENV];
  if (file) appendFileSync(file, `${step} ${process.pid}\n`);
}
