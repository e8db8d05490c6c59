// `gt-conformance plan` shows, for one product, every route of its runbook with its verdict and the checks it gets.
// What it prints is read from the command run in this process (a plan does not depend on a process of its own);
// its exit code and error line on bad input from the spawned command line.
import { describe, expect, it } from 'vitest';
import { loadContract, routeLabel } from '../../src/contract/load.ts';
import { loadRunbookFile } from '../../src/runbook/load.ts';
import { cliInProcess } from '../bad-input/in-process.ts';
import { gtConformance } from '../run/cli.ts';

const contract = loadContract();

describe('gt-conformance plan', () => {
  it("prints each route of the product's runbook with its verdict, the key and the expectation of its checks", async () => {
    const { runbook } = loadRunbookFile('runbooks/librechat.yaml', contract).runbook!;
    const { code, out } = await cliInProcess(['plan', '--product', 'librechat']);
    const stdout = out.join('\n');
    expect(code).toBe(0);
    const section = stdout.slice(stdout.indexOf('LibreChat (librechat)'), stdout.indexOf('Cross-cutting'));
    for (const row of runbook.routes) {
      const route = contract.routes.find((r) => r.id === row.route)!;
      expect(section).toContain(`  ${routeLabel(route)} [${row.verdict}]`);
    }
    expect(section).toMatch(/POST \/v1\/audio\/speech \[not_supported\]\n\s+- the openai-chat preset key is denied POST \/v1\/audio\/speech \(least privilege\)\n\s+key openai-chat: is refused/);
    expect(section).toMatch(/POST \/v1\/embeddings is denied to a key without inference:embed\n\s+key openai-chat: is refused/);
    expect(section).toMatch(/key openai-chat as librechat sends it: succeeds and matches the contract/);
    expect(stdout).toMatch(/Requests \(estimated, each shared probe once\): \d+ in all/);
  });

  it('--json gives the same checks with the requests each probe will send', async () => {
    const { code, out } = await cliInProcess(['plan', '--product', 'librechat', '--json']);
    const stdout = out.join('\n');
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as { checks: Array<{ id: string; product?: string }>; probes: Array<{ id: string; requests: number }>; requestsPerRoute: Record<string, number> };
    const { runbook } = loadRunbookFile('runbooks/librechat.yaml', contract).runbook!;
    const routeChecks = plan.checks.filter((c) => c.product === 'librechat' && /\/(works|denied-without-scope|preset-denied)$/.test(c.id));
    expect(routeChecks).toHaveLength(runbook.routes.reduce((n, r) => n + (r.verdict === 'not_supported' ? 1 : 2), 0));
    expect(plan.probes.every((p) => p.requests >= 0)).toBe(true);
    expect(Object.values(plan.requestsPerRoute).reduce((a, b) => a + b, 0)).toBe(plan.probes.reduce((a, p) => a + p.requests, 0));
  });

  it('exits 2 with one line for an unknown product', async () => {
    const { code, stderr } = await gtConformance(['plan', '--product', 'nope']);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^--product nope: no such runbook; products are dify, /);
  });
});
