// Shared helpers of the tenant's own tests: an in-process tenant driven through supertest.
import request from 'supertest';
import type { Response } from 'supertest';
import { createTenant, type TenantOptions } from '../../src/tenant/index.ts';

export interface TestTenant {
  http: ReturnType<typeof request>;
  secrets: Record<string, string>;
  target: ReturnType<typeof createTenant>['target'];
  /** the Authorization header value of a key of the seed */
  bearer(key: string): string;
  /** advance the fake clock */
  advance(ms: number): void;
}

export function testTenant(opts: TenantOptions = {}): TestTenant {
  let clock = Date.UTC(2026, 0, 15, 12, 0, 0);
  const tenant = createTenant({ now: () => clock, ...opts });
  return {
    http: request(tenant.handler),
    secrets: tenant.secrets,
    target: tenant.target,
    bearer: (key) => {
      const secret = tenant.secrets[key];
      if (!secret) throw new Error(`no key ${key} in the test seed`);
      return `Bearer ${secret}`;
    },
    advance: (ms) => {
      clock += ms;
    },
  };
}

export const API = '/api/tenant/v1';

/** Collects any body (SSE, audio, text) as a Buffer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- superagent's parser callback takes any body
export function binary(res: Response, callback: (err: Error | null, body: any) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream; // in a parser, the response is the raw stream
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** The data payloads of an SSE body, in order. */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      if (!block.startsWith('data: ')) throw new Error(`SSE block is not a data event: ${block.slice(0, 60)}`);
      return block.slice('data: '.length);
    });
}

export function expectErrorBody(res: Response, status: number): { message: string; type: string; code: string | null } {
  if (res.status !== status) throw new Error(`expected status ${status}, got ${res.status}: ${res.text}`);
  if (!String(res.headers['content-type']).startsWith('application/json')) throw new Error(`error content type is ${res.headers['content-type']}`);
  const error = res.body?.error;
  if (!error || typeof error.message !== 'string' || typeof error.type !== 'string' || !(typeof error.code === 'string' || error.code === null)) {
    throw new Error(`not an OpenAI-shaped error body: ${res.text}`);
  }
  return error;
}

export const chatBody = (model = 'mission-agent', content = 'hello there', extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content }],
  ...extra,
});

/** A minimal valid PDF header, so the file decodes. */
export const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
