// HTTP plumbing of the tenant: API errors, bounded body reading, JSON answers.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error answer: status, OpenAI-shaped body fields, and any extra headers (Allow, Retry-After). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const errors = {
  unauthorized: (message: string) => new ApiError(401, message, 'authentication_error', 'invalid_api_key'),
  forbidden: (message: string, code: string) => new ApiError(403, message, 'permission_error', code),
  notFound: (message: string, code = 'not_found') => new ApiError(404, message, 'invalid_request_error', code),
  /** 403 or 404, as the profile hides existence or not */
  denied: (status: 403 | 404, message: string, code: string) =>
    new ApiError(status, message, status === 403 ? 'permission_error' : 'invalid_request_error', code),
  badRequest: (status: 400 | 422, message: string, code = 'invalid_request') => new ApiError(status, message, 'invalid_request_error', code),
  tooLarge: (message: string) => new ApiError(413, message, 'invalid_request_error', 'payload_too_large'),
  methodNotAllowed: (allowed: string[]) =>
    new ApiError(405, `method not allowed; use ${allowed.join(' or ')}`, 'invalid_request_error', 'method_not_allowed', { Allow: allowed.join(', ') }),
  rateLimited: (retryAfterSeconds: number | undefined) =>
    new ApiError(429, 'rate limit reached; retry later', 'rate_limit_error', 'rate_limit_exceeded',
      retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) }),
  internal: (message = 'internal server error') => new ApiError(500, message, 'server_error', 'internal_error'),
};

/**
 * Reads the whole body, up to `limit` bytes. A larger body is drained (so the client can finish
 * sending and read the answer) and rejected with 413.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    let tooLarge = Number.isFinite(declared) && declared > limit;
    const chunks: Buffer[] = [];
    let total = 0;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(errors.tooLarge(`request body exceeds the limit of ${limit} bytes`));
      else resolve(Buffer.concat(chunks, total));
    });
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendBytes(res: ServerResponse, status: number, contentType: string, bytes: Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': bytes.length, ...headers });
  res.end(bytes);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
