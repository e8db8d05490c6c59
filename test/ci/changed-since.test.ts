// run --changed-since GIT_REF: the selection as a pure function, the git call against temporary repositories,
// and the command line (nothing changed: exit 0 and nothing sent; a bad ref or no checkout: one line, exit 2).
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedRunbook } from '../../src/model.ts';
import { projectRoot } from '../../src/paths.ts';
import { productFile } from '../fixtures/products.ts';
import { changedFilesSince, narrowToChanged, selectChanged, type ChangeLayout } from '../../src/run/changed.ts';
import { defaultOptions } from '../../src/run/options.ts';

const run = promisify(execFile);
const bin = path.join(projectRoot, 'bin', 'gt-conformance.js');

function loaded(id: string, file: string, profile?: string): LoadedRunbook {
  return { file, digest: '', lineOf: () => undefined, runbook: { id, ...(profile ? { client_profile: profile } : {}) } as LoadedRunbook['runbook'] };
}

describe('selectChanged', () => {
  const layout: ChangeLayout = { contractDir: '/h/fixtures/contract', clientsDir: '/h/fixtures/clients', schemaFiles: ['/h/runbooks/runbook.schema.json', '/h/fixtures/clients/profile.schema.json'] };
  const runbooks = [loaded('dify', '/h/runbooks/dify.yaml', 'dify'), loaded('langchain', '/h/runbooks/langchain.yaml', 'langchain-openai'), loaded('plain', '/h/runbooks/plain.yaml')];

  it('selects the product of a changed runbook', () => {
    expect(selectChanged(['/h/runbooks/dify.yaml', '/h/README.md'], runbooks, layout)).toEqual({ all: false, products: ['dify'], because: ['/h/runbooks/dify.yaml changed'] });
  });

  it('selects the runbooks that name a changed client profile, and only those', () => {
    expect(selectChanged(['/h/fixtures/clients/langchain-openai.yaml'], runbooks, layout)).toEqual({
      all: false,
      products: ['langchain'],
      because: ['/h/fixtures/clients/langchain-openai.yaml (the client profile of langchain) changed'],
    });
    expect(selectChanged(['/h/fixtures/clients/openai-node.yaml'], runbooks, layout)).toMatchObject({ all: false, products: [] });
  });

  it('selects everything when a contract file or a schema changed', () => {
    expect(selectChanged(['/h/runbooks/dify.yaml', '/h/fixtures/contract/openapi.yaml'], runbooks, layout)).toEqual({ all: true, because: '/h/fixtures/contract/openapi.yaml changed' });
    expect(selectChanged(['/h/fixtures/clients/profile.schema.json'], runbooks, layout)).toMatchObject({ all: true });
    expect(selectChanged(['/h/runbooks/runbook.schema.json'], runbooks, layout)).toMatchObject({ all: true });
  });

  it('selects nothing for code, docs, a deleted runbook, or a file beside the contract folder', () => {
    expect(selectChanged(['/h/src/engine/engine.ts', '/h/docs/ci.md', '/h/runbooks/gone.yaml', '/h/fixtures/contract-notes.md'], runbooks, layout)).toEqual({ all: false, products: [], because: [] });
  });
});

describe('changedFilesSince and narrowToChanged, in a git repository', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' }).toString();

  beforeAll(() => {
    repo = mkdtempSync(path.join(os.tmpdir(), 'gt-changed-'));
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'ci@example.invalid');
    git('config', 'user.name', 'ci');
    mkdirSync(path.join(repo, 'runbooks'));
    for (const id of ['dify', 'librechat', 'open-webui']) cpSync(path.join(projectRoot, productFile(id)), path.join(repo, 'runbooks', `${id}.yaml`));
    writeFileSync(path.join(repo, 'README.md'), 'docs\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'runbooks');
    git('checkout', '-q', '-b', 'change');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  const options = () => ({ ...defaultOptions, changedSince: 'main', runbookFiles: ['dify.yaml', 'librechat.yaml', 'open-webui.yaml'].map((f) => path.join(repo, 'runbooks', f)) });

  it('lists committed, unstaged and untracked changes since the merge base', async () => {
    writeFileSync(path.join(repo, 'README.md'), 'docs, edited\n');
    git('commit', '-q', '-am', 'docs');
    writeFileSync(path.join(repo, 'runbooks', 'dify.yaml'), `${readFileSync(path.join(repo, 'runbooks', 'dify.yaml'), 'utf8')}# a note\n`);
    writeFileSync(path.join(repo, 'new.txt'), 'x\n');
    const files = (await changedFilesSince('main', path.join(repo, 'runbooks'))).map((f) => path.relative(repo, f)).sort();
    expect(files).toEqual(['README.md', 'new.txt', 'runbooks/dify.yaml']);
  });

  it('narrows the run to the changed runbooks, within --product', async () => {
    const log: string[] = [];
    const opts = options();
    expect(await narrowToChanged(opts, { cwd: repo, log: (l) => log.push(l) })).toBe(true);
    expect(opts.products).toEqual(['dify']);
    expect(log).toEqual([expect.stringMatching(/^--changed-since main: running dify \(.*runbooks\/dify\.yaml changed\)$/)]);

    const within = { ...options(), products: ['librechat'] };
    expect(await narrowToChanged(within, { cwd: repo, log: (l) => log.push(l) })).toBe(false);
    expect(log.at(-1)).toMatch(/^--changed-since main: no runbook, client profile or contract file changed among --product librechat \(3 changed files\); nothing to run$/);
  });

  it('is one clear line for an unknown ref, an option-like ref, and outside a git checkout', async () => {
    await expect(changedFilesSince('no-such-branch', repo)).rejects.toThrow(/^--changed-since no-such-branch: not a commit, branch or tag in this repository; in a shallow CI checkout, fetch it first \(git fetch origin no-such-branch\)$/);
    await expect(changedFilesSince('--output=/tmp/x', repo)).rejects.toThrow('--changed-since needs a git ref');
    const outside = mkdtempSync(path.join(os.tmpdir(), 'gt-nogit-'));
    await expect(changedFilesSince('main', outside)).rejects.toThrow(new RegExp(`^--changed-since main: ${outside} is not in a git checkout \\(not a git repository`));
  });

  it('on the command line: nothing changed means exit 0 and no report; a bad ref exit 2', async () => {
    const clean = mkdtempSync(path.join(os.tmpdir(), 'gt-changed-cli-'));
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: clean });
    execFileSync('git', ['-c', 'user.email=ci@example.invalid', '-c', 'user.name=ci', 'commit', '-q', '--allow-empty', '-m', 'empty'], { cwd: clean });
    writeFileSync(path.join(clean, 'notes.md'), 'nothing the checks read\n');
    const ok = await run(process.execPath, [bin, 'run', '--changed-since', 'main', '--out', path.join(clean, 'out')], { cwd: clean });
    expect(ok.stdout).toMatch(/--changed-since main: no runbook, client profile or contract file changed \(1 changed file\); nothing to run/);
    expect(existsSync(path.join(clean, 'out'))).toBe(false);

    const bad = await run(process.execPath, [bin, 'run', '--changed-since', 'v9.9.9'], { cwd: clean }).catch((err: { code: number; stderr: string }) => err);
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr.trim().split('\n')).toEqual([expect.stringMatching(/^gt-conformance run: --changed-since v9\.9\.9: not a commit/)]);
  });
});
