// Real traffic in HAR form: the real openai package, loaded as ES modules into headless Chromium from the
// tenant's own origin (Playwright serves node_modules/openai there, so no CORS is involved), calls the embedded
// tenant, and Playwright records the browser's HAR. The tenant records the same session as JSON lines.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { filesDir, projectRoot } from '../../src/paths.ts';
import type { RunningTenant } from '../../src/tenant/index.ts';
import { CHROMIUM } from '../reporters/browser.ts';

const sdkDir = path.join(projectRoot, 'node_modules', 'openai');

/**
 * Runs `script` (the body of an async function, as text, so no test transform touches it) in a page of the
 * tenant's origin, and writes the HAR Chromium recorded to harFile. The script sees `OpenAI` and `toFile` from
 * the real package, `base` (the tenant base URL), `secrets` (by key name) and `wav` (tone.wav's bytes).
 */
export async function recordHar(tenant: RunningTenant, harFile: string, script: string): Promise<void> {
  const origin = new URL(tenant.baseUrl).origin;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'] });
  try {
    const context = await browser.newContext({ recordHar: { path: harFile } });
    await context.route(`${origin}/sdk/**`, (route) => {
      const rel = new URL(route.request().url()).pathname.replace(/^\/sdk\//, '');
      if (rel === 'page.html') return route.fulfill({ body: '<!doctype html><title>openai in the browser</title>', contentType: 'text/html' });
      const file = path.join(sdkDir, rel);
      if (!file.startsWith(sdkDir + path.sep)) return route.abort();
      return route.fulfill({ body: readFileSync(file), contentType: 'text/javascript' });
    });
    const page = await context.newPage();
    await page.goto(`${origin}/sdk/page.html`);
    const inputs = { base: tenant.baseUrl, secrets: tenant.secrets, wav: [...readFileSync(path.join(filesDir, 'tone.wav'))] };
    await page.evaluate(
      `(async () => { const { OpenAI, toFile } = await import('/sdk/index.mjs'); const { base, secrets, wav } = ${JSON.stringify(inputs)}; ${script} })()`,
    );
    await context.close(); // writes the HAR
  } finally {
    await browser.close();
  }
}
