// gt-conformance mock: bad input is one line and exit 2; a real process serves, records and stops cleanly.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { projectRoot } from '../../src/paths.ts';
import { DEFECTS } from '../../src/tenant/index.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

function captureConsole() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
  return { out, err };
}

describe('gt-conformance mock, bad input', () => {
  const bad: Array<[string[], RegExp]> = [
    [['--defect', 'no-such-defect'], /^gt-conformance mock: unknown defect "no-such-defect"; known defects: models-leak, /],
    [['--latency', 'soon'], /^gt-conformance mock: --latency must be a whole number from 0 to 60000, got "soon"$/],
    [['--profile', 'strict'], /^gt-conformance mock: --profile must be default or tolerant, got "strict"$/],
    [['--rate-limit', '0'], /^gt-conformance mock: --rate-limit must be N or N:SECONDS/],
    [['--port', '70000'], /^gt-conformance mock: --port must be a whole number from 0 to 65535, got "70000"$/],
    [['--seed', '/nonexistent/seed.yaml'], /^gt-conformance mock: seed \/nonexistent\/seed\.yaml: cannot read: ENOENT$/],
    [['--bogus'], /^gt-conformance mock: Unknown option '--bogus'/],
  ];
  for (const [argv, message] of bad) {
    it(`exits 2 with one line for ${argv.join(' ')}`, async () => {
      const { err, out } = captureConsole();
      expect(await main(['mock', ...argv])).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0].split('\n')).toHaveLength(1);
      expect(err[0]).toMatch(message);
      expect(out.join('\n')).not.toMatch(/gtak_/);
    });
  }

  it('lists every defect with its description', async () => {
    const { out } = captureConsole();
    expect(await main(['mock', '--list-defects'])).toBe(0);
    const text = out.join('\n');
    for (const d of DEFECTS) {
      expect(text).toContain(d.id);
      expect(text).toContain(d.description);
    }
  });
});

describe('gt-conformance mock, as a process', () => {
  it('prints the base URL and keys once, serves, records redacted JSON lines, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gt-mock-'));
    const recordFile = path.join(dir, 'traffic.jsonl');
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'gt-conformance.js'), 'mock', '--port', '0', '--processing', '0', '--record', recordFile], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let serving!: () => void;
    const ready = new Promise<void>((resolve) => (serving = resolve));
    child.stdout.on('data', (c) => ((stdout += c), stdout.includes('Serving until Ctrl-C.') && serving()));
    child.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      // the child says when it serves; if it exits first, the test fails on what it printed
      const first = await Promise.race([ready.then(() => 'serving'), exited.then((code) => `exited with ${code}: ${stderr}`)]);
      expect(first).toBe('serving');
      const baseUrl = /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/tenant)\n/.exec(stdout)![1];
      const secret = /^openai-chat\s+openai-chat\s+inference:chat\s+(gtak_\S+)$/m.exec(stdout)![1];
      expect(stdout.split(secret)).toHaveLength(2); // printed exactly once

      const res = await fetch(`${baseUrl}/v1/models`, { headers: { Authorization: `Bearer ${secret}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id)).toContain('mission-agent');

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout).toContain('Stopped.');
      expect(stderr).toBe('');

      const lines = readFileSync(recordFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ method: 'GET', route: 'models', key: 'openai-chat', status: 200 });
      expect(lines[0].headers.authorization).toBe(`Bearer gtak_****${secret.slice(-4)}`);
      expect(readFileSync(recordFile, 'utf8')).not.toContain(secret);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
