// src/report/allure-html.ts without running Allure: node:child_process's spawn is replaced, for one call, by a
// fake allure that reads the config it is given and writes what the test tells it to (an index.html, an exit
// code, output lines), so each rule of renderAllureHtml is seen on its own: the folders it refuses, the command and
// environment (ALLURE_NO_ANALYTICS), the config (allure2, one file, the report's name), the failure words,
// the page that loads a script from the network, the copy into --allure-out and the temporary folder removed.
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { allureCli, renderAllureHtml } from '../../src/report/allure-html.ts';
import { OUT_DIR_MARKER } from '../../src/report/out-dir.ts';
import { inTempDir } from './temp-dir.ts';

// Not vi.mock: the harness project does not isolate its test files (vitest.config.ts), so a module another
// file loaded first would keep the real spawn. The builtin's exports are swapped and synced instead, and put back.
const realSpawn = childProcess.spawn;
let spawned = 0;

function setSpawn(spawn: typeof childProcess.spawn): void {
  childProcess.spawn = spawn;
  syncBuiltinESMExports();
}

afterEach(() => {
  setSpawn(realSpawn);
});

interface FakeAllure {
  /** files to write into the --output folder, by name */
  files?: Record<string, string>;
  code?: number;
  stdout?: string;
  stderr?: string;
  error?: Error;
}

interface Call {
  cmd: string;
  args: string[];
  options: { env: NodeJS.ProcessEnv; stdio: unknown };
  config: string;
}

/** Makes the next spawn a fake allure; returns what it was called with once it ran. */
function fakeAllure(behaviour: FakeAllure): Call[] {
  const calls: Call[] = [];
  setSpawn(((cmd: string, args: string[], options: Call['options']) => {
    setSpawn(realSpawn);
    spawned++;
    const child = Object.assign(new EventEmitter(), { stdout: new EventEmitter(), stderr: new EventEmitter() });
    const config = readFileSync(args[args.indexOf('--config') + 1], 'utf8');
    calls.push({ cmd, args, options, config });
    setImmediate(() => {
      if (behaviour.error) return child.emit('error', behaviour.error);
      const output = args[args.indexOf('--output') + 1];
      if (behaviour.files) {
        mkdirSync(output, { recursive: true });
        for (const [name, text] of Object.entries(behaviour.files)) writeFileSync(path.join(output, name), text);
      }
      if (behaviour.stdout) child.stdout.emit('data', Buffer.from(behaviour.stdout));
      if (behaviour.stderr) child.stderr.emit('data', Buffer.from(behaviour.stderr));
      child.emit('close', behaviour.code ?? 0);
    });
    return child;
  }) as unknown as typeof childProcess.spawn);
  return calls;
}

const inTemp = (test: (dir: string) => Promise<void>) => inTempDir('allure-html', test);

/** An Allure results folder with `tests` test results and one container. */
function results(dir: string, tests: number): string {
  const folder = path.join(dir, 'allure-results');
  mkdirSync(folder);
  for (let i = 0; i < tests; i++) writeFileSync(path.join(folder, `u${i}-result.json`), '{}');
  writeFileSync(path.join(folder, 'c-container.json'), '{}');
  writeFileSync(path.join(folder, 'environment.properties'), 'a=b\n');
  return folder;
}

const PAGE = '<!doctype html><html><head><script>var x = 1;</script></head><body>ok</body></html>';

describe('allureCli', () => {
  it("is cli.js at the root of the allure package, which exists", () => {
    const cli = allureCli();
    expect(cli).toBe(path.join(realpathSync('node_modules'), 'allure', 'cli.js'));
    expect(existsSync(cli)).toBe(true);
  });
});

