// Part of `npm run build`, after tsc: each SDK entry (dist/src/drivers/sdk/<name>-package.js) bundled with
// everything it imports into dist/sdk/<name>.js and the chunks it shares with another SDK (dist/sdk/chunk-*.js),
// and the packages in it and its chunks, with their versions, into dist/sdk/<name>.json (src/drivers/sdk/bundles.ts reads both). esbuild is a development dependency: an
// installed package ships the bundles it was built with. Where esbuild cannot run, the build goes on
// without bundles (scripts/build-caches.js) and the harness imports the packages.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SDK_BUNDLES, bundleFile, manifestFile, sdkBundleDir } from '../dist/src/drivers/sdk/bundles.js';
import { projectRoot } from '../dist/src/paths.js';

// The packages' CommonJS files call require(); an ES module bundle has none unless it makes one.
const banner = "import { createRequire as __gtCreateRequire } from 'node:module'; const require = __gtCreateRequire(import.meta.url);";

/** node_modules/@scope/name or node_modules/name (nested ones included) for a bundled input file. */
function packageDirOf(input) {
  const m = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
  return m ? m[1] : undefined;
}

export async function bundleSdks() {
  const { build } = await import('esbuild');
  // the build's own folder: chunks of an earlier build (named by their hash) go
  rmSync(sdkBundleDir, { recursive: true, force: true });
  mkdirSync(sdkBundleDir, { recursive: true });
  // One build of the three, split: a package two SDKs import (zod for ai and LangChain, openai for LangChain and
  // the OpenAI SDK) is one chunk both import, compiled once when a run loads both.
  const result = await build({
    absWorkingDir: projectRoot,
    entryPoints: Object.fromEntries(SDK_BUNDLES.map((name) => [name, path.join(projectRoot, 'dist', 'src', 'drivers', 'sdk', `${name}-package.js`)])),
    outdir: sdkBundleDir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Whitespace and syntax only: the same names in stacks and errors, and a third less source to parse
    // in the check worker (290 -> 240 ms of CPU to import the three bundles).
    minifyWhitespace: true,
    minifySyntax: true,
    banner: { js: banner },
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = result.metafile.outputs;
  /** The inputs of an output file and of every chunk it imports, transitively. */
  const inputsOf = (file, seen = new Set()) => {
    if (seen.has(file)) return [];
    seen.add(file);
    const output = outputs[file];
    return [...Object.keys(output.inputs), ...output.imports.filter((i) => !i.external && outputs[i.path]).flatMap((i) => inputsOf(i.path, seen))];
  };
  for (const name of SDK_BUNDLES) {
    const entry = path.relative(projectRoot, bundleFile(name)).split(path.sep).join('/');
    const dirs = [...new Set(inputsOf(entry).map(packageDirOf).filter(Boolean))].sort();
    const packages = dirs.map((dir) => {
      const { name: pkg, version } = JSON.parse(readFileSync(path.join(projectRoot, dir, 'package.json'), 'utf8'));
      return { dir, name: pkg, version };
    });
    writeFileSync(manifestFile(name), `${JSON.stringify({ packages }, null, 2)}\n`);
  }
}
