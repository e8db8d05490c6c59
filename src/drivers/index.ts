// createDriver: the real-SDK client driver for a runbook's driver id. Each SDK loads only when a driver of
// it is first asked for (they take 0.1 to 0.7 s of CPU each), so a run of one product loads one SDK.
import type { ClientDriver, DriverOptions, SdkDriverId } from './driver.ts';
import type * as AiSdk from './ai-sdk.ts';

export type { ClientDriver, DriverOptions, SdkDriverId, ChatArgs } from './driver.ts';
export { DriverCallError } from './driver.ts';
export { createRecordingFetch, type RecordingFetch, type RecordingFetchOptions } from './recording-fetch.ts';
export type { DocumentedCallProbe } from './ai-sdk.ts';

type Factory = (options: DriverOptions) => ClientDriver;

const loaders: Record<SdkDriverId, () => Promise<Factory>> = {
  openai: async () => (await import('./openai.ts')).createOpenAIDriver,
  'ai-sdk': async () => (await import('./ai-sdk.ts')).createAiSdkDriver,
  langchain: async () => (await import('./langchain.ts')).createLangChainDriver,
};

export const SDK_DRIVERS = Object.keys(loaders) as SdkDriverId[];

export function isSdkDriver(id: string): id is SdkDriverId {
  return Object.hasOwn(loaders, id);
}

export async function createDriver(id: SdkDriverId, options: DriverOptions): Promise<ClientDriver> {
  const load = loaders[id];
  if (!load) throw new Error(`unknown client driver "${String(id)}"; drivers: ${SDK_DRIVERS.join(', ')}`);
  return (await load())(options);
}

/**
 * Loads the SDKs of these drivers one after another. One import of all three evaluates their modules in
 * one block of several hundred ms, during which no answer in flight is read; one at a time, the requests
 * in flight are served between them.
 */
export async function preloadDrivers(ids: Iterable<string>): Promise<void> {
  for (const id of new Set(ids)) if (isSdkDriver(id)) await loaders[id]();
}

/** The Vercel AI SDK runbook's documented call (src/drivers/ai-sdk.ts), its SDK loaded on first use. */
export async function probeAiSdkDocumentedCall(...args: Parameters<typeof AiSdk.probeAiSdkDocumentedCall>): Promise<AiSdk.DocumentedCallProbe> {
  return (await import('./ai-sdk.ts')).probeAiSdkDocumentedCall(...args);
}
