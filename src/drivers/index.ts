// createDriver: the real-SDK client driver for a runbook's driver id.
import type { ClientDriver, DriverOptions, SdkDriverId } from './driver.ts';
import { createAiSdkDriver } from './ai-sdk.ts';
import { createLangChainDriver } from './langchain.ts';
import { createOpenAIDriver } from './openai.ts';

export type { ClientDriver, DriverOptions, SdkDriverId, ChatArgs } from './driver.ts';
export { DriverCallError } from './driver.ts';
export { createRecordingFetch, type RecordingFetch, type RecordingFetchOptions } from './recording-fetch.ts';
export { probeAiSdkDocumentedCall, type DocumentedCallProbe } from './ai-sdk.ts';

const factories: Record<SdkDriverId, (options: DriverOptions) => ClientDriver> = {
  openai: createOpenAIDriver,
  'ai-sdk': createAiSdkDriver,
  langchain: createLangChainDriver,
};

export const SDK_DRIVERS = Object.keys(factories) as SdkDriverId[];

export function isSdkDriver(id: string): id is SdkDriverId {
  return Object.hasOwn(factories, id);
}

export function createDriver(id: SdkDriverId, options: DriverOptions): ClientDriver {
  const factory = factories[id];
  if (!factory) throw new Error(`unknown client driver "${String(id)}"; drivers: ${SDK_DRIVERS.join(', ')}`);
  return factory(options);
}
