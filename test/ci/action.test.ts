// action.yml, the composite GitHub Action: parsed with the yaml package, and its run: steps executed the way
// a runner does (bash --noprofile --norc -eo pipefail, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the
// ${{ }} expressions substituted), against the embedded tenant. `uses:` steps are not run here; they must
// name a pinned major version. The install step's `npm ci` is run by a stand-in that records it: a real
// `npm ci` would replace the node_modules this test runs from.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../../src/paths.ts';
import { productFile } from '../fixtures/products.ts';

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}

interface Action {
  name: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(path.join(projectRoot, 'action.yml'), 'utf8')) as Action;

interface ActionRun {
  /** outputs per step id */
  outputs: Record<string, Record<string, string>>;
  /** the exit code of each run: step, by name */
  codes: Record<string, number>;
  stdout: string;
  summary: string;
  workspace: string;
  /** what the stand-in npm was called with, and where */
  npmCalls: string[];
}

/** Writes an executable stand-in for a command that records its arguments (NUL-separated) and working directory. */
function standIn(binDir: string, name: string, log: string): void {
  const file = path.join(binDir, name);
  writeFileSync(file, `#!/bin/sh\nprintf '%s\\0' "$PWD" "$@" >> '${log}'\nprintf '\\n' >> '${log}'\n`);
  chmodSync(file, 0o755);
}

/** The action's run: steps in order, as a runner would run them; `node` too is a stand-in when asked. */
async function runAction(inputs: Record<string, string>, options: { fakeNode?: boolean } = {}): Promise<ActionRun> {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'gt-action-'));
  const bin = path.join(workspace, '.bin');
  mkdirSync(bin);
  const npmLog = path.join(workspace, '.npm-calls');
  const nodeLog = path.join(workspace, '.node-calls');
  standIn(bin, 'npm', npmLog);
  if (options.fakeNode) standIn(bin, 'node', nodeLog);
  const summary = path.join(workspace, '.step-summary.md');
  writeFileSync(summary, '');
  const values: Record<string, string> = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, inputs[k] ?? v.default ?? '']));
  for (const k of Object.keys(inputs)) if (!(k in action.inputs)) throw new Error(`action.yml has no input ${k}`);
  const outputs: Record<string, Record<string, string>> = {};
  const codes: Record<string, number> = {};
  let stdout = '';

  const expression = (text: string) =>
    text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => {
      let m: RegExpExecArray | null;
      if ((m = /^inputs\.([\w-]+)$/.exec(expr))) return values[m[1]];
      if (expr === 'github.action_path') return projectRoot;
      if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr))) return outputs[m[1]]?.[m[2]] ?? '';
      throw new Error(`action.yml uses an expression this test does not know: ${expr}`);
    });

  for (const step of action.runs.steps) {
    if (step.uses) continue;
    const output = path.join(workspace, `.output-${step.id ?? 'step'}`);
    writeFileSync(output, '');
    const script = path.join(workspace, '.step.sh');
    writeFileSync(script, expression(step.run!));
    const env: NodeJS.ProcessEnv = {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: process.env.HOME,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_ACTION_PATH: projectRoot,
      GITHUB_WORKSPACE: workspace,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expression(v)])),
    };
    const cwd = step['working-directory'] ? expression(step['working-directory']) : workspace;
    const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (err, out, errOut) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: `${out}${errOut}` });
      });
    });
    stdout += result.stdout;
    codes[step.name ?? step.id ?? '?'] = result.code;
    if (step.id) {
      outputs[step.id] = Object.fromEntries(
        readFileSync(output, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
    }
  }
  const calls = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
  return { outputs, codes, stdout, summary: readFileSync(summary, 'utf8'), workspace, npmCalls: calls(npmLog), ...(options.fakeNode ? { nodeCalls: calls(nodeLog) } : {}) } as ActionRun & { nodeCalls?: string[] };
}

const argvOf = (call: string) => call.split('\0').slice(0, -1);

