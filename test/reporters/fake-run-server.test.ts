// The fake-run server (test/fixtures/reports/run-server.ts) and its parent's side (run-client.ts): runs in one
// process get each its own output, env and exit code, one after another; a server that dies fails its pending
// runs, and the next run starts a new one.
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.ts';
import { queued, runCaptured, type FakeRun } from '../fixtures/reports/run-server.ts';
import { FakeRunServer } from '../fixtures/reports/run-client.ts';
import { runFixture } from './fixture-run.ts';
import { inTempDir } from './temp-dir.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('runCaptured', () => {
  it("gives the run the request's env as its whole env, and puts back env, exitCode and process.stdout", async () => {
    process.env.GT_SERVER_TEST_OUTER = 'outer';
    const write = process.stdout.write;
    const exitCode = process.exitCode;
    const seen: Record<string, string | undefined> = {};
    const answer = await runCaptured(
      async () => {
        seen.outer = process.env.GT_SERVER_TEST_OUTER;
        seen.given = process.env.GT_SERVER_TEST_GIVEN;
        process.env.GT_SERVER_TEST_SET = 'set by the run';
        process.exitCode = 7;
        return 0;
      },
      [],
      { GT_SERVER_TEST_GIVEN: 'given' },
    );
    expect(answer.code).toBe(0);
    expect(seen).toEqual({ outer: undefined, given: 'given' });
    expect(process.env.GT_SERVER_TEST_OUTER).toBe('outer');
    expect(process.env.GT_SERVER_TEST_GIVEN).toBeUndefined();
    expect(process.env.GT_SERVER_TEST_SET).toBeUndefined();
    expect(process.exitCode).toBe(exitCode);
    expect(process.stdout.write).toBe(write);
    delete process.env.GT_SERVER_TEST_OUTER;
  });

  it('captures what the run writes to process.stdout and stderr and to its streams, also after a stream piped into them ends', async () => {
    const answer = await runCaptured(
      async (_args, io) => {
        const worker = new PassThrough(); // as vitest pipes its worker's output
        worker.pipe(io.stdout);
        worker.end('from the worker; ');
        await new Promise((resolve) => worker.on('end', resolve));
        await tick();
        io.stdout.write('the summary; ');
        process.stdout.write('direct');
        process.stderr.write('on stderr');
        return 1;
      },
      [],
      {},
    );
    expect(answer).toEqual({ code: 1, stdout: 'from the worker; the summary; direct', stderr: 'on stderr' });
  });

  it('puts the process back when the run throws, and throws its error', async () => {
    const write = process.stderr.write;
    const run = runCaptured(
      async () => {
        process.env.GT_SERVER_TEST_SET = 'set by the run';
        throw new Error('no report');
      },
      [],
      {},
    );
    await expect(run).rejects.toThrow('no report');
    expect(process.stderr.write).toBe(write);
    expect(process.env.GT_SERVER_TEST_SET).toBeUndefined();
  });
});

describe('queued', () => {
  it('runs calls made together one after another, each with its own output and code', async () => {
    const events: string[] = [];
    const run: FakeRun = async ([name, code], io) => {
      events.push(`${name} starts`);
      io.stdout.write(`${name} one, `);
      await tick();
      process.stdout.write(`${name} two`);
      events.push(`${name} ends`);
      return Number(code);
    };
    const runOne = queued(run);
    const [a, b] = await Promise.all([runOne(['a', '0'], {}), runOne(['b', '1'], {})]);
    expect(a).toEqual({ code: 0, stdout: 'a one, a two', stderr: '' });
    expect(b).toEqual({ code: 1, stdout: 'b one, b two', stderr: '' });
    expect(events).toEqual(['a starts', 'a ends', 'b starts', 'b ends']);
  });

  it('fails only the call whose run threw; the next one runs', async () => {
    const runOne = queued(async ([what], io) => {
      if (what === 'throw') throw new Error('no report');
      io.stdout.write(what);
      return 0;
    });
    const [thrown, next] = await Promise.allSettled([runOne(['throw'], {}), runOne(['next'], {})]);
    expect(thrown).toMatchObject({ status: 'rejected', reason: { message: 'no report' } });
    expect(next).toEqual({ status: 'fulfilled', value: { code: 0, stdout: 'next', stderr: '' } });
  });
});

