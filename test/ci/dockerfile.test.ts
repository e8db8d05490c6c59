// The Dockerfile of `gt-conformance mock`. No Docker engine here, so the image is checked without building it:
// the Dockerfile's instructions (node 20 slim, production dependencies only, exec-form command on all
// interfaces), the files `npm pack` puts into it, and its ENTRYPOINT + CMD run as a plain process from those
// files (the image's /app), answering on its port, on a non-loopback address too, and stopping on SIGTERM.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.ts';
import { startMockProcess, type MockProcess } from './mock-process.ts';

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's instructions per stage: continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Instruction[][] {
  const logical = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: Instruction[][] = [];
  for (const line of logical) {
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line)!;
    if (op.toUpperCase() === 'FROM') stages.push([]);
    stages.at(-1)!.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

const stages = parseDockerfile(readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8'));
const runtime = stages.at(-1)!;
const one = (op: string) => runtime.filter((i) => i.op === op).at(-1)?.args;
const execForm = (op: string) => JSON.parse(one(op) ?? 'null') as string[];
const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { files: string[]; devDependencies: Record<string, string> };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('Dockerfile', () => {
  it('builds in one node:20-slim stage and runs the production dependencies in another', () => {
    expect(stages.map((s) => s[0].args)).toEqual(['node:20-slim AS build', 'node:20-slim']);
    const runs = runtime.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm (i|install)\b/.test(r))).toBe(false);
    expect(stages[0].some((i) => i.op === 'RUN' && /npm run build --if-present/.test(i.args))).toBe(true);
    expect(runtime.some((i) => i.op === 'COPY' && i.args.startsWith('--from=build '))).toBe(true);
    expect(one('USER')).toBe('node');
  });

  it('starts the mock on all interfaces, on the port it exposes, in exec form (so SIGTERM reaches node)', () => {
    const command = [...execForm('ENTRYPOINT'), ...execForm('CMD')];
    expect(command.slice(0, 3)).toEqual(['node', 'bin/gt-conformance.js', 'mock']);
    expect(command[command.indexOf('--host') + 1]).toBe('0.0.0.0');
    expect(command[command.indexOf('--port') + 1]).toBe(one('EXPOSE'));
  });

  describe('its command as a plain process, from the files npm pack puts in the image', () => {
    let app: string;
    let mock: MockProcess;
    let port: number;

    beforeAll(async () => {
      // what `npm pack` publishes is what the image's /app holds; node_modules stands in for npm ci --omit=dev
      const packs = mkdtempSync(path.join(os.tmpdir(), 'gt-docker-pack-'));
      execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packs], { cwd: projectRoot, stdio: 'pipe' });
      app = mkdtempSync(path.join(os.tmpdir(), 'gt-docker-app-'));
      execFileSync('tar', ['-xzf', path.join(packs, readdirSync(packs)[0]), '-C', app, '--strip-components=1']);
      symlinkSync(path.join(projectRoot, 'node_modules'), path.join(app, 'node_modules'));
      port = await freePort();
      const [node, ...args] = [...execForm('ENTRYPOINT'), ...execForm('CMD')].map((a) => (a === one('EXPOSE') ? String(port) : a));
      expect(node).toBe('node');
      mock = await startMockProcess(process.execPath, args, { cwd: app });
    });
    afterAll(async () => {
      await mock?.stop();
    });

    it('imports no devDependency from the files it ships', () => {
      const dev = Object.keys(pkg.devDependencies);
      // bin/ falls back to the sources through tsx only where dist/ is missing or stale, never in the image (it ships dist/)
      const optional = new Set(['bin/gt-conformance.js: tsx/esm/api']);
      const shipped = execFileSync('find', [app, '-path', path.join(app, 'node_modules'), '-prune', '-o', '-type', 'f', '(', '-name', '*.ts', '-o', '-name', '*.js', ')', '-print'], { encoding: 'utf8' }).split('\n').filter(Boolean);
      const offenders = shipped.flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)]
          .map((m) => m[1])
          .filter((spec) => dev.some((d) => spec === d || spec.startsWith(`${d}/`)))
          .map((spec) => `${path.relative(app, f)}: ${spec}`)
          .filter((offender) => !optional.has(offender)),
      );
      expect(offenders).toEqual([]);
    });

    it('answers on its port with the keys it printed, on a non-loopback address too', async () => {
      const secret = /^openai-chat\s+openai-chat\s+inference:chat\s+(gtak_\S+)$/m.exec(mock.stdout())![1];
      const get = (host: string) => fetch(`http://${host}:${port}/api/tenant/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
      expect((await get('127.0.0.1')).status).toBe(200);
      const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
      if (external) expect((await get(external.address)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/api/tenant/v1/models`)).status).toBe(401);
    });

    it('stops cleanly on SIGTERM, as docker stop sends it', async () => {
      expect(await mock.stop()).toBe(0);
      expect(mock.stdout()).toContain('Stopped.');
      expect(mock.stderr()).toBe('');
    });
  });
});
