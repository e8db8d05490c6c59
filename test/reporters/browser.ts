// Headless Chromium (Debian's chromium package) driven by playwright-core, on a fresh profile with every
// background network feature off: the HTML report is opened the way a person would open the file.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser test cannot run here, or undefined when it can. In CI it always runs (and fails if Chromium is missing). */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM) || process.env.CI) return undefined;
  return `${CHROMIUM} is missing and CI is not set (apt-get install -y chromium)`;
}

export interface OpenReport {
  page: Page;
  /** every URL the page requested */
  requests: string[];
  /** console errors (a CSP violation shows here) */
  consoleErrors: string[];
  close(): Promise<void>;
}

export async function openInChromium(htmlFile: string, width = 1400): Promise<OpenReport> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'gt-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width, height: 1000 },
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (r) => void requests.push(r.url()));
  page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
  await page.goto(pathToFileURL(htmlFile).href);
  return {
    page,
    requests,
    consoleErrors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The matrix with the opened evidence of the clicked cell under it. */
export async function screenshotOpenCell(page: Page, file: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  const bottom = await page.evaluate(() => (document.querySelector('section.detail:not([hidden])') as HTMLElement).getBoundingClientRect().bottom + 16);
  const width = page.viewportSize()?.width ?? 1400;
  await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(bottom, 2000) } });
}
