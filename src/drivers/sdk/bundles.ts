// The SDK bundles of the build (scripts/bundle-sdks.js): each SDK with everything it imports in one file.
// Node loads the packages' hundreds of files one by one; one file loads in a third of the time (0.23
// against 0.67 s of CPU for @langchain/openai), and that load holds up every request in flight.
//
// A bundle is only a faster way to load what is installed: the compiled harness uses it while every
// package in it still has the version it was built from (its manifest, dist/sdk/<name>.json), and imports
// the installed packages otherwise. Running from the sources (the tests), the packages are always imported.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isCompiledModule, projectRoot } from '../../paths.ts';

export const SDK_BUNDLES = ['openai', 'ai', 'langchain'] as const;
export type SdkBundle = (typeof SDK_BUNDLES)[number];

/** Every package whose files are in a bundle: its folder (from the project root) and its version then. */
export interface BundleManifest {
  packages: Array<{ dir: string; name: string; version: string }>;
}

export const sdkBundleDir = path.join(projectRoot, 'dist', 'sdk');
export const bundleFile = (name: SdkBundle) => path.join(sdkBundleDir, `${name}.js`);
export const manifestFile = (name: SdkBundle) => path.join(sdkBundleDir, `${name}.json`);

const compiled = isCompiledModule(import.meta.url);

/** The installed version of the package in `dir` (from root), or undefined. */
function versionIn(root: string, dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Whether every package of the manifest is installed at `root` with the version the bundle holds. */
export function manifestIsCurrent(manifest: BundleManifest, root: string = projectRoot): boolean {
  return manifest.packages.length > 0 && manifest.packages.every((p) => versionIn(root, p.dir) === p.version);
}

function readManifest(name: SdkBundle): BundleManifest | undefined {
  try {
    return JSON.parse(readFileSync(manifestFile(name), 'utf8')) as BundleManifest;
  } catch {
    return undefined;
  }
}

const sources = new Map<SdkBundle, 'bundle' | 'package'>();

/** Where the SDK was (or would be) loaded from. */
export function sdkSource(name: SdkBundle): 'bundle' | 'package' {
  let source = sources.get(name);
  if (!source) {
    const manifest = compiled ? readManifest(name) : undefined;
    source = manifest && manifestIsCurrent(manifest) ? 'bundle' : 'package';
    sources.set(name, source);
  }
  return source;
}

const loaded = new Set<SdkBundle>();

/** The SDKs this process has loaded so far, in the order it loaded them. */
export function loadedSdks(): SdkBundle[] {
  return [...loaded];
}

/** `fromBundle()`, or `fromPackage()` when that fails (a bundle broken after the build): a bundle only saves time. */
export async function bundleOrPackage<T>(fromBundle: () => Promise<T>, fromPackage: () => Promise<T>): Promise<T> {
  try {
    return await fromBundle();
  } catch {
    return fromPackage();
  }
}

/** The SDK's module: the bundle when it is current, else `fromPackage()`. */
export async function loadSdk<T>(name: SdkBundle, fromPackage: () => Promise<T>): Promise<T> {
  loaded.add(name);
  if (sdkSource(name) === 'package') return fromPackage();
  return bundleOrPackage(() => import(pathToFileURL(bundleFile(name)).href) as Promise<T>, () => {
    sources.set(name, 'package');
    return fromPackage();
  });
}
