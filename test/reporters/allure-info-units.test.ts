// src/report/allure-info.ts: environment.properties and executor.json as docs/reports.md ("Allure") describes
// them. The properties text is Java's format as allure-js-commons writes it (key=value, a space in a key
// escaped as "\ "); the CI facts come from the variables GitHub Actions and GitLab CI document.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALLURE_ENVIRONMENT_FILE, ALLURE_EXECUTOR_FILE, environmentInfo, executorInfo, writeAllureInfo } from '../../src/report/allure-info.ts';
import type { RunContext } from '../../src/model.ts';
import { inTempDir } from './temp-dir.ts';

type Facts = Parameters<typeof environmentInfo>[0];

function facts(target: Partial<RunContext['target']> = {}): Facts {
  return {
    harnessVersion: '1.2.3',
    contractDigest: 'abc123',
    runbooks: [{ id: 'alpha' }, { id: 'beta' }] as RunContext['runbooks'],
    target: { kind: 'live', host: 'gt.example', ...target },
    seed: 42,
    strict: false,
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('environmentInfo', () => {
  it('lists target, harness, seed with its replay flag, contract, products, strict and node, in that order', () => {
    const info = environmentInfo(facts());
    expect(Object.entries(info)).toStrictEqual([
      ['target', 'live gt.example'],
      ['harness', 'gt-conformance 1.2.3'],
      ['seed', '42 (replay with --seed 42)'],
      ['contract digest', 'abc123'],
      ['products', 'alpha, beta'],
      ['strict', 'false'],
      ['node', process.version],
    ]);
  });

  it('adds the injected defects and a tenant profile other than the default, after the target', () => {
    const info = environmentInfo({ ...facts({ kind: 'embedded', host: '127.0.0.1:5', defects: ['slow', 'sse-no-done'], profile: 'strict' }), strict: true });
    expect(Object.keys(info).slice(0, 4)).toStrictEqual(['target', 'injected defects', 'tenant profile', 'harness']);
    expect(info.target).toBe('embedded 127.0.0.1:5');
    expect(info['injected defects']).toBe('slow, sse-no-done');
    expect(info['tenant profile']).toBe('strict');
    expect(info.strict).toBe('true');
  });

  it('leaves out no defects and the default profile', () => {
    const info = environmentInfo(facts({ defects: [], profile: 'default' }));
    expect('injected defects' in info).toBe(false);
    expect('tenant profile' in info).toBe(false);
  });
});

describe('executorInfo', () => {
  it('on GitHub Actions: the server, the run number as build order, workflow, run and job, and the run URL', () => {
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_SERVER_URL: 'https://ghe.example',
      GITHUB_RUN_NUMBER: '17',
      GITHUB_WORKFLOW: 'conformance',
      GITHUB_JOB: 'live',
      GITHUB_REPOSITORY: 'org/repo',
      GITHUB_RUN_ID: '9001',
    };
    expect(executorInfo(facts(), env)).toStrictEqual({
      name: 'GitHub Actions',
      type: 'github',
      url: 'https://ghe.example',
      buildOrder: 17,
      buildName: 'conformance #17 (live)',
      buildUrl: 'https://ghe.example/org/repo/actions/runs/9001',
      reportName: 'GT conformance, seed 42',
    });
  });

  it('on GitHub Actions without the optional variables: github.com, "workflow #?", no order, no URL', () => {
    expect(executorInfo(facts(), { GITHUB_ACTIONS: 'true' })).toStrictEqual({
      name: 'GitHub Actions',
      type: 'github',
      url: 'https://github.com',
      buildName: 'workflow #?',
      reportName: 'GT conformance, seed 42',
    });
    expect(executorInfo(facts(), { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'org/repo' }).buildUrl).toBeUndefined();
    expect(executorInfo(facts(), { GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '1' }).buildUrl).toBeUndefined();
  });

  it('takes a build order only from a run number of digits', () => {
    const order = (n: string) => executorInfo(facts(), { GITHUB_ACTIONS: 'true', GITHUB_RUN_NUMBER: n });
    expect(order('123').buildOrder).toBe(123);
    expect(order('5').buildOrder).toBe(5);
    for (const n of ['', '12a', 'a12', '1 2', '-3']) expect('buildOrder' in order(n), n).toBe(false);
    expect(order('12a').buildName).toBe('workflow #12a');
  });

  it('on GitLab CI: the server, the pipeline as build order and name, the job and the pipeline URL', () => {
    const env = { GITLAB_CI: 'true', CI_SERVER_URL: 'https://gitlab.example', CI_PIPELINE_IID: '31', CI_JOB_NAME: 'conformance', CI_PIPELINE_URL: 'https://gitlab.example/g/p/-/pipelines/77' };
    expect(executorInfo(facts(), env)).toStrictEqual({
      name: 'GitLab CI',
      type: 'gitlab',
      url: 'https://gitlab.example',
      buildOrder: 31,
      buildName: 'pipeline #31 (conformance)',
      buildUrl: 'https://gitlab.example/g/p/-/pipelines/77',
      reportName: 'GT conformance, seed 42',
    });
  });

  it('on GitLab CI without the optional variables: "pipeline #?" and nothing else', () => {
    expect(executorInfo(facts(), { GITLAB_CI: 'true' })).toStrictEqual({ name: 'GitLab CI', type: 'gitlab', buildName: 'pipeline #?', reportName: 'GT conformance, seed 42' });
    expect('buildOrder' in executorInfo(facts(), { GITLAB_CI: 'true', CI_PIPELINE_IID: 'x1' })).toBe(false);
  });

  it('elsewhere (or with a CI variable that is not "true"): this machine, with the run in words', () => {
    const local = { name: 'gt-conformance', type: 'local', buildName: 'gt-conformance 1.2.3 run of 2 products against live gt.example', reportName: 'GT conformance, seed 42' };
    expect(executorInfo(facts(), {})).toStrictEqual(local);
    expect(executorInfo(facts(), { GITHUB_ACTIONS: '1', GITLAB_CI: 'yes' })).toStrictEqual(local);
  });

  it("reads the process's environment by default", () => {
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    vi.stubEnv('GITHUB_WORKFLOW', 'from-env');
    vi.stubEnv('GITHUB_RUN_NUMBER', '3');
    vi.stubEnv('GITHUB_JOB', '');
    expect(executorInfo(facts()).buildName).toBe('from-env #3');
  });
});

describe('writeAllureInfo', () => {
  it('writes environment.properties and executor.json into the folder, each with a last newline', () => {
    inTempDir('allure-info', (dir) => {
      const files = writeAllureInfo(dir, facts({ defects: ['slow'] }), { GITLAB_CI: 'true', CI_PIPELINE_IID: '4' });
      expect(ALLURE_ENVIRONMENT_FILE).toBe('environment.properties');
      expect(ALLURE_EXECUTOR_FILE).toBe('executor.json');
      expect(files).toStrictEqual([path.join(dir, 'environment.properties'), path.join(dir, 'executor.json')]);
      expect(readFileSync(files[0], 'utf8')).toBe(
        [
          'target=live gt.example',
          'injected\\ defects=slow',
          'harness=gt-conformance 1.2.3',
          'seed=42 (replay with --seed 42)',
          'contract\\ digest=abc123',
          'products=alpha, beta',
          'strict=false',
          `node=${process.version}`,
          '',
        ].join('\n'),
      );
      expect(readFileSync(files[1], 'utf8')).toBe(
        '{\n  "name": "GitLab CI",\n  "type": "gitlab",\n  "buildOrder": 4,\n  "buildName": "pipeline #4",\n  "reportName": "GT conformance, seed 42"\n}\n',
      );
    });
  });

  it('masks a key token in either file (a host or a workflow name that holds one)', () => {
    inTempDir('allure-info', (dir) => {
      const token = 'gtak_live_0123456789abcdefXYZ';
      const [environment, executor] = writeAllureInfo(dir, facts({ host: token }), { GITHUB_ACTIONS: 'true', GITHUB_WORKFLOW: token });
      for (const file of [environment, executor]) {
        const text = readFileSync(file, 'utf8');
        expect(text).not.toContain('0123456789abcdef');
        expect(text).toContain('****');
      }
    });
  });
});
