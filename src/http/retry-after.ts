// How long a 429 (or 503) answer asks the caller to wait.

/** Milliseconds to wait: `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: Record<string, string | string[] | undefined>, nowMs: number = Date.now()): number | undefined {
  const header = (name: string) => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : headers[key];
    return (Array.isArray(value) ? value[0] : value)?.trim();
  };
  const ms = header('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Number(ms);
  const value = header('retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Otherwise only an HTTP-date, which names its day or month: Date.parse reads "1.5" as a day in 2001.
  if (!/[A-Za-z]/.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
