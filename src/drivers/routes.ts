// The routes each client driver calls through its own library; a driver's other routes go over plain HTTP.
// Kept apart from the drivers so that planning never loads an SDK.
import type { DriverId } from '../model.ts';

export const DRIVER_ROUTES: Readonly<Record<DriverId, readonly string[]>> = {
  http: [],
  openai: ['models', 'chat', 'embeddings', 'transcriptions', 'speech', 'images'],
  'ai-sdk': ['chat', 'embeddings'],
  langchain: ['chat', 'embeddings'],
};

/** The driver that calls this route for a product whose runbook names `driver`. */
export function driverFor(driver: DriverId, routeId: string): DriverId {
  return DRIVER_ROUTES[driver].includes(routeId) ? driver : 'http';
}