describe('renderAllureHtml', () => {
  it('refuses a results folder that is not there, and one without test results, before running allure', async () => {
    const before = spawned;
    fakeAllure({ code: 1 });
    await inTemp(async (dir) => {
      const none = path.join(dir, 'none');
      await expect(renderAllureHtml(none, path.join(dir, 'r'))).rejects.toThrow(new Error(`${none}: no Allure results (run the conformance suites first)`));
      const empty = results(dir, 0);
      await expect(renderAllureHtml(empty, path.join(dir, 'r'))).rejects.toThrow(new Error(`${empty}: no Allure test results in the folder`));
      expect(spawned).toBe(before);
      expect(existsSync(path.join(dir, 'r'))).toBe(false);
    });
  });

  it('refuses a report folder of other files, naming --allure-out', async () => {
    const before = spawned;
    fakeAllure({ code: 1 });
    await inTemp(async (dir) => {
      const out = path.join(dir, 'report');
      mkdirSync(out);
      writeFileSync(path.join(out, 'notes.txt'), 'mine');
      await expect(renderAllureHtml(results(dir, 1), out)).rejects.toThrow(`--allure-out ${out}: the folder holds files gt-conformance did not write (notes.txt)`);
      expect(spawned).toBe(before);
    });
  });

  it('runs allure generate with its allure2 single-file config, without analytics, and copies what it wrote', async () => {
    await inTemp(async (dir) => {
      const calls = fakeAllure({ files: { 'index.html': PAGE, 'summary.json': '{"n":3}' }, stdout: 'Report successfully generated\n' });
      const folder = results(dir, 3);
      const out = path.join(dir, 'report');
      const rendered = await renderAllureHtml(folder, out);
      expect(rendered).toStrictEqual({ index: path.join(out, 'index.html'), tests: 3 });
      expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toBe(PAGE);
      expect(readFileSync(path.join(out, 'summary.json'), 'utf8')).toBe('{"n":3}');
      expect(readdirSync(out).sort()).toStrictEqual([OUT_DIR_MARKER, 'index.html', 'summary.json']);

      expect(calls).toHaveLength(1);
      const [{ cmd, args, options, config }] = calls;
      expect(cmd).toBe(process.execPath);
      const configFile = args[4];
      expect(path.basename(configFile)).toBe('allurerc.mjs');
      expect(path.basename(path.dirname(configFile))).toMatch(/^gt-allure-/);
      expect(path.dirname(path.dirname(configFile))).toBe(os.tmpdir());
      expect(args).toStrictEqual([allureCli(), 'generate', folder, '--config', configFile, '--output', path.join(path.dirname(configFile), 'report')]);
      expect(config).toBe('export default {"name":"GT conformance","plugins":{"allure2":{"options":{"singleFile":true,"reportName":"GT conformance"}}}};\n');
      expect(options.stdio).toStrictEqual(['ignore', 'pipe', 'pipe']);
      expect(options.env.ALLURE_NO_ANALYTICS).toBe('true');
      expect(options.env.NO_COLOR).toBe('1');
      expect(options.env.PATH).toBe(process.env.PATH);
      expect(existsSync(path.dirname(configFile))).toBe(false);
    });
  });

  it('names the report as asked', async () => {
    await inTemp(async (dir) => {
      const calls = fakeAllure({ files: { 'index.html': PAGE } });
      await renderAllureHtml(results(dir, 1), path.join(dir, 'report'), 'Nightly');
      expect(calls[0].config).toBe('export default {"name":"Nightly","plugins":{"allure2":{"options":{"singleFile":true,"reportName":"Nightly"}}}};\n');
    });
  });

  it("fails with allure's exit code and the last line of its output (stdout and stderr), and removes its temporary folder", async () => {
    await inTemp(async (dir) => {
      const calls = fakeAllure({ files: { 'index.html': PAGE }, code: 1, stdout: 'starting\n', stderr: 'Error: cannot read results\n\n' });
      const out = path.join(dir, 'report');
      await expect(renderAllureHtml(results(dir, 1), out)).rejects.toThrow(new Error('allure generate failed (exit 1): Error: cannot read results'));
      expect(existsSync(path.dirname(calls[0].args[4]))).toBe(false);
      expect(existsSync(path.join(out, 'index.html'))).toBe(false);
    });
    await inTemp(async (dir) => {
      fakeAllure({ code: 2, stdout: 'only on stdout' });
      await expect(renderAllureHtml(results(dir, 1), path.join(dir, 'report'))).rejects.toThrow(new Error('allure generate failed (exit 2): only on stdout'));
    });
  });

  it('fails when allure exits 0 but wrote no index.html', async () => {
    await inTemp(async (dir) => {
      fakeAllure({ files: { 'summary.json': '{}' }, code: 0 });
      await expect(renderAllureHtml(results(dir, 1), path.join(dir, 'report'))).rejects.toThrow(new Error('allure generate failed (exit 0): '));
    });
  });

  it('fails when allure cannot be started', async () => {
    await inTemp(async (dir) => {
      fakeAllure({ error: new Error('spawn ENOENT') });
      await expect(renderAllureHtml(results(dir, 1), path.join(dir, 'report'))).rejects.toThrow('spawn ENOENT');
    });
  });

  it('refuses to keep a page that loads a script from the network, however the tag is written', async () => {
    const pages = [
      '<script src="https://cdn.example/a.js"></script>',
      "<script src='http://cdn.example/a.js'></script>",
      '<script src=https://cdn.example/a.js></script>',
      '<script defer type="module" src="https://cdn.example/a.js"></script>',
      '<SCRIPT SRC="HTTPS://cdn.example/a.js"></SCRIPT>',
    ];
    for (const page of pages) {
      await inTemp(async (dir) => {
        const calls = fakeAllure({ files: { 'index.html': page } });
        const out = path.join(dir, 'report');
        const error = await renderAllureHtml(results(dir, 1), out).then(() => undefined, (e: Error) => e);
        expect(error?.message, page).toBe(`${path.join(path.dirname(calls[0].args[4]), 'report', 'index.html')} loads a script from the network; refusing to keep it`);
        expect(existsSync(path.join(out, 'index.html'))).toBe(false);
      });
    }
  });

  it('keeps a page whose scripts are inline or local', async () => {
    await inTemp(async (dir) => {
      fakeAllure({ files: { 'index.html': '<script src="app.js"></script><script src=./b.js></script><script>fetch("https://x")</script><img src="https://x/a.png">' } });
      const rendered = await renderAllureHtml(results(dir, 2), path.join(dir, 'report'));
      expect(rendered.tests).toBe(2);
    });
  });
});
