// Makes docs/report-screenshot.png from a real run against the embedded tenant with one injected defect:
//   node --import tsx test/reporters/make-screenshot.ts [--defect ID]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../../src/paths.ts';
import type { ConformanceReport } from '../../src/report/report-model.ts';
import { openInChromium, screenshotOpenCell } from './browser.ts';

const { values } = parseArgs({ options: { defect: { type: 'string', default: 'sse-no-done' }, out: { type: 'string', default: path.join(projectRoot, 'docs', 'report-screenshot.png') } } });
const outDir = mkdtempSync(path.join(os.tmpdir(), 'gt-screenshot-'));
try {
  const run = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'gt-conformance.js'), 'run', '--defect', values.defect!, '--seed', '1', '--out', outDir], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  const report = JSON.parse(readFileSync(path.join(outDir, 'conformance-report.json'), 'utf8')) as ConformanceReport;
  const product = report.products.find((p) => p.routes.some((c) => c.outcome === 'failed'));
  if (!product) throw new Error(`the run with --defect ${values.defect} (exit ${run.status}) has no failed cell`);
  const cell = product.routes.find((c) => c.outcome === 'failed')!;
  const browser = await openInChromium(path.join(outDir, 'conformance-report.html'), 1280); // the matrix fits 1280 px
  await browser.page.locator(`tr[data-product="${product.id}"] button[data-route="${cell.route}"]`).click();
  await screenshotOpenCell(browser.page, values.out!);
  await browser.close();
  console.log(`${values.out}: ${product.id} › ${cell.route} failed with --defect ${values.defect}`);
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
