// A run plans once, reads each runbook once and starts one tenant, whichever processes it spans: the
// command line, vitest's global setup and its workers count each step into one file (src/instrument.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { productFile } from '../fixtures/products.ts';
import { COUNTS_ENV } from '../../src/instrument.ts';
import { execFile } from 'node:child_process';
import { projectRoot } from '../../src/paths.ts';
import { OPTIONS_ENV } from '../../src/run/options.ts';
import { gtConformance } from './cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'gt-once-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function steps(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
    const step = line.split(' ')[0];
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  return counts;
}

describe('one run', () => {
  it('`gt-conformance run` plans once, parses each runbook once and starts one tenant', async () => {
    const counts = path.join(dir, 'run.txt');
    const runbooks = [productFile('dify'), productFile('librechat')];
    const run = await gtConformance(['run', '--out', path.join(dir, 'out'), '--product', 'dify', '--route', 'models', ...runbooks], { [COUNTS_ENV]: counts });
    expect(run.code, run.stderr).toBe(0);
    expect(Object.fromEntries(steps(counts))).toEqual({ plan: 1, 'runbook-parse': 2, 'tenant-start': 1 });
  });

  it('a plain `vitest run --project conformance` does the same, preparing the run in its global setup', async () => {
    const counts = path.join(dir, 'vitest.txt');
    const out = path.join(dir, 'vitest-out');
    const options = { outDir: out, uploads: true, strict: false, products: ['dify'], routes: ['models'], seed: 3, runbookFiles: [productFile('dify'), productFile('librechat')] };
    const code = await new Promise<number>((resolve) => {
      execFile(process.execPath, [path.join(projectRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'conformance'], { cwd: projectRoot, env: { ...process.env, [OPTIONS_ENV]: JSON.stringify(options), [COUNTS_ENV]: counts, GITHUB_STEP_SUMMARY: '' } }, (err) =>
        resolve(err ? ((err as { code?: number }).code ?? 1) : 0),
      );
    });
    expect(code).toBe(0);
    expect(Object.fromEntries(steps(counts))).toEqual({ plan: 1, 'runbook-parse': 2, 'tenant-start': 1 });
    expect(JSON.parse(readFileSync(path.join(out, 'conformance-report.json'), 'utf8')).checks.length).toBeGreaterThan(0);
  });
});
