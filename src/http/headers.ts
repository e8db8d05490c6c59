// Header lookups that do not depend on how a sender spelled the name.

/** The value of a header, whatever the case of its name in `headers`. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(headers).find(([k]) => k.toLowerCase() === wanted)?.[1];
}
