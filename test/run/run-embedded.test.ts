// `gt-conformance run` end to end against the embedded tenant: clean, and with one denial defect. The runs take
// the fixed copies of the shipped runbooks (test/fixtures/runbooks/products) and a filter that keeps what each
// test asserts; the whole matrix in process is the selftest's (test/selftest) and the layouts' (test/layouts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gtConformance, readReport } from './cli.ts';
import { LIBRECHAT_CHECKS, productFiles } from '../fixtures/products.ts';

const dirs: string[] = [];
const outDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gt-run-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('gt-conformance run against the embedded tenant', () => {
  it('passes every check of a clean tenant: the product\'s checks its runbook asks for, and the cross-cutting ones', async () => {
    const out = outDir();
    const run = await gtConformance(['run', '--out', out, '--seed', '7', '--product', 'librechat', ...productFiles()], { GT_CONFORMANCE_DEBUG: '1' });
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.code).toBe(0);
    // the suites ran in the worker started before the plan (src/run/warm-worker.ts), not in one vitest forked after it
    expect(run.stderr).toMatch(/vitest took the early worker \(pid \d+\)/);
    expect(run.stdout).toMatch(/seed 7 \(replay with --seed 7\)/);
    const report = readReport(out);
    const librechat = report.checks.filter((c) => c.product === 'librechat');
    expect(librechat.filter((c) => c.group !== 'finding').map((c) => c.id).sort()).toEqual(Object.keys(LIBRECHAT_CHECKS).sort());
    // the runbook's two base URL fields stop at /api/tenant, which LibreChat appends its paths to: a finding each
    expect(librechat.filter((c) => c.group === 'finding').map((c) => [c.id, c.outcome])).toEqual([
      ['librechat/finding/1', 'runbook_defect'],
      ['librechat/finding/2', 'runbook_defect'],
    ]);
    expect(report.checks.filter((c) => c.product && c.product !== 'librechat')).toEqual([]);
    // every route's four authentication checks, at least, whatever the product
    expect(report.checks.filter((c) => /^cross-cutting\/[a-z-]+\/(no-key|malformed-key|unknown-key|revoked-key)$/.test(c.id))).toHaveLength(40);
    const bad = report.checks.filter((c) => ['failed', 'blocked', 'skipped'].includes(c.outcome));
    expect(bad).toEqual([]);
    expect(report.counts.failed).toBe(0);
    expect(report.checks.find((c) => c.id === 'librechat/checklist/3')?.outcome).toBe('manual');
  });

  it('fails exactly the checks that probe a skipped embed scope check, and exits 1', async () => {
    const out = outDir();
    const run = await gtConformance(['run', '--out', out, '--defect', 'embed-scope-skipped', '--route', 'embeddings', ...productFiles()]);
    expect(run.code).toBe(1);
    const failed = readReport(out).checks.filter((c) => c.outcome === 'failed');
    for (const check of failed) expect(check.message).toMatch(/answered 200: the request was served, expected 403/);
    // every fixture product's runbook has an embeddings row: its denial check fails, and nothing else
    expect(failed.map((c) => c.id).sort()).toEqual(
      ['dify', 'generic-openai-http', 'langchain', 'librechat', 'open-webui', 'openai-sdk', 'vercel-ai-sdk'].map((p) => `${p}/embeddings/denied-without-scope`),
    );
    expect(run.stdout).toMatch(/FAIL .*POST \/v1\/embeddings is denied to a key without inference:embed/);
  });

  it('runs only the filtered product, route and verdict', async () => {
    const out = outDir();
    const run = await gtConformance(['run', '--out', out, '--product', 'open-webui', '--verdict', 'not_supported', '--no-uploads', ...productFiles()]);
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
