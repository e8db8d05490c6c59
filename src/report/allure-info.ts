// What the Allure report says about the run beside its tests: environment.properties (the target, the
// harness, the seed, the contract, the products) and executor.json (the CI job that ran it, or this machine).
// Written into allure-results/ next to allure-vitest's files (reporters/run-reporters.ts owns the folder).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringifyEnvInfo } from 'allure-js-commons/sdk/reporter';
import type { RunContext } from '../model.ts';
import { scrubText } from './scrub.ts';

export const ALLURE_ENVIRONMENT_FILE = 'environment.properties';
export const ALLURE_EXECUTOR_FILE = 'executor.json';

/** Allure's executor.json (allure-js-commons' ExecutorInfo). */
export interface ExecutorInfo {
  name: string;
  type: string;
  url?: string;
  buildOrder?: number;
  buildName: string;
  buildUrl?: string;
  reportName: string;
}

type ContextFacts = Pick<RunContext, 'harnessVersion' | 'contractDigest' | 'runbooks' | 'target' | 'seed' | 'strict'>;

/** The lines of environment.properties, in the order the Allure report lists them. */
export function environmentInfo(context: ContextFacts): Record<string, string> {
  const { target } = context;
  return {
    target: `${target.kind} ${target.host}`,
    ...(target.defects?.length ? { 'injected defects': target.defects.join(', ') } : {}),
    ...(target.profile && target.profile !== 'default' ? { 'tenant profile': target.profile } : {}),
    harness: `gt-conformance ${context.harnessVersion}`,
    seed: `${context.seed} (replay with --seed ${context.seed})`,
    'contract digest': context.contractDigest,
    products: context.runbooks.map((r) => r.id).join(', '),
    strict: String(context.strict),
    node: process.version,
  };
}

const number = (value: string | undefined) => (value && /^\d+$/.test(value) ? Number(value) : undefined);

/** Who ran it: the GitHub Actions or GitLab CI job (from their documented variables), else this machine. */
export function executorInfo(context: ContextFacts, env: NodeJS.ProcessEnv = process.env): ExecutorInfo {
  const reportName = `GT conformance, seed ${context.seed}`;
  if (env.GITHUB_ACTIONS === 'true') {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    return {
      name: 'GitHub Actions',
      type: 'github',
      url: server,
      ...(number(env.GITHUB_RUN_NUMBER) !== undefined ? { buildOrder: number(env.GITHUB_RUN_NUMBER) } : {}),
      buildName: `${env.GITHUB_WORKFLOW ?? 'workflow'} #${env.GITHUB_RUN_NUMBER ?? '?'}${env.GITHUB_JOB ? ` (${env.GITHUB_JOB})` : ''}`,
      ...(env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? { buildUrl: `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` } : {}),
      reportName,
    };
  }
  if (env.GITLAB_CI === 'true') {
    return {
      name: 'GitLab CI',
      type: 'gitlab',
      ...(env.CI_SERVER_URL ? { url: env.CI_SERVER_URL } : {}),
      ...(number(env.CI_PIPELINE_IID) !== undefined ? { buildOrder: number(env.CI_PIPELINE_IID) } : {}),
      buildName: `pipeline #${env.CI_PIPELINE_IID ?? '?'}${env.CI_JOB_NAME ? ` (${env.CI_JOB_NAME})` : ''}`,
      ...(env.CI_PIPELINE_URL ? { buildUrl: env.CI_PIPELINE_URL } : {}),
      reportName,
    };
  }
  return { name: 'gt-conformance', type: 'local', buildName: `gt-conformance ${context.harnessVersion} run of ${context.runbooks.length} products against ${context.target.kind} ${context.target.host}`, reportName };
}

/** Writes both files into an Allure results folder the caller has claimed; returns their paths. */
export function writeAllureInfo(resultsDir: string, context: ContextFacts, env: NodeJS.ProcessEnv = process.env): string[] {
  const environment = path.join(resultsDir, ALLURE_ENVIRONMENT_FILE);
  const executor = path.join(resultsDir, ALLURE_EXECUTOR_FILE);
  writeFileSync(environment, `${scrubText(stringifyEnvInfo(environmentInfo(context)))}\n`);
  writeFileSync(executor, `${scrubText(JSON.stringify(executorInfo(context, env), null, 2))}\n`);
  return [environment, executor];
}
