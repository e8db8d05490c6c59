// The first module of a conformance run's vitest worker when `gt-conformance run` starts it early
// (src/run/warm-worker.ts). While the command line loads the runbooks and plans the run, this process loads what
// every run's worker needs (the engine, the HTTP client, the checks, then the SDKs and validators the plan uses); when vitest asks
// for its worker, it takes vitest's environment and becomes vitest's own forks worker.
import type { WarmMessage } from '../src/run/warm-worker.ts';

// vitest's messages that arrive before its worker module has installed its own listener, kept in order.
const held: unknown[] = [];
let warming: Promise<unknown> = Promise.resolve();

const isWarmMessage = (message: unknown): message is WarmMessage => typeof message === 'object' && message !== null && 'gtWarm' in message;

function onMessage(message: unknown): void {
  if (!isWarmMessage(message)) {
    held.push(message);
    return;
  }
  if (message.gtWarm === 'plan') {
    const { drivers, operations } = message;
    warming = warming
      .then(() => import('../src/drivers/index.ts').then((d) => d.preloadDrivers(drivers)))
      .then(() => import('../src/checks/contract-validator.ts').then((v) => v.contractValidator().compileFor(operations)))
      .catch(() => undefined);
    return;
  }
  void become(message.entry, message.env, message.unset);
}

// A warm worker that nobody took (the run stopped before its tests) ends with the command line.
const endWithParent = () => process.exit(0);
process.on('message', onMessage);
process.on('disconnect', endWithParent);

// The modules the suites import (src/suite/declare.ts) and vitest's test API; vitest's worker module loads in become().
warming = Promise.all([
  import('../src/engine/session.ts'),
  import('../src/outcome/check-outcome.ts'),
  import('../src/suite/settle.ts'),
  import('../src/targets/secrets.ts'),
  import('../src/targets/key-env.ts'),
  import('../src/contract/load.ts').then((c) => c.loadContract()),
  import('vitest'),
  // what allure-vitest's setup file imports (vitest loads it after taking this worker): side-effect free
  import('allure-js-commons/sdk/reporter'),
  import('allure-js-commons/sdk/runtime'),
]).catch(() => undefined); // a module that cannot load fails where the suites import it, with vitest's message

async function become(entry: string, env: Record<string, string>, unset: string[]): Promise<void> {
  process.off('disconnect', endWithParent);
  for (const name of unset) delete process.env[name];
  Object.assign(process.env, env);
  // The SDKs in before vitest's first test: their loading would otherwise hold up the answers of the first requests.
  await warming;
  await import(entry);
  // vitest's worker now listens; nothing arrived in between (messages are macrotasks, this is a microtask).
  process.off('message', onMessage);
  for (const message of held.splice(0)) process.emit('message', message as never, undefined as never);
}