describe('FakeRunServer', () => {
  const echoScript = path.join(projectRoot, 'test', 'fixtures', 'reports', 'echo-server.mjs');
  const echoServer = () => new FakeRunServer(echoScript, [], { cwd: projectRoot, env: () => ({ ...process.env, ECHO_VAR: 'of the server' }) });

  it('answers runs sent together, each with its own env, stdout, stderr and exit code, from one process', async () => {
    const server = echoServer();
    try {
      const [a, b] = await Promise.all([server.run(['echo', 'A', '0'], { ECHO_VAR: 'env A' }), server.run(['echo', 'B', '1'], { ECHO_VAR: 'env B' })]);
      expect(a).toEqual({ code: 0, stdout: 'A env A', stderr: 'A on stderr' });
      expect(b).toEqual({ code: 1, stdout: 'B env B', stderr: 'B on stderr' });
      const pid = server.pid;
      await server.run(['echo', 'C', '0'], {});
      expect(server.pid).toBe(pid);
    } finally {
      server.stop();
    }
  });

  it('fails the runs a server had when it dies mid-run, and starts a new one for the next run', async () => {
    const server = echoServer();
    try {
      const dying = server.run(['die'], {});
      const queuedBehind = server.run(['echo', 'A', '0'], {});
      const first = server.pid;
      await expect(dying).rejects.toThrow(new RegExp(`fake-run server .*pid ${first}\\) killed by SIGKILL before answering`));
      await expect(queuedBehind).rejects.toThrow(/killed by SIGKILL before answering/);
      expect(server.pid).toBeUndefined();
      await expect(server.run(['echo', 'B', '2'], { ECHO_VAR: 'again' })).resolves.toEqual({ code: 2, stdout: 'B again', stderr: 'B on stderr' });
      expect(server.pid).not.toBe(first);
    } finally {
      server.stop();
    }
  });

  it('fails a run that threw with its error, and the server goes on serving', async () => {
    const server = echoServer();
    try {
      await expect(server.run(['throw'], {})).rejects.toThrow(/the fake run threw in its server \(pid \d+\): Error: the echo run threw/);
      const pid = server.pid;
      await expect(server.run(['echo', 'A', '0'], { ECHO_VAR: 'after' })).resolves.toEqual({ code: 0, stdout: 'A after', stderr: 'A on stderr' });
      expect(server.pid).toBe(pid);
    } finally {
      server.stop();
    }
  });

  it('lets its process end once the runs are answered, and the server ends with it', async () => {
    // A plain node process with a server: it must exit by itself. Its stderr pipe, which the server inherits,
    // closes only when both have ended, and 'close' waits for it.
    const client = pathToFileURL(path.join(projectRoot, 'dist', 'test', 'fixtures', 'reports', 'run-client.js')).href;
    const code = `
      import { FakeRunServer } from ${JSON.stringify(client)};
      const server = new FakeRunServer(${JSON.stringify(echoScript)}, [], { cwd: process.cwd(), env: () => process.env });
      const answer = await server.run(['echo', 'A', '0'], { ECHO_VAR: 'in a plain process' });
      process.stdout.write(JSON.stringify(answer));`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    parent.stdout.on('data', (d) => (stdout += d));
    const exitCode = await new Promise((resolve) => parent.on('close', resolve));
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ code: 0, stdout: 'A in a plain process', stderr: 'A on stderr' });
  });

  it('fails a pending run when the server is stopped', async () => {
    const server = echoServer();
    const pending = server.run(['echo', 'A', '0'], {});
    server.stop();
    await expect(pending).rejects.toThrow(/killed by SIGTERM before answering/);
  });
});

describe('runFixture', () => {
  it('answers 3, with the reason on stderr, for a run that fails before its report, as the command line does', () =>
    inTempDir('server-3', async (dir) => {
      const run = await runFixture(path.join(dir, 'out'), path.join(dir, 'no-scenario.json'));
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/^run-fixture: ENOENT: no such file or directory, open '.*no-scenario\.json'\n$/);
      expect(run.stdout).toBe('');
    }));
});
