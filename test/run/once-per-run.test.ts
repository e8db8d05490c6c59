// A run plans once, reads each runbook once and starts one tenant, whichever processes it spans: the
// command line, vitest's global setup and its workers count each step into one file (src/instrument.ts).
// `gt-conformance run` is counted on the clean run of test/run/run-embedded.test.ts (one spawned run for both);
// here a plain `vitest run --project conformance`, which prepares the run in its global setup.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { productFile } from '../fixtures/products.ts';
import { COUNTS_ENV } from '../../src/instrument.ts';
import { execFile } from 'node:child_process';
import { projectRoot } from '../../src/paths.ts';
import { OPTIONS_ENV } from '../../src/run/options.ts';
import { readSteps } from './cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'gt-once-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one run', () => {
  it('a plain `vitest run --project conformance` plans once, parses each runbook once and starts one tenant, preparing the run in its global setup', async () => {
    const counts = path.join(dir, 'vitest.txt');
    const out = path.join(dir, 'vitest-out');
    const options = { outDir: out, uploads: true, strict: false, products: ['dify'], routes: ['models'], seed: 3, runbookFiles: [productFile('dify'), productFile('librechat')] };
    const code = await new Promise<number>((resolve) => {
      execFile(process.execPath, [path.join(projectRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'conformance'], { cwd: projectRoot, env: { ...process.env, [OPTIONS_ENV]: JSON.stringify(options), [COUNTS_ENV]: counts, GITHUB_STEP_SUMMARY: '' } }, (err) =>
        resolve(err ? ((err as { code?: number }).code ?? 1) : 0),
      );
    });
    expect(code).toBe(0);
    // faker for the worker's content; no fast-check: models takes no request body, so it has no negative cases
    expect(readSteps(counts)).toEqual({ plan: 1, 'runbook-parse': 2, 'tenant-start': 1, 'yaml-load': 1, 'faker-load': 1 });
    expect(JSON.parse(readFileSync(path.join(out, 'conformance-report.json'), 'utf8')).checks.length).toBeGreaterThan(0);
  });
});
