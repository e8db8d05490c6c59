// The HTTP client's error, apart from the client (src/http/client.ts): modules that only recognise it (the probes,
// the planner's request estimate) do not load undici with it.
import type { Exchange } from '../model.ts';

export type HttpErrorKind = 'refused' | 'timeout' | 'reset' | 'dns' | 'tls' | 'deadline' | 'limit' | 'other';

export class HttpError extends Error {
  constructor(
    message: string,
    readonly kind: HttpErrorKind,
    readonly method: string,
    readonly path: string,
    readonly exchange: Exchange,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
