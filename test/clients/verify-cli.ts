// `gt-conformance verify-client ARGS` in this process, with what it printed.
import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

export async function verify(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  vi.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  const code = await main(['verify-client', ...argv]);
  vi.restoreAllMocks();
  return { code, out, err };
}
