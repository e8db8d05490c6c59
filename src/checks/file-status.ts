// The upload lifecycle poller: polls GET /v1/files/{id} and its alias /v1/uploads/{id} under a deadline,
// waiting as long as an in-progress answer asks (Retry-After / retry-after-ms, a tenant's processing hint)
// and with exponential backoff where it asks nothing, honours 429 Retry-After, and asserts that a terminal
// state (ready, failed) stays terminal and is the same on every path, and that a failed file says why.
// Pure apart from the injected `get`, clock and sleep, so its tests run on a fake clock.
import { redact } from '../http/redact.ts';
import { retryAfterMs } from '../http/retry-after.ts';

export type FileTerminal = 'ready' | 'failed';
export const TERMINAL_STATES: readonly FileTerminal[] = ['ready', 'failed'];

export interface StatusAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface PollOptions {
  /** path templates with {id}; default: /v1/files/{id} and its alias /v1/uploads/{id} */
  paths?: string[];
  /** total time budget from the call, 429 waits included */
  deadlineMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
  expectTerminal?: FileTerminal;
  /** extra time, past the deadline if need be, for re-reading a terminal state on every path; default 10 s */
  confirmGraceMs?: number;
  /** in now()'s clock (epoch ms by default): nothing, not even the re-reading, goes past it (the run deadline) */
  runDeadline?: number;
  /** contract problems of a status body (e.g. the FileObject schema) */
  validate?: (body: unknown) => string[];
  /** a safety net against a clock that does not move; default 1000 */
  maxPolls?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface PollObservation {
  path: string;
  /** HTTP status */
  status: number;
  /** the file's `status` field, when the answer had one */
  fileStatus?: string;
  /** ms since the poll started */
  atMs: number;
}

export interface PollResult {
  final: FileTerminal | 'timeout' | 'error';
  history: PollObservation[];
  /** empty when the lifecycle is as the contract says */
  problems: string[];
  /** open points where the tenant made one of the allowed choices */
  strictNotes: string[];
  /** the failure reason of a failed file, and the field it was found in */
  reason?: string;
  reasonField?: 'reason' | 'error' | 'error.message' | 'status_details';
}

export const DEFAULT_STATUS_PATHS = ['/v1/files/{id}', '/v1/uploads/{id}'];

type Observed =
  | { kind: 'status'; fileStatus: string; body: Record<string, unknown>; headers: StatusAnswer['headers'] }
  | { kind: 'error'; problem: string }
  | { kind: 'out-of-time'; problem: string };

export async function pollFile(get: (path: string) => Promise<StatusAnswer>, fileId: string, opts: PollOptions): Promise<PollResult> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const paths = (opts.paths ?? DEFAULT_STATUS_PATHS).map((p) => p.replace('{id}', encodeURIComponent(fileId)));
  const maxPolls = opts.maxPolls ?? 1000;
  const started = now();
  const runDeadline = opts.runDeadline ?? Infinity;
  const deadline = Math.min(started + opts.deadlineMs, runDeadline);
  const deadlineWords = runDeadline < started + opts.deadlineMs ? 'the run deadline' : `deadline ${opts.deadlineMs} ms`;
  const result: PollResult = { final: 'timeout', history: [], problems: [], strictNotes: [] };
  let delay = opts.initialDelayMs;

  const backoff = () => {
    const current = delay;
    delay = Math.min(delay * 2, opts.maxDelayMs);
    return current;
  };

  async function observe(path: string, until: number): Promise<Observed> {
    for (;;) {
      if (result.history.length >= maxPolls) return { kind: 'out-of-time', problem: `gave up after ${maxPolls} requests` };
      let answer: StatusAnswer;
      try {
        answer = await get(path);
      } catch (err) {
        return { kind: 'error', problem: `GET ${path} failed: ${redact(err instanceof Error ? err.message : String(err))}` };
      }
      const body = parseBody(answer.body);
      const fileStatus = typeof body?.status === 'string' ? body.status : undefined;
      result.history.push({ path, status: answer.status, ...(fileStatus !== undefined && { fileStatus }), atMs: now() - started });
      if (answer.status === 429) {
        const wait = retryAfterMs(answer.headers, now()) ?? backoff();
        if (now() + wait > until) {
          return { kind: 'out-of-time', problem: `GET ${path} answered 429 asking to wait ${Math.ceil(wait / 1000)} s, past the deadline` };
        }
        await sleep(wait);
        continue;
      }
      if (answer.status < 200 || answer.status > 299) {
        return { kind: 'error', problem: `GET ${path} answered ${answer.status}: ${snippet(answer.body)}` };
      }
      if (!body) return { kind: 'error', problem: `GET ${path} answered ${answer.status} with a body that is not a JSON object: ${snippet(answer.body)}` };
      for (const p of opts.validate?.(body) ?? []) addProblem(`GET ${path}: ${p}`);
      if (typeof body.id === 'string' && body.id !== fileId) addProblem(`GET ${path} describes file "${body.id}", not "${fileId}"`);
      if (fileStatus === undefined || fileStatus === '') return { kind: 'error', problem: `GET ${path} answered without a status field` };
      return { kind: 'status', fileStatus, body, headers: answer.headers };
    }
  }

