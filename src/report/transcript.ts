// One HTTP exchange as a plain-text transcript (curl -v style), for Allure attachments and the HTML report.
import type { Exchange } from '../model.ts';

function headerLines(prefix: string, headers: Record<string, string>): string[] {
  return Object.entries(headers).map(([name, value]) => `${prefix} ${name}: ${value}`);
}

/** The title of an exchange: "POST /v1/chat/completions → 200" (or the transport error). */
export function exchangeTitle(exchange: Exchange): string {
  let path = exchange.request.url;
  try {
    const url = new URL(exchange.request.url);
    path = url.pathname + url.search;
  } catch {
    // not an absolute URL: show it as recorded
  }
  const result = exchange.response ? String(exchange.response.status) : `error: ${exchange.error ?? 'no response'}`;
  return `${exchange.request.method} ${path} → ${result}`;
}

export function exchangeTranscript(exchange: Exchange): string {
  const { request, response } = exchange;
  const lines = [`# ${exchange.label}`, `# started ${exchange.startedAt}, took ${exchange.durationMs} ms`, ''];
  lines.push(`> ${request.method} ${request.url}`, ...headerLines('>', request.headers), '>');
  if (request.body) lines.push(request.body);
  lines.push('');
  if (response) {
    lines.push(`< ${response.status} (${response.bytes} bytes)`, ...headerLines('<', response.headers), '<');
    if (response.body) lines.push(response.body);
  }
  if (exchange.error) lines.push(`! ${exchange.error}`);
  return lines.join('\n') + '\n';
}
