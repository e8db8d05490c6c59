// A fault-injecting HTTP proxy for the harness's own tests: it stands between the engine and a started
// embedded tenant (both on 127.0.0.1) and forwards every request unchanged, except the requests one rule
// picks out, which meet a network fault. The tenant's code is never touched.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy saw of a request: enough to pick a route, a streamed call, a key. */
export interface SeenRequest {
  method: string;
  /** as sent, with the tenant's base path, e.g. /api/tenant/v1/embeddings */
  path: string;
  body: string;
  /** the User-Agent: the harness's own client says gt-conformance/<version>, an SDK its own name */
  userAgent: string;
}

export type Fault =
  /** no answer, the connection held open (until the fuse) */
  | { kind: 'hang' }
  /** the tenant's 2xx headers and half its body, then the connection is cut */
  | { kind: 'reset-mid-body' }
  /** a 2xx event stream that delivers its first event, then neither sends [DONE] nor closes (until the fuse) */
  | { kind: 'sse-stall' }
  /** the tenant's 2xx JSON answer cut in half: malformed JSON with a 200 */
  | { kind: 'malformed-json' }
  /** a reverse proxy in front of the tenant answers 502 with its HTML error page */
  | { kind: 'html-502' }
  /** every answer is 429 with Retry-After */
  | { kind: 'rate-limit-storm'; retryAfterSeconds: number }
  /** a 200 JSON answer of this many bytes, streamed */
  | { kind: 'huge-body'; bytes: number }
  /** the tenant's 2xx answer, body and headers unchanged, under another 2xx status */
  | { kind: 'other-2xx'; status: number };

export interface FaultRule {
  matches(req: SeenRequest): boolean;
  fault: Fault;
}

export interface FaultProxy {
  /** http://127.0.0.1:port */
  origin: string;
  /** the requests the rule picked out (and faulted, or forwarded when the fault needs a 2xx and the tenant did not give one) */
  picked: SeenRequest[];
  /** the most requests that were in the proxy at once */
  peakInFlight(): number;
  /** hung or stalled requests the client was still waiting on when their fuse ran out (then the proxy ended them normally) */
  fused(): number;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /**
   * How long a hung request or a stalled stream is held before the proxy gives the client the tenant's whole
   * answer after all: the upper bound a test sets on the client's own timeout, with the margin it chooses.
   * A client that never gives up then gets a normal answer, and `fused()` counts it.
   */
  fuseMs?: number;
  /** called with each request the rule picks out, when the proxy has read it */
  onPicked?: (seen: SeenRequest) => void;
}

/** Faults decided from the tenant's answer apply only to a 2xx; anything else passes through. */
const needsUpstream = new Set<Fault['kind']>(['reset-mid-body', 'sse-stall', 'malformed-json', 'other-2xx']);

