// `gt-conformance run` end to end against the embedded tenant: clean, and with one denial defect.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gtConformance, readReport } from './cli.ts';

const dirs: string[] = [];
const outDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gt-run-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface PlanJson {
  checks: Array<{ id: string; product?: string; group: string; manual?: boolean }>;
}

describe('gt-conformance run against the embedded tenant', () => {
  it('passes every check of a clean tenant, with as many checks per product as the plan has', async () => {
    const out = outDir();
    const [run, plan] = await Promise.all([gtConformance(['run', '--out', out, '--seed', '7']), gtConformance(['plan', '--json'])]);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/seed 7 \(replay with --seed 7\)/);
    const report = readReport(out);
    const planned = (JSON.parse(plan.stdout) as PlanJson).checks;
    const products = [...new Set(planned.map((c) => c.product ?? 'cross-cutting'))];
    expect(products.length).toBeGreaterThanOrEqual(8);
    for (const product of products) {
      const inPlan = planned.filter((c) => (c.product ?? 'cross-cutting') === product).map((c) => c.id).sort();
      const inRun = report.checks.filter((c) => (c.product ?? 'cross-cutting') === product).map((c) => c.id).sort();
      expect(inRun, product).toEqual(inPlan);
    }
    const bad = report.checks.filter((c) => ['failed', 'blocked', 'skipped'].includes(c.outcome));
    expect(bad).toEqual([]);
    expect(report.counts.failed).toBe(0);
    expect(report.counts.passed + report.counts.denied_as_expected).toBeGreaterThan(150);
  });

  it('fails exactly the checks that probe a skipped embed scope check, and exits 1', async () => {
    const out = outDir();
    const run = await gtConformance(['run', '--out', out, '--defect', 'embed-scope-skipped']);
    expect(run.code).toBe(1);
    const failed = readReport(out).checks.filter((c) => c.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const check of failed) {
      expect(check.id).toMatch(/^[a-z0-9-]+\/embeddings\/denied-without-scope$/);
      expect(check.message).toMatch(/answered 200: the request was served, expected 403/);
    }
    // every product whose runbook calls embeddings natively has its denial check failing
    expect(failed.map((c) => c.product).sort()).toEqual(['dify', 'generic-openai-http', 'langchain', 'librechat', 'open-webui', 'openai-sdk', 'vercel-ai-sdk']);
    expect(run.stdout).toMatch(/FAIL .*POST \/v1\/embeddings is denied to a key without inference:embed/);
  });

  it('runs only the filtered product, route and verdict', async () => {
    const out = outDir();
    const run = await gtConformance(['run', '--out', out, '--product', 'open-webui', '--verdict', 'not_supported', '--no-uploads']);
    expect(run.code).toBe(0);
    const checks = readReport(out).checks.filter((c) => c.product === 'open-webui' && c.ran);
    // six not_supported rows, each denied to the preset; the conditional one (images) also works with the preset plus its scope
    expect(checks.map((c) => c.id).sort()).toEqual([
      'open-webui/conversation-files/preset-denied',
      'open-webui/dataset-files/preset-denied',
      'open-webui/file-status/preset-denied',
      'open-webui/images/preset-denied',
      'open-webui/images/works-with-scope',
      'open-webui/speech/preset-denied',
      'open-webui/transcriptions/preset-denied',
    ]);
  });
});
