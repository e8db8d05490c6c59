// The parent's side of test/fixtures/reports/run-server.ts: one long-lived child that runs the requests sent to
// it one after another. Started on the first request; a child that dies rejects the requests it had, and the
// next request starts another. The child never keeps the test worker alive, nor outlives it.
import { fork, type ChildProcess } from 'node:child_process';
import type { RunAnswer, RunReply, RunRequest } from '../fixtures/reports/run-server.ts';

interface Pending {
  resolve: (answer: RunAnswer) => void;
  reject: (err: Error) => void;
}

interface Server {
  child: ChildProcess;
  pending: Map<number, Pending>;
}

export class FixtureServer {
  private server: Server | undefined;
  private lastId = 0;

  /** `node script ...scriptArgs`, started in cwd with env (the requests bring their own env). */
  constructor(
    private readonly script: string,
    private readonly scriptArgs: string[],
    private readonly options: { cwd: string; env: () => NodeJS.ProcessEnv },
  ) {}

  /** One run of `args` with `env` as its whole environment. */
  run(args: string[], env: Record<string, string>): Promise<RunAnswer> {
    const server = this.server ?? (this.server = this.start());
    const request: RunRequest = { id: ++this.lastId, args, env };
    return new Promise((resolve, reject) => {
      server.pending.set(request.id, { resolve, reject });
      server.child.channel?.ref(); // an answer is awaited: keep the worker up for it
      server.child.send(request, (err) => err && this.lost(server, `could not send it a request: ${err.message}`));
    });
  }

  /** The running child's pid, if one runs. */
  get pid(): number | undefined {
    return this.server?.child.pid;
  }

  stop(): void {
    this.server?.child.kill();
  }

  private start(): Server {
    // stdout to /dev/null, as the runs' own output is captured per run; stderr inherited, so a crash shows.
    const child = fork(this.script, this.scriptArgs, { cwd: this.options.cwd, env: this.options.env(), stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const server: Server = { child, pending: new Map() };
    const kill = () => child.kill();
    process.once('exit', kill);
    child.on('message', (message) => {
      const { id, ...reply } = message as RunReply;
      const pending = server.pending.get(id);
      server.pending.delete(id);
      if ('error' in reply) pending?.reject(new Error(`the fake run threw in its server (pid ${child.pid}): ${reply.error}`));
      else pending?.resolve(reply);
      if (!server.pending.size) child.channel?.unref();
    });
    child.on('error', (err) => this.lost(server, err.message));
    child.on('exit', (code, signal) => {
      process.off('exit', kill);
      this.lost(server, signal ? `killed by ${signal}` : `exited with code ${code}`);
    });
    child.unref();
    child.channel?.unref();
    return server;
  }

  /** The child is gone or unusable: its requests fail, and the next request starts a new child. */
  private lost(server: Server, why: string): void {
    if (this.server === server) this.server = undefined;
    const error = new Error(`the fake-run server (${this.script} ${this.scriptArgs.join(' ')}, pid ${server.child.pid}) ${why} before answering`);
    for (const { reject } of server.pending.values()) reject(error);
    server.pending.clear();
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill();
  }
}