export const PROXY_502_PAGE = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export async function startFaultProxy(upstreamOrigin: string, rule?: FaultRule, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  const upstreamAgent = new http.Agent({ keepAlive: true });
  const picked: SeenRequest[] = [];
  const fuseMs = options.fuseMs ?? 60_000;
  let inFlight = 0;
  let peak = 0;
  let fused = 0;
  /** Runs `then` after the fuse unless the client went away first. */
  const fuse = (res: http.ServerResponse, then: () => void) => {
    const timer = setTimeout(() => {
      fused += 1;
      then();
    }, fuseMs);
    res.on('close', () => clearTimeout(timer));
  };
  const forward = (seen: SeenRequest, headers: http.IncomingHttpHeaders, body: Buffer, onAnswer: (answer: http.IncomingMessage) => void, res: http.ServerResponse) => {
    const upstream = http.request(`${upstreamOrigin}${seen.path}`, { method: seen.method, headers: { ...headers, host: new URL(upstreamOrigin).host }, agent: upstreamAgent });
    upstream.on('error', () => res.destroy());
    upstream.on('response', onAnswer);
    upstream.end(body);
  };
  const pass = (res: http.ServerResponse) => (answer: http.IncomingMessage) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  };

  const server = http.createServer(async (req, res) => {
    peak = Math.max(peak, ++inFlight);
    res.on('close', () => inFlight--);
    const body = await readAll(req);
    const seen: SeenRequest = { method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString('utf8'), userAgent: req.headers['user-agent'] ?? '' };
    const fault = rule?.matches(seen) ? rule.fault : undefined;
    if (fault) {
      picked.push(seen);
      options.onPicked?.(seen);
    }
    if (fault?.kind === 'hang') return fuse(res, () => forward(seen, req.headers, body, pass(res), res));
    if (fault && !needsUpstream.has(fault.kind)) return answerWithoutTenant(fault, res);

    forward(seen, req.headers, body, async (answer) => {
      const status = answer.statusCode ?? 502;
      if (!fault || status < 200 || status > 299) return pass(res)(answer);
      const rest = corrupt(fault, status, answer.headers, await readAll(answer), res);
      if (rest) fuse(res, () => res.end(rest));
    }, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    picked,
    peakInFlight: () => peak,
    fused: () => fused,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      upstreamAgent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answerWithoutTenant(fault: Fault, res: http.ServerResponse): void {
  switch (fault.kind) {
    case 'html-502':
      res.writeHead(502, { 'content-type': 'text/html', server: 'nginx' });
      res.end(PROXY_502_PAGE);
      return;
    case 'rate-limit-storm':
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(fault.retryAfterSeconds) });
      res.end(JSON.stringify({ error: { message: 'Rate limit reached, retry later', type: 'rate_limit_error', code: 'rate_limited' } }));
      return;
    case 'huge-body':
      streamHugeJson(fault.bytes, res);
      return;
    default:
      throw new Error(`fault ${fault.kind} needs the tenant's answer`);
  }
}

/** Corrupts the tenant's answer; a stalled stream returns what it held back, for the fuse. */
function corrupt(fault: Fault, status: number, headers: http.IncomingHttpHeaders, body: Buffer, res: http.ServerResponse): string | undefined {
  const kept = { ...headers };
  delete kept['content-length'];
  delete kept['transfer-encoding'];
  delete kept.connection;
  delete kept['keep-alive'];
  switch (fault.kind) {
    case 'reset-mid-body': {
      // The full length is announced, half is sent: the client knows the body is incomplete.
      res.writeHead(status, { ...kept, 'content-length': String(body.byteLength) });
      res.write(body.subarray(0, Math.floor(body.byteLength / 2)), () => res.socket?.destroy());
      return;
    }
    case 'sse-stall': {
      const text = body.toString('utf8');
      const end = text.indexOf('\n\n');
      res.writeHead(status, kept);
      res.write(end >= 0 ? text.slice(0, end + 2) : text); // then nothing more, and no end
      return end >= 0 ? text.slice(end + 2) : '';
    }
    case 'malformed-json': {
      const cut = body.subarray(0, Math.max(1, Math.floor(body.byteLength / 2)));
      res.writeHead(status, { ...kept, 'content-length': String(cut.byteLength) });
      res.end(cut);
      return;
    }
    case 'other-2xx': {
      res.writeHead(fault.status, { ...kept, 'content-length': String(body.byteLength) });
      res.end(body);
      return;
    }
    default:
      throw new Error(`fault ${fault.kind} does not corrupt an answer`);
  }
}

/** A syntactically valid model list of `bytes` bytes, written in 64 KiB pieces as the client reads. */
function streamHugeJson(bytes: number, res: http.ServerResponse): void {
  const head = '{"object":"list","data":[';
  const item = '{"id":"padding-model-0000000000000000000000000000000000000000","object":"model","created":0,"owned_by":"x"},';
  const piece = item.repeat(Math.floor((64 * 1024) / item.length));
  const tail = '{"id":"last","object":"model","created":0,"owned_by":"x"}]}';
  const pieces = Math.max(0, Math.floor((bytes - head.length - tail.length) / piece.length));
  const length = head.length + pieces * piece.length + tail.length;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(length) });
  res.write(head);
  let sent = 0;
  const more = () => {
    while (sent < pieces) {
      sent += 1;
      if (!res.write(piece)) return void res.once('drain', more);
    }
    res.end(tail);
  };
  res.on('close', () => (sent = pieces + 1)); // the client stopped reading: stop writing
  more();
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** A base URL on a port nothing listens on: every connection is refused. */
export async function closedPortOrigin(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
