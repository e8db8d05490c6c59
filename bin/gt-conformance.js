#!/usr/bin/env node
// Runs the compiled command line, dist/src/cli/main.js (`npm run build`; `npm ci` builds it through `prepare`).
// In a checkout whose dist/ is missing or older than src/, it says so in one line and runs the sources
// through tsx (a development dependency) instead, or exits 2 with the fix when tsx is not installed.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { distStaleness } from './dist-state.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function loadMain() {
  const stale = distStaleness(root);
  if (!stale) return import(pathToFileURL(path.join(root, 'dist', 'src', 'cli', 'main.js')).href);
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    console.error(`gt-conformance: ${stale}: run \`npm run build\` in ${root}`);
    process.exit(2);
  }
  console.error(`gt-conformance: ${stale}, so the sources run through tsx (slower); \`npm run build\` compiles them`);
  register();
  return import(pathToFileURL(path.join(root, 'src', 'cli', 'main.ts')).href);
}

const { main } = await loadMain();
process.exitCode = await main(process.argv.slice(2));