  function addProblem(problem: string) {
    if (!result.problems.includes(problem)) result.problems.push(problem);
  }

  // Phase 1: poll, alternating the paths, until a terminal state or the deadline.
  let reached: { path: string; state: FileTerminal; body: Record<string, unknown> } | undefined;
  let last: string | undefined;
  for (let round = 0; !reached; round++) {
    const path = paths[round % paths.length];
    const seen = await observe(path, deadline);
    if (seen.kind !== 'status') {
      result.final = seen.kind === 'error' ? 'error' : 'timeout';
      addProblem(seen.problem);
      return result;
    }
    last = seen.fileStatus;
    if (isTerminal(seen.fileStatus)) {
      reached = { path, state: seen.fileStatus, body: seen.body };
      break;
    }
    const remaining = deadline - now();
    if (remaining <= 0) {
      result.final = 'timeout';
      addProblem(`the file is still "${last}" after ${now() - started} ms (${deadlineWords})`);
      return result;
    }
    // A tenant that says when to look again is looked at then: no sooner (a wasted request), no later.
    const hint = retryAfterMs(seen.headers, now());
    await sleep(Math.min(hint ?? backoff(), remaining));
  }

  result.final = reached.state;
  if (reached.state === 'failed') recordReason(reached.body, result);

  // Phase 2: a terminal state must stay, and every path must say the same. Re-reading the path that has just
  // answered would say nothing the other paths do not: each of them reads the same file once more.
  const confirmUntil = Math.min(Math.max(deadline, now() + (opts.confirmGraceMs ?? 10_000)), runDeadline);
  const others = paths.filter((p) => p !== reached!.path);
  for (const path of others.length ? others : paths) {
    const seen = await observe(path, confirmUntil);
    if (seen.kind !== 'status') {
      addProblem(`could not confirm "${reached.state}": ${seen.problem}`);
      continue;
    }
    if (seen.fileStatus === reached.state) continue;
    addProblem(
      path === reached.path
        ? `GET ${path} said "${reached.state}", then "${seen.fileStatus}": a terminal state must stay`
        : `GET ${path} says "${seen.fileStatus}" after GET ${reached.path} said "${reached.state}": a terminal state must stay, and the alias must answer the same`,
    );
  }

  if (opts.expectTerminal && opts.expectTerminal !== reached.state) {
    const why = result.reason ? ` (reason: ${result.reason})` : '';
    addProblem(`expected the file to become "${opts.expectTerminal}", it became "${reached.state}"${why}`);
  }
  return result;
}

export function isTerminal(status: string): status is FileTerminal {
  return (TERMINAL_STATES as readonly string[]).includes(status);
}

/** The failure reason of a failed file, under any of the field names seen in the wild. */
export function failureReason(body: Record<string, unknown>): { field: NonNullable<PollResult['reasonField']>; reason: string } | undefined {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  const error = body.error as { message?: unknown } | string | undefined;
  const candidates: Array<[NonNullable<PollResult['reasonField']>, unknown]> = [
    ['reason', body.reason],
    ['error', typeof error === 'string' ? error : undefined],
    ['error.message', error && typeof error === 'object' ? error.message : undefined],
    ['status_details', body.status_details],
  ];
  for (const [field, value] of candidates) {
    const reason = text(value);
    if (reason) return { field, reason };
  }
  return undefined;
}

function recordReason(body: Record<string, unknown>, result: PollResult) {
  const found = failureReason(body);
  if (!found) {
    result.problems.push('the file is "failed" without a reason (looked at reason, error, error.message, status_details)');
    return;
  }
  result.reason = found.reason;
  result.reasonField = found.field;
  // The strict profile pins `reason`; the others are seen in the wild and allowed by default.
  if (found.field !== 'reason') result.strictNotes.push(`the failure reason is in "${found.field}", not "reason" (the field name is not documented)`);
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function snippet(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body) ?? String(body);
  const flat = redact(text.replace(/\s+/g, ' '));
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}
