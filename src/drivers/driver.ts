// The common face of the real-SDK client drivers: each runs a product's own library against a
// tenant, through a recording fetch, so SDK traffic is evidence like any other exchange.
import type { DriverId } from '../model.ts';

/** The drivers that run a real SDK ('http' is the profile replay, not an SDK). */
export type SdkDriverId = Exclude<DriverId, 'http'>;

export interface ChatArgs {
  model: string;
  prompt: string;
  maxTokens: number;
}

export interface ClientDriver {
  id: SdkDriverId;
  /** the library and version that does the work, e.g. "openai 6.49.0" */
  library: string;
  listModels(): Promise<string[]>;
  chat(a: ChatArgs): Promise<{ content: string }>;
  chatStream(a: ChatArgs): Promise<{ content: string; chunks: number }>;
  embed(a: { model: string; inputs: string[] }): Promise<number[][]>;
  transcribe?(a: { model: string; file: Uint8Array; filename: string }): Promise<{ text: string }>;
  speech?(a: { model: string; input: string; format: string; voice?: string }): Promise<{ bytes: Uint8Array; contentType?: string }>;
  image?(a: { model: string; prompt: string }): Promise<{ b64: string }>;
}

export interface DriverOptions {
  /** the OpenAI-style base URL, ending in /api/tenant/v1 */
  baseUrl: string;
  apiKey: string;
  /** the recording fetch (src/drivers/recording-fetch.ts) every request goes through */
  fetch: typeof globalThis.fetch;
  /** the SDK's own retries; 0 unless a profile's retry rule is under test */
  maxRetries?: number;
  /**
   * ai-sdk only: the provider package. 'openai-compatible' (default) is createOpenAICompatible;
   * 'openai' is createOpenAI with its chat-completions and embedding methods (openai.chat(), openai.embedding()).
   */
  aiSdkProvider?: 'openai-compatible' | 'openai';
}

/** A call the SDK answered with an error: one line, with the HTTP status when there was one. */
export class DriverCallError extends Error {
  constructor(
    readonly driver: SdkDriverId,
    readonly operation: string,
    readonly status: number | undefined,
    message: string,
    cause?: unknown,
  ) {
    super(`${driver} ${operation} failed${status ? ` with HTTP ${status}` : ''}: ${message.split('\n')[0]}`, { cause });
    this.name = 'DriverCallError';
  }
}

/** The HTTP status an SDK error carries, whatever the SDK calls it. */
export function statusOf(err: unknown): number | undefined {
  const e = err as { status?: unknown; statusCode?: unknown; response?: { status?: unknown }; lc_error_code?: unknown; cause?: unknown } | undefined;
  for (const candidate of [e?.status, e?.statusCode, e?.response?.status]) if (typeof candidate === 'number') return candidate;
  return e?.cause && e.cause !== err ? statusOf(e.cause) : undefined;
}

/** Wraps an SDK call so its failure is a DriverCallError. */
export async function guarded<T>(driver: SdkDriverId, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof DriverCallError) throw err;
    throw new DriverCallError(driver, operation, statusOf(err), causeChainText(err), err);
  }
}

/**
 * The error's message and those of its causes: undici's fetch says only "terminated" when a body stalls or a
 * socket closes, and the reason (Body Timeout Error, other side closed) is in its cause.
 */
export function causeChainText(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const message = e instanceof Error ? e.message : String(e);
    const code = (e as { code?: unknown }).code;
    const part = typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
    if (part && !parts.some((p) => p.includes(part))) parts.push(part);
  }
  return parts.join(': ') || String(err);
}

/** Frameworks that never list models (AI SDK, LangChain) leave that to a direct HTTP call beside them. */
export async function listModelsDirectly(driver: SdkDriverId, options: DriverOptions): Promise<string[]> {
  return guarded(driver, 'listModels', async () => {
    const answer = await options.fetch(`${options.baseUrl.replace(/\/+$/, '')}/models`, { headers: { Authorization: `Bearer ${options.apiKey}`, Accept: 'application/json' } });
    const body = (await answer.json().catch(() => undefined)) as { data?: Array<{ id?: unknown }> } | undefined;
    if (!answer.ok) throw Object.assign(new Error(`models answered HTTP ${answer.status}`), { status: answer.status });
    if (!Array.isArray(body?.data)) throw new Error('models answer has no data list');
    return body.data.map((m) => String(m.id));
  });
}
