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

// The embedded tenant's vectors (src/tenant/content/embedding.ts: component i of a text is the i-th
// little-endian uint32 of sha256(text), scaled to [-1, 1) and rounded to float32), computed outside the
// harness with Python's hashlib and struct, and their base64 (struct.pack('<8f')), so the tests do not take
// their expected values from the generator they test.
export const EMBEDDINGS: Record<string, { floats: number[]; base64: string }> = {
  alpha: {
    floats: [0.35909503698349, 0.2389330118894577, -0.36613646149635315, -0.1487089991569519, 0.8200711011886597, 0.7093960046768188, 0.10943080484867096, 0.9385722279548645],
    base64: 'Ttu3PtuqdD49dru+LEcYvi7wUT/6mjU/Qh3gPUVGcD8=',
  },
  'Mission objective': {
    floats: [-0.382313996553421, 0.81490159034729, 0.252869576215744, -0.4316156208515167, -0.11480194330215454, -0.2244507223367691, 0.12664702534675598, -0.5175666213035583],
    base64: 'qb7DvmSdUD8feIE+ufzcvkgd671p1mW+wq8BPj9/BL8=',
  },
  'Known risks': {
    floats: [-0.10598239302635193, 0.14853087067604065, -0.9464911818504333, -0.558869481086731, -0.6793951392173767, 0.7849499583244324, 0.7003305554389954, -0.8976857662200928],
    base64: 'TA3ZvXoYGD4/TXK/EhIPv9fsLb978kg/3UgzP7zOZb8=',
  },
};
/** 'x' in 20 dimensions: the first 8 from sha256("x"), the rest from sha256("1\0x") */
export const X_20 = [
  -0.4836901128292084, -0.4633742868900299, 0.324108362197876, 0.9156090021133423, 0.3832802474498749, 0.7169261574745178, -0.8161882162094116, 0.010012933053076267, 0.33882105350494385,
  -0.8803783059120178, 0.5376769304275513, 0.9021226763725281, 0.29964306950569153, -0.2566104233264923, -0.8425477147102356, 0.5352596640586853, 0.8022957444190979, -0.29172754287719727,
  0.566584050655365, -0.8185366988182068,
];
