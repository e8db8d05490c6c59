// `report --allure`: the Allure results of a run rendered as one self-contained HTML file, offline, with the
// allure npm package (v3). Its Allure 2 style plugin is used because it honours ALLURE_NO_ANALYTICS; the
// default plugin would add a Google Analytics tag to the page.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { claimOutDir } from './out-dir.ts';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The allure CLI entry (node_modules/allure/cli.js), found through the package's main module. */
export function allureCli(): string {
  return path.resolve(path.dirname(require.resolve('allure')), '..', 'cli.js');
}

export interface AllureHtml {
  index: string;
  tests: number;
}

/** Renders into a fresh temporary folder, then copies what allure wrote (index.html, summary.json, ...) into reportDir, claimed as --allure-out. */
export async function renderAllureHtml(resultsDir: string, reportDir: string, name = 'GT conformance'): Promise<AllureHtml> {
  if (!existsSync(resultsDir)) throw new Error(`${resultsDir}: no Allure results (run the conformance suites first)`);
  const tests = readdirSync(resultsDir).filter((f) => f.endsWith('-result.json')).length;
  if (!tests) throw new Error(`${resultsDir}: no Allure test results in the folder`);
  claimOutDir(reportDir, '--allure-out');
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'gt-allure-'));
  try {
    const config = path.join(configDir, 'allurerc.mjs');
    const rendered = path.join(configDir, 'report');
    writeFileSync(config, `export default ${JSON.stringify({ name, plugins: { allure2: { options: { singleFile: true, reportName: name } } } })};\n`);
    const { code, output } = await run(process.execPath, [allureCli(), 'generate', resultsDir, '--config', config, '--output', rendered], {
      ...process.env,
      ALLURE_NO_ANALYTICS: 'true',
      NO_COLOR: '1',
    });
    const renderedIndex = path.join(rendered, 'index.html');
    if (code !== 0 || !existsSync(renderedIndex)) throw new Error(`allure generate failed (exit ${code}): ${output.trim().split('\n').slice(-1)[0] ?? ''}`);
    const html = readFileSync(renderedIndex, 'utf8');
    if (/<script[^>]+src=["']?https?:/i.test(html)) throw new Error(`${renderedIndex} loads a script from the network; refusing to keep it`);
    cpSync(rendered, reportDir, { recursive: true });
    return { index: path.join(reportDir, 'index.html'), tests };
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
