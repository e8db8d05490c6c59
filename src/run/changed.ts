// run --changed-since GIT_REF: only the products whose checks a change can affect. A changed runbook selects
// its product; a changed client profile the runbooks that name it; a changed contract file (or the runbook or
// profile schema) everything. Anything else (the harness's own code included) selects nothing.
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LoadedRunbook } from '../model.ts';
import type { RunOptions } from './options.ts';
import { loadContract } from '../contract/load.ts';
import { defaultRunbookFiles, loadRunbooks } from '../runbook/load.ts';
import { displayPath } from '../input/schema-files.ts';
import { clientsDir, contractDir, runbooksDir } from '../paths.ts';
import { profileIdFor } from '../clients/profiles-for-runbooks.ts';
import { UsageError } from '../input/usage-error.ts';

export type ChangeSelection =
  | { all: true; because: string }
  | { all: false; products: string[]; because: string[] };

export interface ChangeLayout {
  contractDir: string;
  clientsDir: string;
  /** files whose change means every check: the runbook and profile schemas */
  schemaFiles: string[];
}

export const projectLayout: ChangeLayout = {
  contractDir,
  clientsDir,
  schemaFiles: [path.join(runbooksDir, 'runbook.schema.json'), path.join(clientsDir, 'profile.schema.json')],
};

const inside = (dir: string, file: string) => {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/**
 * The products to run for a set of changed files (absolute paths), or all of them. `display` turns a path
 * into what the message shows. Pure: no file is read.
 */
export function selectChanged(changed: string[], runbooks: LoadedRunbook[], layout: ChangeLayout = projectLayout, display: (file: string) => string = (f) => f): ChangeSelection {
  const files = changed.map((f) => path.resolve(f));
  const contract = files.find((f) => inside(layout.contractDir, f) || layout.schemaFiles.includes(f));
  if (contract) return { all: true, because: `${display(contract)} changed` };
  const products = new Set<string>();
  const because: string[] = [];
  for (const loaded of runbooks) {
    const id = loaded.runbook.id;
    const runbookFile = path.resolve(loaded.file);
    const profile = profileIdFor(loaded.runbook);
    const profileFile = files.find((f) => profile !== undefined && inside(layout.clientsDir, f) && path.basename(f).replace(/\.ya?ml$/, '') === profile);
    if (files.includes(runbookFile)) because.push(`${display(runbookFile)} changed`);
    else if (profileFile) because.push(`${display(profileFile)} (the client profile of ${id}) changed`);
    else continue;
    products.add(id);
  }
  return { all: false, products: [...products], because };
}

const run = promisify(execFile);

async function git(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** First line of what git said, for a one-line error. */
function gitMessage(err: unknown): string {
  const e = err as { code?: string | number; stderr?: string };
  if (e.code === 'ENOENT') return 'git is not installed (or not on PATH)';
  return (e.stderr ?? '').trim().split('\n')[0].replace(/^fatal: /, '');
}

/**
 * Every file that differs from the merge base of `ref` and HEAD: committed since (as `git diff REF...` lists
 * them), staged, unstaged and untracked. Absolute paths. Throws a UsageError outside a git checkout or for an
 * unknown ref.
 */
export async function changedFilesSince(ref: string, cwd: string = process.cwd()): Promise<string[]> {
  if (ref === '' || ref.startsWith('-')) throw new UsageError(`--changed-since needs a git ref (a branch, tag or commit), got "${ref}"`);
  let top: string;
  try {
    top = (await git(['rev-parse', '--show-toplevel'], cwd)).trim();
  } catch (err) {
    const detail = gitMessage(err);
    throw new UsageError(`--changed-since ${ref}: ${cwd} is not in a git checkout${detail ? ` (${detail})` : ''}`);
  }
  let base: string;
  try {
    await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], top);
    base = (await git(['merge-base', ref, 'HEAD'], top)).trim();
  } catch (err) {
    const detail = gitMessage(err);
    throw new UsageError(`--changed-since ${ref}: not a commit, branch or tag in this repository${detail ? ` (${detail})` : ''}; in a shallow CI checkout, fetch it first (git fetch origin ${ref})`);
  }
  const names = [
    ...(await git(['diff', '--name-only', '-z', base], top)).split('\0'),
    ...(await git(['ls-files', '--others', '--exclude-standard', '-z'], top)).split('\0'),
  ].filter(Boolean);
  return [...new Set(names)].map((n) => path.join(top, n));
}

/** A path as git reports it (symlinks resolved), for comparing with git's paths; as given when it does not exist. */
function real(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * run --changed-since: narrows options.products to the products whose checks the changes since options.changedSince
 * can affect (within any --product given). Says what it selected and why; false when nothing is selected, and then
 * nothing is to be sent.
 */
export async function narrowToChanged(options: RunOptions, { cwd = process.cwd(), log = console.log }: { cwd?: string; log?: (line: string) => void } = {}): Promise<boolean> {
  const ref = options.changedSince!;
  const changed = await changedFilesSince(ref, cwd);
  const { runbooks } = loadRunbooks(options.runbookFiles ?? defaultRunbookFiles(), loadContract());
  const layout: ChangeLayout = { contractDir: real(projectLayout.contractDir), clientsDir: real(projectLayout.clientsDir), schemaFiles: projectLayout.schemaFiles.map(real) };
  const selection = selectChanged(changed, runbooks.map((r) => ({ ...r, file: real(r.file) })), layout, displayPath);
  if (selection.all) {
    log(`--changed-since ${ref}: ${selection.because}: running every check`);
    return true;
  }
  const products = selection.products.filter((p) => !options.products || options.products.includes(p));
  if (products.length === 0) {
    const scope = options.products ? ` among --product ${options.products.join(', ')}` : '';
    log(`--changed-since ${ref}: no runbook, client profile or contract file changed${scope} (${changed.length} changed file${changed.length === 1 ? '' : 's'}); nothing to run`);
    return false;
  }
  log(`--changed-since ${ref}: running ${products.join(', ')} (${selection.because.join('; ')})`);
  options.products = products;
  return true;
}
