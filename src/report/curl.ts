// A copy-paste `curl` command that sends a failed check's request again, built from its recorded
// (already redacted) exchange. The key is never in it: the command reads it from "$ENV_VAR".
// Every value the tenant could have influenced (URL path segments, header values, bodies) goes
// through shellQuote, so a hostile tenant cannot make the command run anything else.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Exchange } from '../model.ts';
import { filesDir } from '../paths.ts';
import { ENV_NAME } from '../targets/key-env.ts';
import type { ConformanceReport, ReportCheck } from './report-model.ts';

/** Where `gt-conformance mock` listens by default: the embedded tenant a reproduction runs against. */
export const DEFAULT_MOCK_PORT = 8787;
const MOCK_ORIGIN = `http://127.0.0.1:${DEFAULT_MOCK_PORT}`;
/** The env var named when the check's key is not a target key (a malformed or unknown key). */
const FALLBACK_ENV = 'GT_KEY';
/** At most this many commands per check: the last distinct requests, where a failure usually is. */
const MAX_COMMANDS = 3;

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'cookie']);
/** Headers curl sets itself from what it sends. */
const TRANSPORT_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'accept-encoding']);
/** What recordText appends to a body it cut. */
const CUT_BODY = / … \((?:\d+ bytes in all|cut at the size limit)[^)]*\)$/;
const SAFE_FILENAME = /^[A-Za-z0-9._-]+$/;
/** What $GT_KEY must hold when the check presents one of the planner's special keys. */
const SPECIAL_KEYS: Record<string, string> = {
  '@malformed': 'a bearer value that is not a well-formed gtak_ key, e.g. not-a-gt-key',
  '@unknown': 'a well-formed gtak_ key that the tenant never issued',
};

/** One POSIX shell word: single-quoted, with each ' written as '\''. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface MultipartPart {
  name: string;
  value?: string;
  filename?: string;
  bytes?: number;
  contentType?: string;
}

/**
 * The parts of a recorded multipart body (src/http/multipart.ts describeMultipart, and the SDK drivers'
 * record): `model="whisper"; file=tone.wav <4044 bytes audio/wav>`. Undefined when it is not one.
 */
export function parseMultipartRecord(text: string): MultipartPart[] | undefined {
  const parts: MultipartPart[] = [];
  let rest = text;
  while (rest.length > 0) {
    const name = /^([^=;"]+)=/.exec(rest);
    if (!name) return undefined;
    rest = rest.slice(name[0].length);
    const field = /^"(?:[^"\\]|\\.)*"/.exec(rest);
    const file = field ? undefined : /^(.*?) <(\d+) bytes ([^>]*)>/.exec(rest);
    if (field) parts.push({ name: name[1], value: JSON.parse(field[0]) as string });
    else if (file) parts.push({ name: name[1], filename: file[1], bytes: Number(file[2]), contentType: file[3] });
    else return undefined;
    rest = rest.slice((field ?? file)![0].length);
    if (rest.startsWith('; ')) rest = rest.slice(2);
    else if (rest.length > 0) return undefined;
  }
  return parts.length ? parts : undefined;
}

/** The harness's fixture file a part stands for: the file of that name, else one of the same kind. */
function fixtureFor(part: MultipartPart): string {
  if (part.filename && SAFE_FILENAME.test(part.filename) && existsSync(path.join(filesDir, part.filename))) return part.filename;
  if (part.contentType?.startsWith('audio/')) return 'tone.wav';
  if (part.contentType === 'application/pdf') return 'undecodable.pdf';
  return 'brief.txt';
}

function formArgs(parts: MultipartPart[]): string[] {
  return parts.map((part) => {
    if (part.filename === undefined) return `--form-string ${shellQuote(`${part.name}=${part.value ?? ''}`)}`;
    const fixture = fixtureFor(part);
    const name = part.filename !== fixture && SAFE_FILENAME.test(part.filename) ? `;filename=${part.filename}` : '';
    const type = part.contentType && /^[\w.+-]+\/[\w.+-]+$/.test(part.contentType) ? `;type=${part.contentType}` : '';
    return `-F ${shellQuote(`${part.name}=@fixtures/files/${fixture}${name}${type}`)}`;
  });
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([n]) => n.toLowerCase() === name)?.[1];
}

export interface CurlOptions {
  /** the env var that holds the key; absent: $GT_KEY */
  keyEnv?: string;
  /** the check's key preset, or the special key it presents (@malformed, @unknown), for the note on $GT_KEY */
  keyPreset?: string;
  /** the run was against the embedded tenant: send to `gt-conformance mock` on its default port instead */
  embedded?: boolean;
}

