// What the one redaction (src/http/redact.ts) costs on a large text: a report of a few MB is scrubbed whole
// before it is written. Compared with what the redaction did before it looked for other forms (the literal
// secret and its URL encoding, then gtak_ tokens). Prints figures, asserts nothing.
//   npx tsx bench/redact-cost.ts [MB] [secrets]
import { randomBytes } from 'node:crypto';
import { redact } from '../src/http/redact.ts';

const megabytes = Number(process.argv[2] ?? 5);
const count = Math.max(2, Number(process.argv[3] ?? 10));
const secrets = Array.from({ length: count }, () => `gtak_${randomBytes(24).toString('base64url')}`);

/** The redaction before: the literal secret and its URL encoding, then every gtak_ token. */
function literalOnly(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('****').split(encodeURIComponent(s)).join('****');
  return out.replace(/gtak_(?!\*{4})[A-Za-z0-9_-][A-Za-z0-9._~+/=-]*/g, 'gtak_****');
}

const exchange = JSON.stringify({
  label: 'chat completion',
  request: { method: 'POST', url: 'http://127.0.0.1:8080/api/tenant/v1/chat/completions', headers: { authorization: 'Bearer gtak_****abcd' } },
  response: { status: 400, body: '{"error":{"message":"bad request \\"x\\" for model mission-agent","type":"invalid_request_error"}}' },
});
const units: Record<string, string> = {
  'report JSON (escapes on every line)': `${exchange}\n`,
  'plain text': 'The quick brown fox jumps over the lazy dog; answered 200 with 12 models.\n',
  'base64 and hex (an attachment)': `${randomBytes(3000).toString('base64')}\n${randomBytes(2000).toString('hex')}\n`,
};
/** A flat copy: V8 keeps a repeated or concatenated string as a rope until it is first read. */
const flat = (s: string) => Buffer.from(s, 'utf8').toString('utf8');
const fastest = (f: () => void) =>
  Math.min(
    ...[0, 1, 2].map(() => {
      const started = performance.now();
      f();
      return performance.now() - started;
    }),
  );

console.log(`${megabytes} MB of text, ${count} secrets of ${secrets[0].length} characters (fastest of 3)`);
for (const [name, unit] of Object.entries(units)) {
  const text = flat(unit.repeat(Math.ceil((megabytes * 1024 * 1024) / unit.length)));
  const half = text.length / 2;
  const leaking = flat(`${text.slice(0, half)} ${secrets[0].toUpperCase()} ${Buffer.from(`Bearer ${secrets[1]}`).toString('base64')} ${text.slice(half)}`);
  redact(text.slice(0, 10_000), secrets); // compiles the secrets' pattern once
  console.log(
    `${name}: ${fastest(() => redact(text, secrets)).toFixed(0)} ms; with two secrets in it ${fastest(() => redact(leaking, secrets)).toFixed(0)} ms;` +
      ` literal only (before) ${fastest(() => literalOnly(text)).toFixed(0)} ms`,
  );
}
