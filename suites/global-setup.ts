// Vitest global setup of the conformance project: starts (or describes) the target once for the whole run,
// hands it to the workers, and writes run-context.json for the reporters.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { readRunOptions } from '../src/run/options.ts';
import { prepareTarget, runContext } from '../src/run/prepare.ts';

export default async function setup(project: TestProject) {
  const options = readRunOptions();
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const prepared = await prepareTarget(options);
  project.provide('gtTarget', prepared.target);
  project.provide('gtSecrets', prepared.secrets ?? null);
  project.provide('gtLimits', prepared.limits ?? null);
  project.provide('gtSeed', seed);
  mkdirSync(options.outDir, { recursive: true });
  const context = runContext(options, prepared.target, seed, new Date());
  writeFileSync(path.join(options.outDir, 'run-context.json'), `${JSON.stringify(context, null, 2)}\n`);
  return async () => prepared.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    gtTarget: import('../src/model.ts').Target;
    gtSecrets: Record<string, string> | null;
    gtLimits: Record<string, number | undefined> | null;
    gtSeed: number;
  }
}
