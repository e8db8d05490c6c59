// A hostile tenant for the harness's own tests: a node:http server on 127.0.0.1 that speaks just enough of the
// tenant API to be run against, and misbehaves in one chosen way. It never needs the embedded tenant.
// Every endless answer is bounded here too (bytes and time), and ends when the harness hangs up.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { encodingsOf } from '../reporters/secrets-scan.ts';

/** What a hostile tenant puts in its messages: ANSI escapes, C0/C1 controls, a bidi override, Markdown and HTML. */
export const HOSTILE_TEXT =
  'bad \x1b[2J\x1b[31mred\x1b[0m \x1b]0;pwned title\x07 over\rwrite \x9b31m c1 \u202eevil\u202c bell\x07 nul\x00 | cell | `code` <script>alert(1)</script> [link](javascript:alert(1)) ![img](http://x/y.png) # head\nnext line';

/** A control character a terminal or Markdown renderer would act on. */
export const CONTROL_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

export type Behaviour =
  /** sends the caller's key back in every encoding: bodies, error messages, header values and names, split across SSE events */
  | 'echo-secrets'
  /** a streamed chat answer is one line without a line end, forever */
  | 'endless-line'
  /** a streamed chat answer is an endless flood of small events */
  | 'event-flood'
  /** the model list and a chat answer are just under the size limit, of half a million wrong items; embeddings nest 400,000 deep */
  | 'long-wrong-lists'
  /** every answer is 429 with this Retry-After, in seconds */
  | { retryAfterSeconds: number }
  /**
   * all of them in one run: embeddings answer 429 with this Retry-After; streamed chats take turns at the endless
   * line, the event flood and the key split across events (the harness's own client and the SDKs each from the
   * first turn); every other answer echoes the key
   */
  | { everything: true; retryAfterSeconds: number };

export interface HostileTenant {
  /** the base URL for a target file: http://127.0.0.1:port/api/tenant */
  baseUrl: string;
  requests: number;
  /** when the first request came (epoch ms): a run's deadline starts just before it */
  firstRequestAt?: number;
  /** when a request last came in or an answer last ended (finished, or cut by the harness) */
  lastActivityAt?: number;
  /** TCP connections accepted, and the most open at once */
  connections: { total: number; peak: number };
  /** bytes the endless answers wrote */
  pouredBytes: number;
  /** streamed chat requests, from the harness's own client (replays included) and from the SDK drivers */
  streams: { harness: number; sdk: number };
  close(): Promise<void>;
}

/** What an endless answer may cost the test machine at most, whatever the harness does. */
const MAX_POUR_BYTES = 512 * 1024 * 1024;
const MAX_POUR_MS = 60_000;

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const completion = (content: string) => ({
  id: 'chatcmpl-hostile',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'mission-agent',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
});

const chunk = (content: string) =>
  JSON.stringify({ id: 'chatcmpl-hostile', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'mission-agent', choices: [{ index: 0, delta: { content }, finish_reason: null }] });

/** Header-safe forms of the key for values (no line breaks) and for names (token characters only). */
function headerForms(key: string): { values: Record<string, string>; names: string[] } {
  const values: Record<string, string> = {};
  encodingsOf(key)
    .filter((e) => !/[\r\n]/.test(e.text))
    .forEach((e, i) => (values[`x-echo-${i}`] = e.text));
  const core = key.replace(/^gtak_/, '');
  const names = [`x-${key}`, core, `x-${Buffer.from(core).toString('hex')}`].filter((n) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(n));
  return { values, names };
}

function echoAnswer(res: http.ServerResponse, key: string, path: string, streamed: boolean) {
  const { values, names } = headerForms(key);
  const headers: Record<string, string> = { ...values, ...Object.fromEntries(names.map((n) => [n, 'echo'])) };
  const everything = encodingsOf(key).map((e) => `${e.form}: ${e.text}`).join(' ; ');
  if (path.endsWith('/chat/completions') && streamed) {
    const third = Math.floor(key.length / 3);
    const pieces = [key.slice(0, third), key.slice(third, 2 * third), key.slice(2 * third), ` ${HOSTILE_TEXT} `, Buffer.from(key).toString('base64')];
    res.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
    res.end(`${pieces.map((p) => `data: ${chunk(p)}\n\n`).join('')}data: [DONE]\n\n`);
    return;
  }
  if (path.endsWith('/chat/completions')) return json(res, 200, completion(`${HOSTILE_TEXT} ${everything}`), headers);
  if (path.endsWith('/models')) {
    const ids = [HOSTILE_TEXT, ...encodingsOf(key).map((e) => e.text)];
    return json(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: HOSTILE_TEXT })) }, headers);
  }
  json(res, 400, { error: { message: `${HOSTILE_TEXT} ${everything}`, type: 'invalid_request_error', param: key, code: Buffer.from(`Bearer ${key}`).toString('base64') } }, headers);
}

