// Vitest global setup of the conformance project: takes over the run `gt-conformance run` prepared in this
// process, or (for a plain `vitest run --project conformance`) prepares it here and writes run-context.json.
// Either way the run is planned once and has one target; the workers get the plan, not the runbooks.
import type { TestProject } from 'vitest/node';
import { readRunOptions } from '../src/run/options.ts';
import { prepareRun } from '../src/run/prepare.ts';
import { preparedRun } from '../src/run/handoff.ts';
import { writeRunContext } from '../src/report/run-context.ts';

export default async function setup(project: TestProject) {
  const handed = preparedRun();
  const prepared = handed ?? (await prepareRun(readRunOptions()));
  if (!handed) writeRunContext(readRunOptions().outDir, prepared.context);
  project.provide('gtRunContext', prepared.context);
  project.provide('gtSecrets', prepared.secrets ?? null);
  return async () => {
    if (!handed) await prepared.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    gtRunContext: import('../src/model.ts').RunContext;
    gtSecrets: Record<string, string> | null;
  }
}
