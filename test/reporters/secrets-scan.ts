// Searches written text for secrets: the secret itself, its base64 forms (Allure embeds attachments as base64),
// and any gtak_ token longer than its masked form.
import { findSecretLeaks } from '../../src/report/scrub.ts';

/** The base64 text any encoding of `secret` contains, whatever its offset in the encoded data. */
export function base64Needles(secret: string): string[] {
  return [0, 1, 2].map((k) => {
    const encoded = Buffer.from('x'.repeat(k) + secret, 'utf8').toString('base64');
    return encoded.slice(k ? 4 : 0, -4);
  });
}

export function leaksIn(text: string, secrets: readonly string[]): string[] {
  const leaks = findSecretLeaks(text, secrets);
  for (const secret of secrets) {
    if (base64Needles(secret).some((n) => text.includes(n))) leaks.push(`base64 of the secret ending ${secret.slice(-4)}`);
  }
  return leaks;
}