/** Wrong items (a number where an object must be) to just under the harness's 1 MiB answer limit. */
const WRONG_ITEMS = new Array(500_000).fill(0);

function longWrongList(res: http.ServerResponse, path: string) {
  if (path.endsWith('/models')) return json(res, 200, { object: 'list', data: WRONG_ITEMS });
  if (path.endsWith('/chat/completions')) return json(res, 200, { ...completion('ok'), choices: WRONG_ITEMS });
  if (path.endsWith('/embeddings')) {
    // nested 400,000 deep: JSON.parse takes it, JSON.stringify and recursive code overflow the stack on it
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(`{"object":"list","data":${'['.repeat(400_000)}${']'.repeat(400_000)}}`);
  }
  json(res, 400, { error: { message: 'hostile tenant', type: 'invalid_request_error' } });
}

/** Writes `piece` until the harness hangs up, or the caps above are reached. */
async function pour(res: http.ServerResponse, piece: Buffer, tenant: HostileTenant): Promise<void> {
  const until = Date.now() + MAX_POUR_MS;
  let sent = 0;
  while (!res.destroyed && sent < MAX_POUR_BYTES && Date.now() < until) {
    sent += piece.length;
    tenant.pouredBytes += piece.length;
    if (!res.write(piece)) {
      await new Promise<void>((resolve) => {
        const go = () => {
          res.off('drain', go).off('close', go);
          resolve();
        };
        res.on('drain', go).on('close', go);
      });
    }
  }
  res.end();
}

export async function startHostileTenant(behaviour: Behaviour): Promise<HostileTenant> {
  const sockets = new Set<Socket>();
  let open = 0;
  const tenant: HostileTenant = { baseUrl: '', requests: 0, connections: { total: 0, peak: 0 }, pouredBytes: 0, streams: { harness: 0, sdk: 0 }, close: async () => {} };
  const line = Buffer.from('x'.repeat(64 * 1024));
  const flood = Buffer.from(`data: {"choices":[{"index":0,"delta":{"content":"x"}}]}\n\n`.repeat(200));
  const streams = tenant.streams;

  const server = http.createServer((req, res) => {
    tenant.requests++;
    tenant.firstRequestAt ??= Date.now();
    tenant.lastActivityAt = Date.now();
    res.on('close', () => (tenant.lastActivityAt = Date.now()));
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size < 1024 * 1024) parts.push(c);
    });
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body = Buffer.concat(parts).toString('utf8');
      const streamed = /"stream"\s*:\s*true/.test(body);
      const key = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      const isStream = path.endsWith('/chat/completions') && streamed;
      const rateLimit = (seconds: number) => json(res, 429, { error: { message: 'slow down', type: 'rate_limit' } }, { 'retry-after': String(seconds) });
      if (typeof behaviour === 'object' && 'everything' in behaviour) {
        if (path.endsWith('/embeddings')) return rateLimit(behaviour.retryAfterSeconds);
        // The SDK drivers send through fetch, which adds Sec-Fetch-Mode; the harness's own client does not.
        const sender = req.headers['sec-fetch-mode'] ? 'sdk' : 'harness';
        const turn = isStream ? streams[sender]++ % 3 : -1;
        if (turn === 0 || turn === 1) return endless(res, turn === 0 ? 'endless-line' : 'event-flood');
        return echoAnswer(res, key, path, streamed);
      }
      if (typeof behaviour === 'object') return rateLimit(behaviour.retryAfterSeconds);
      if (behaviour === 'echo-secrets') return echoAnswer(res, key, path, streamed);
      if (behaviour === 'long-wrong-lists') return longWrongList(res, path);
      if (isStream) return endless(res, behaviour);
      // Plain calls succeed where an SDK needs them to reach its streamed call; the rest is refused.
      if (path.endsWith('/chat/completions')) return json(res, 200, completion('ok'));
      json(res, 400, { error: { message: 'hostile tenant', type: 'invalid_request_error' } });
    });
  });
  const endless = (res: http.ServerResponse, kind: 'endless-line' | 'event-flood') => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (kind === 'endless-line') res.write('data: ');
    void pour(res, kind === 'endless-line' ? line : flood, tenant);
  };
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    tenant.connections.total++;
    tenant.connections.peak = Math.max(tenant.connections.peak, ++open);
    socket.on('close', () => {
      sockets.delete(socket);
      open--;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tenant.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/tenant`;
  tenant.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return tenant;
}