describe('action.yml', () => {
  it('is a composite action with the inputs a CI gate needs, and pinned major versions of what it uses', () => {
    expect(action.runs.using).toBe('composite');
    for (const input of ['target', 'products', 'shard', 'seed', 'baseline', 'gate', 'changed-since', 'out']) expect(action.inputs[input]?.description, input).toBeTruthy();
    const uses = action.runs.steps.filter((s) => s.uses).map((s) => s.uses!);
    expect(uses).toEqual(['actions/setup-node@v4', 'actions/upload-artifact@v4']);
    for (const u of uses) expect(u).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
    for (const s of action.runs.steps.filter((x) => x.run)) expect(s.shell).toBe('bash');
    // inputs reach scripts through env, never spliced into the script text
    for (const s of action.runs.steps.filter((x) => x.run)) expect(s.run).not.toMatch(/\$\{\{\s*inputs\./);
    expect(action.outputs['exit-code'].value).toBe('${{ steps.run.outputs.exit-code }}');
  });

  it('turns the inputs into run arguments, however they are spelled, and runs nothing an input holds', async () => {
    const run = (await runAction(
      {
        target: 'live targets/staging.yaml',
        products: 'dify, librechat  open-webui',
        shard: '2/3',
        seed: '$(touch PWNED)',
        baseline: 'nowhere/last-report.json',
        gate: 'regressions',
        'changed-since': 'origin/main',
        args: '--no-uploads --waivers waivers.yaml',
        runbooks: 'docs/runbooks/a.yaml',
      },
      { fakeNode: true },
    )) as ActionRun & { nodeCalls: string[] };
    expect(run.npmCalls.map(argvOf)).toEqual([[projectRoot, 'ci', '--no-audit', '--no-fund']]);
    expect(run.nodeCalls.map(argvOf)).toEqual([
      [
        run.workspace,
        path.join(projectRoot, 'bin', 'gt-conformance.js'),
        ...['run', '--out', 'gt-conformance-reports', '--target', 'live targets/staging.yaml'],
        ...['--product', 'dify', '--product', 'librechat', '--product', 'open-webui'],
        ...['--shard', '2/3', '--seed', '$(touch PWNED)', '--gate', 'regressions', '--changed-since', 'origin/main'],
        ...['--no-uploads', '--waivers', 'waivers.yaml', 'docs/runbooks/a.yaml'],
      ],
    ]);
    expect(existsSync(path.join(run.workspace, 'PWNED'))).toBe(false);
    expect(run.stdout).toContain('::notice title=gt-conformance::no baseline at nowhere/last-report.json yet');
    expect(run.outputs.run['artifact-name']).toBe('gt-conformance-reports-shard-2-of-3');
    expect(run.outputs.run.report).toBe('gt-conformance-reports/conformance-report.json');
  });

  it('passes a baseline that exists', async () => {
    const run = (await runAction({ baseline: path.join(projectRoot, 'package.json') }, { fakeNode: true })) as ActionRun & { nodeCalls: string[] };
    expect(argvOf(run.nodeCalls[0])).toContain('--baseline');
  });

  it('runs the harness against the embedded tenant: reports in the folder, the summary written, exit 0', async () => {
    const run = await runAction({ products: 'openai-sdk', seed: '42', out: 'reports', runbooks: path.join(projectRoot, productFile('openai-sdk')) });
    expect(run.outputs.run['exit-code']).toBe('0');
    expect(run.codes['Step summary and result']).toBe(0);
    for (const f of ['conformance-report.json', 'conformance-report.md', 'conformance-report.html', 'junit.xml', 'evidence.har']) expect(existsSync(path.join(run.workspace, 'reports', f)), f).toBe(true);
    const report = JSON.parse(readFileSync(path.join(run.workspace, run.outputs.run.report), 'utf8')) as { seed: number; products: Array<{ id: string }> };
    expect(report.seed).toBe(42);
    expect(report.products.map((p) => p.id)).toEqual(['openai-sdk']);
    expect(run.summary).toMatch(/^## GT conformance: PASSED/);
  });

  it('fails the job on bad input with exit 2 and says so in the summary', async () => {
    const run = await runAction({ products: 'no-such-product', out: 'reports' });
    expect(run.outputs.run['exit-code']).toBe('2');
    expect(run.codes['Step summary and result']).toBe(2);
    expect(run.stdout).toContain('--product no-such-product: no such runbook');
    expect(run.summary).toBe('## GT conformance: bad input, nothing was sent (exit 2; the job log names the problem)\n');
  });
});
