// A shell line that sends a generated request again with curl: the key as "$GT_KEY", the base URL as
// "$GT_BASE_URL" unless given. A body with a long run of one character (a case past a size limit) is
// written by `node -e` with "a".repeat(n), so the line stays short and sends the same bytes.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { filesDir } from '../paths.ts';
import type { RouteRequest } from '../contract/requests.ts';

/** Runs of one character longer than this are written as "c".repeat(n). */
const RUN = 64;
/** Bodies longer than this go through node -e, even without long runs. */
const INLINE_MAX = 2_000;

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A JavaScript expression that evaluates to the string, long runs written as .repeat(). */
function stringExpression(text: string): string {
  const pieces: string[] = [];
  const pattern = new RegExp(`([\\s\\S])\\1{${RUN - 1},}`, 'g');
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index! > last) pieces.push(JSON.stringify(text.slice(last, m.index)));
    pieces.push(`${JSON.stringify(m[1])}.repeat(${m[0].length})`);
    last = m.index! + m[0].length;
  }
  if (last < text.length || pieces.length === 0) pieces.push(JSON.stringify(text.slice(last)));
  return pieces.join(' + ');
}

/** A JavaScript expression for a JSON value, its long strings written with .repeat(). */
function valueExpression(value: unknown): string {
  if (typeof value === 'string') return stringExpression(value);
  if (Array.isArray(value)) return `[${value.map(valueExpression).join(', ')}]`;
  if (value && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${valueExpression(v)}`).join(', ')}}`;
  return JSON.stringify(value) ?? 'null';
}

const hasLongRun = (text: string) => new RegExp(`([\\s\\S])\\1{${RUN - 1},}`).test(text);

/** The curl command that sends this request; `baseUrl` is the tenant base URL ending in /api/tenant. */
export function curlLine(request: RouteRequest, baseUrl = '$GT_BASE_URL'): string {
  const parts = ['curl', '-sS', ...(request.stream ? ['-N'] : []), '-X', request.method, `"${baseUrl}${request.path}"`, '-H', '"Authorization: Bearer $GT_KEY"'];
  /** commands that write the files a long multipart part is read from */
  const setup: string[] = [];
  let pipe = '';
  for (const [name, value] of Object.entries(request.multipart?.fields ?? {})) {
    if (!hasLongRun(value)) {
      parts.push('-F', quote(`${name}=${value}`));
      continue;
    }
    setup.push(`node -e ${quote(`process.stdout.write(${stringExpression(value)})`)} > ${quote(`${name}.txt`)}`);
    parts.push('-F', quote(`${name}=<${name}.txt`));
  }
  for (const file of request.multipart?.files ?? []) {
    const { bytes } = file;
    let local = file.filename;
    if (bytes.length > RUN && bytes.every((b) => b === bytes[0])) {
      setup.push(`head -c ${bytes.length} /dev/zero | tr '\\0' ${quote(String.fromCharCode(bytes[0]))} > ${quote(local)}`);
    } else if (existsSync(path.join(filesDir, file.filename))) local = path.relative(process.cwd(), path.join(filesDir, file.filename));
    parts.push('-F', quote(`${file.field}=@${local};type=${file.contentType}`));
  }
  if (request.multipart && Object.keys(request.multipart.fields).length === 0 && request.multipart.files.length === 0) {
    // curl sends no body for no -F at all; an empty form is its closing boundary alone
    parts.push('-H', quote('Content-Type: multipart/form-data; boundary=gt'), '--data-binary', `$'--gt--\\r\\n'`);
  }
  const headers = Object.entries(request.headers ?? {});
  for (const [name, value] of headers) parts.push('-H', quote(`${name}: ${value}`));
  const text = request.json !== undefined ? JSON.stringify(request.json) : request.rawBody;
  if (text !== undefined) {
    if (request.json !== undefined && !headers.some(([h]) => h.toLowerCase() === 'content-type')) parts.push('-H', quote('Content-Type: application/json'));
    if (text.length <= INLINE_MAX && !hasLongRun(text)) parts.push('--data-raw', quote(text));
    else {
      const expression = request.json !== undefined ? `JSON.stringify(${valueExpression(request.json)})` : stringExpression(text);
      pipe = `node -e ${quote(`process.stdout.write(${expression})`)} | `;
      parts.push('--data-binary', '@-');
    }
  }
  return [...setup, pipe + parts.join(' ')].join(' && ');
}
