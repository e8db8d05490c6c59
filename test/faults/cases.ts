// The network faults the tests put on one route each, and what each must produce: shared by the test
// (network-faults.test.ts) and the printer of the fault matrix (fault-matrix.ts).
import type { Probe } from '../../src/model.ts';
import type { RunOptions } from '../../src/run/options.ts';
import type { FaultRule, SeenRequest } from './fault-proxy.ts';
import { FAULT_LIMITS } from './fault-run.ts';

export const T = FAULT_LIMITS.timeoutMs;

export const on = (method: string, path: RegExp, body?: RegExp) => (r: SeenRequest) => r.method === method && path.test(r.path.split('?')[0]) && (!body || body.test(r.body));

export interface FaultCase {
  name: string;
  rule: FaultRule;
  /** the routes of the checks the fault may reach: its own, and those of checks that depend on it */
  routes: string[];
  /** what every affected message must say was seen (an SDK says it in its own words) */
  seen: RegExp;
  /** what the plain-HTTP probes say, exactly */
  httpSays: RegExp;
  runOptions?: Partial<RunOptions>;
  /** the probes the fault can fail; default all that send a matching request */
  affects?: (probe: Probe) => boolean;
}

export const faultCases: FaultCase[] = [
  {
    name: 'connection reset mid-body on POST /v1/embeddings',
    rule: { matches: on('POST', /\/v1\/embeddings$/), fault: { kind: 'reset-mid-body' } },
    routes: ['embeddings'],
    seen: /connection reset after \d+ bytes|terminated|Failed to process successful response/,
    httpSays: /POST \/v1\/embeddings: connection reset after \d+ bytes/,
  },
  {
    name: 'GET /v1/models never answers',
    rule: { matches: on('GET', /\/v1\/models$/), fault: { kind: 'hang' } },
    routes: ['models', 'chat'], // the chat-with-alias checklist item lists the models first
    seen: new RegExp(`no answer within ${T} ms|Request timed out`),
    httpSays: new RegExp(`GET /v1/models: no answer within ${T} ms`),
  },
  {
    name: 'a streamed chat completion stops without [DONE] and never closes',
    rule: { matches: on('POST', /\/v1\/chat\/completions$/, /"stream":\s*true/), fault: { kind: 'sse-stall' } },
    routes: ['chat'],
    seen: /stream broke|stalled|aborted due to timeout|Body Timeout Error/,
    httpSays: /the stream broke( after \d+ bytes)?: Body Timeout Error/,
  },
  {
    name: 'malformed JSON with a 200 on POST /v1/conversations',
    rule: { matches: on('POST', /\/v1\/conversations$/), fault: { kind: 'malformed-json' } },
    routes: ['conversations', 'conversation-files', 'chat'],
    seen: /is not JSON/,
    httpSays: /conversations with key conversation-app: the body is not JSON: \{"id":"conv_/,
  },
  {
    name: 'a reverse proxy answers 502 with an HTML page on POST /v1/audio/transcriptions',
    rule: { matches: on('POST', /\/v1\/audio\/transcriptions$/), fault: { kind: 'html-502' } },
    routes: ['transcriptions'],
    seen: /502/,
    httpSays: /answered 502.*<title>502 Bad Gateway<\/title>/,
  },
  {
    name: 'a 429 storm (Retry-After: 1) on POST /v1/audio/speech outlasts the retry budget',
    rule: { matches: on('POST', /\/v1\/audio\/speech$/), fault: { kind: 'rate-limit-storm', retryAfterSeconds: 1 } },
    routes: ['speech'],
    seen: /429/,
    httpSays: /speech with key \S+: (answered 429, expected \d+|expected 200 with audio, got 429)/,
  },
  {
    // An unread stream once held its connection slot forever: with a live target's 2 slots the run deadlocked.
    name: "a streamed chat answered 202 instead of 200, with a live target's concurrency of 2",
    rule: { matches: on('POST', /\/v1\/chat\/completions$/, /"stream":\s*true/), fault: { kind: 'other-2xx', status: 202 } },
    // the SDKs take any 2xx as a stream and pass; the harness's own checks (plain and client profiles) want 200
    affects: (probe) => probe.driver === 'http',
    routes: ['chat'],
    seen: /202/,
    httpSays: /chat with key openai-chat: stream: expected 200, got 202/,
    runOptions: { ...FAULT_LIMITS, concurrency: 2 },
  },
];