/** The lines of one curl command (joined with ` \` continuations), with `#` notes before it where it cannot be exact. */
export function curlCommand(exchange: Exchange, options: CurlOptions = {}): string {
  const { request } = exchange;
  const notes: string[] = [];
  const head: string[] = ['curl -i'];
  const args: string[] = [];
  const headers = request.headers;
  const contentType = headerValue(headers, 'content-type') ?? '';
  const multipart = /^multipart\//i.test(contentType) && request.body !== undefined ? parseMultipartRecord(request.body) : undefined;
  const streamed = /"stream"\s*:\s*true/.test(request.body ?? '') || /event-stream/.test(exchange.response?.headers['content-type'] ?? '');
  if (streamed) head.push('-N');
  const hasBody = request.body !== undefined && request.body !== '';
  if (request.method !== 'GET' && !(request.method === 'POST' && hasBody)) head.push(`-X ${/^[A-Z]+$/.test(request.method) ? request.method : shellQuote(request.method)}`);

  let url = request.url;
  if (options.embedded) {
    try {
      const parsed = new URL(url);
      url = MOCK_ORIGIN + parsed.pathname + parsed.search;
    } catch {
      // not an absolute URL: leave it as recorded
    }
  }
  head.push(shellQuote(url));

  const auth = headerValue(headers, 'authorization');
  if (auth !== undefined) {
    const scheme = /^([A-Za-z]+)\s/.exec(auth)?.[1] ?? 'Bearer';
    const env = options.keyEnv && ENV_NAME.test(options.keyEnv) ? options.keyEnv : FALLBACK_ENV;
    if (env === FALLBACK_ENV) notes.push(`# ${FALLBACK_ENV}: ${SPECIAL_KEYS[options.keyPreset ?? ''] ?? `the key to present${options.keyPreset ? ` (key preset ${options.keyPreset})` : ''}`}`);
    args.push(`-H "Authorization: ${scheme} $${env}"`);
  }
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (CREDENTIAL_HEADERS.has(lower) || TRANSPORT_HEADERS.has(lower)) continue;
    if (lower === 'content-type' && multipart) continue; // curl -F writes its own boundary
    args.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (headerValue(headers, 'accept-encoding')) args.push('--compressed');

  if (hasBody) {
    const body = request.body!;
    if (multipart) {
      args.push(...formArgs(multipart));
      if (multipart.some((p) => p.filename !== undefined && fixtureFor(p) !== p.filename)) notes.push('# the uploaded file is a stand-in from fixtures/files/ (run from the gt-conformance folder)');
    } else if (/^multipart\//i.test(contentType) || /^<\d+ bytes [^>]*>$/.test(body)) {
      notes.push(`# the body was not recorded (${body.slice(0, 80)}): add it`);
    } else {
      if (CUT_BODY.test(body)) notes.push('# the recorded body was cut at 4 KiB: complete it before sending');
      args.push(`--data-raw ${shellQuote(body.replace(CUT_BODY, ''))}`);
    }
  }
  return [...notes, [head.join(' '), ...args].join(' \\\n  ')].join('\n');
}

/** The requests of a check worth reproducing: each distinct request once, the last MAX_COMMANDS of them. */
function distinctRequests(exchanges: Exchange[]): Exchange[] {
  const seen = new Map<string, Exchange>();
  for (const e of exchanges) {
    const key = JSON.stringify([e.request.method, e.request.url, e.request.body ?? '']);
    seen.delete(key);
    seen.set(key, e);
  }
  return [...seen.values()].slice(-MAX_COMMANDS);
}

/** The curl reproduction of a failed check (comment lines and commands), or undefined for any other check. */
export function reproduction(check: ReportCheck, report: Pick<ConformanceReport, 'target'>): string | undefined {
  if (check.outcome !== 'failed' || check.exchanges.length === 0) return undefined;
  const embedded = report.target.kind === 'embedded';
  const head = embedded
    ? `# against the embedded tenant: start gt-conformance mock --export-keys gt-keys.env (it listens on ${MOCK_ORIGIN}), then . ./gt-keys.env here`
    : `# ${check.keyEnv ? `${check.keyEnv} holds the secret of key preset ${check.keyPreset ?? '?'}, as for the run` : 'the key of the check'}`;
  const commands = distinctRequests(check.exchanges).map((e) => curlCommand(e, { keyEnv: check.keyEnv, keyPreset: check.keyPreset, embedded }));
  return [head, ...commands].join('\n');
}
