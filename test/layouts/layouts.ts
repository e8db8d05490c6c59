// Key layouts the harness must give no false verdict on: target files written as an operator would, from the
// README, each against the embedded tenant started with the seed it describes, and a second seed as the
// embedded target. A layout run fills the target file's env vars from the tenant's secrets and points a temp
// copy at the tenant's loopback URL, then runs every fixture product (runAgainst, src/run/direct.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { Target } from '../../src/model.ts';
import { loadContract } from '../../src/contract/load.ts';
import { runAgainst, type TargetRun } from '../../src/run/direct.ts';
import { defaultOptions, type RunOptions } from '../../src/run/options.ts';
import { loadRunbooksOrThrow, planRun } from '../../src/run/prepare.ts';
import { loadTargetFile } from '../../src/targets/live.ts';
import { createHash } from 'node:crypto';
import { createTenant, defaultSeedPath, startTenant, type TenantOptions, type TenantSeed } from '../../src/tenant/index.ts';
import { loadSeedFile } from '../../src/tenant/seed.ts';
import { DEFECT_SETTINGS, expectedFailures } from '../../src/selftest/expectations.ts';
import { projectRoot } from '../../src/paths.ts';
import { productFiles } from '../fixtures/products.ts';

const fixtures = path.join(projectRoot, 'test', 'fixtures');
export const SPLIT_ROUTES_SEED = path.join(fixtures, 'seeds', 'split-routes.yaml');

export interface Layout {
  name: string;
  /** the seed the embedded tenant starts with */
  seed: string;
  /** a target file describing that tenant; absent: the tenant's own target (its seed's capability model) */
  targetFile?: string;
}

export const LAYOUTS: readonly Layout[] = [
  { name: 'minimal target file', seed: defaultSeedPath, targetFile: path.join(fixtures, 'targets', 'minimal.yaml') },
  { name: 'sparse target file', seed: defaultSeedPath, targetFile: path.join(fixtures, 'targets', 'sparse.yaml') },
  { name: 'rich target file', seed: SPLIT_ROUTES_SEED, targetFile: path.join(fixtures, 'targets', 'rich.yaml') },
  { name: 'split-routes seed', seed: SPLIT_ROUTES_SEED },
];

/** Short processing and poll deadlines: a stuck upload costs 10 s, not 2 minutes. */
const QUICK: Partial<RunOptions> = { pollDeadlineMs: 10_000, concurrency: 8 };

/**
 * A temp copy of the target file pointing at `baseUrl` (its sample's path made absolute), loaded with its env
 * vars filled from the tenant's secrets; a key of the file is the seed's key of the same name. The copy says
 * `writes: allowed`: the file describes the embedded tenant, which the run may write to.
 */
export function targetFromFile(file: string, baseUrl: string, secrets: Record<string, string>): { target: Target; secrets: Record<string, string> } {
  const raw = parse(readFileSync(file, 'utf8')) as { base_url: string; writes?: string; failing_upload?: { file: string }; keys: Array<{ name: string; secret_env: string }> };
  raw.base_url = baseUrl;
  raw.writes = 'allowed';
  if (raw.failing_upload) raw.failing_upload.file = path.resolve(path.dirname(file), raw.failing_upload.file);
  const env = Object.fromEntries(raw.keys.map((k) => [k.secret_env, secrets[k.name]]));
  const dir = mkdtempSync(path.join(tmpdir(), 'gt-layout-'));
  try {
    const copy = path.join(dir, path.basename(file));
    writeFileSync(copy, stringify(raw));
    const { live, errors } = loadTargetFile(copy, loadContract(), env);
    if (!live) throw new Error(`${file}: ${errors.map((e) => `${e.line}: ${e.path}: ${e.message}`).join('; ')}`);
    return { target: live.target, secrets: Object.fromEntries(raw.keys.map((k) => [k.name, secrets[k.name]])) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The layout's seed with a fixed secret per key name. The secrets of every run stay masked for the rest of the
 * process (src/http/redact.ts remembers them), and each new one makes every later redaction slower: runs that
 * reuse the same secrets cost nothing more.
 */
function seedOf(layout: Layout): TenantSeed {
  const seed = loadSeedFile(layout.seed, loadContract());
  return { ...seed, keys: seed.keys.map((k) => ({ ...k, secret: `gtak_layout_${createHash('sha256').update(k.name).digest('hex').slice(0, 32)}` })) };
}

/** One run of every fixture product against the layout, the tenant started with `tenant` (a profile, defects). */
export async function runLayout(layout: Layout, tenant: TenantOptions = {}, options: Partial<RunOptions> = {}): Promise<TargetRun> {
  const running = await startTenant({ processingMs: 150, ...tenant, seed: seedOf(layout), freshSecrets: false });
  try {
    const { target, secrets } = layout.targetFile ? targetFromFile(layout.targetFile, running.baseUrl, running.secrets) : { target: running.target, secrets: running.secrets };
    return await runAgainst(target, secrets, { runbookFiles: productFiles(), ...QUICK, ...options });
  } finally {
    await running.close();
  }
}

export interface LayoutDefectRow {
  layout: string;
  defect: string;
  /** checks that failed */
  failed: string[];
  /** failed checks no kind names for this defect, with what they saw */
  unexpected: string[];
  /** the message of each unexpected failure */
  why: Record<string, string>;
  /** checks a kind names for this defect (on this layout's keys) that did not fail */
  missed: string[];
}

/**
 * The selftest's row for one defect on one layout: exactly the checks its catching kinds name must fail.
 * `narrow`: only the routes of those checks, without the negative group, where they are all route checks
 * (a route filter leaves the checklist out): a fraction of the run, for npm test.
 */
export async function layoutDefectRow(layout: Layout, defect: string, { narrow = false } = {}): Promise<LayoutDefectRow> {
  const setting = DEFECT_SETTINGS[defect] ?? {};
  const run = await runLayout(layout, { ...setting.tenant, defects: [defect] }, narrow ? narrowed(layout, defect) : {});
  const failed = run.results.filter((r) => r.outcome === 'failed');
  const expected = setting.anyCheck ? undefined : expectedFailures(defect, run.plan, loadContract(), run.target);
  const failedIds = new Set(failed.map((r) => r.checkId));
  const unexpected = failed.filter((r) => (expected ? !expected.has(r.checkId) : !setting.anyCheck!.test(r.message)));
  return {
    layout: layout.name,
    defect,
    failed: [...failedIds],
    unexpected: unexpected.map((r) => r.checkId),
    why: Object.fromEntries(unexpected.map((r) => [r.checkId, r.message])),
    missed: expected ? [...expected].filter((id) => !failedIds.has(id)) : [],
  };
}

/** The routes of the checks the defect's kinds name on this layout's plan, when they are all route checks. */
function narrowed(layout: Layout, defect: string): Partial<RunOptions> {
  const contract = loadContract();
  const tenant = createTenant({ seed: seedOf(layout), freshSecrets: false });
  const { target } = layout.targetFile ? targetFromFile(layout.targetFile, tenant.target.baseUrl, tenant.secrets) : tenant;
  const options = { ...defaultOptions, ...QUICK, runbookFiles: productFiles() };
  const plan = planRun(options, contract, loadRunbooksOrThrow(options, contract), target);
  const expected = plan.checks.filter((c) => expectedFailures(defect, plan, contract, target).has(c.id));
  if (!expected.length || expected.some((c) => c.group !== 'route' && c.group !== 'cross-cutting')) return {};
  return { routes: [...new Set(expected.map((c) => c.route!))], fuzz: 0 };
}
