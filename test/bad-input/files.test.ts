// Every file a verb reads, given as a missing file, a folder, an empty file or binary garbage: exit 2 and one
// line naming the file, never an internal error (exit 3) or a stack trace.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeys } from '../../src/report/certify.ts';
import { cliInProcess } from './in-process.ts';
import { defaultScenario } from '../fixtures/reports/scenario.ts';

const dir = path.join(os.tmpdir(), `gt-bad-files-${process.pid}`);
const files = {
  missing: path.join(dir, 'missing.yaml'),
  folder: path.join(dir, 'folder'),
  empty: path.join(dir, 'empty.yaml'),
  garbage: path.join(dir, 'garbage.bin'),
};
const keysDir = path.join(dir, 'keys');
const publicKey = path.join(keysDir, 'conformance-signing.pub.pem');
const traffic = path.join(dir, 'traffic.jsonl');

beforeAll(() => {
  mkdirSync(files.folder, { recursive: true });
  writeFileSync(files.empty, '');
  // bytes that are neither UTF-8 nor JSON nor PEM, the same every run
  writeFileSync(files.garbage, Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 151 + 7) % 256)));
  generateSigningKeys(keysDir);
  writeFileSync(traffic, `${JSON.stringify({ at: 'x', method: 'GET', path: '/api/tenant/v1/models', headers: {}, status: 200 })}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Kind = keyof typeof files;
// [what, argv for a file F, kinds that are bad input for it (an empty waiver file is no waivers)]
const inputs: Array<[string, (f: string) => string[], Kind[]]> = [
  ['run RUNBOOK', (f) => ['run', f], ['missing', 'folder', 'empty', 'garbage']],
  ['run --target', (f) => ['run', '--target', f], ['missing', 'folder', 'empty', 'garbage']],
  ['plan --target', (f) => ['plan', '--target', f], ['missing', 'folder', 'empty', 'garbage']],
  ['run --waivers', (f) => ['run', '--waivers', f], ['missing', 'folder', 'garbage']],
  ['run --certify', (f) => ['run', '--product', 'dify', '--certify', f], ['missing', 'folder', 'empty', 'garbage']],
  ['validate', (f) => ['validate', f], ['missing', 'folder', 'empty', 'garbage']],
  ['mock --seed', (f) => ['mock', '--port', '0', '--seed', f], ['missing', 'folder', 'empty', 'garbage']],
  ['verify-client TRAFFIC', (f) => ['verify-client', '--product', 'openai-sdk', f], ['missing', 'folder', 'empty', 'garbage']],
  ['verify-client --runbook', (f) => ['verify-client', '--product', 'openai-sdk', '--runbook', f, traffic], ['missing', 'folder', 'empty', 'garbage']],
  ['verify-client --certify', (f) => ['verify-client', '--product', 'openai-sdk', '--certify', f, traffic], ['missing', 'folder', 'empty', 'garbage']],
  ['verify-report FILE', (f) => ['verify-report', f, '--public-key', publicKey], ['missing', 'folder']],
  ['verify-report --public-key', (f) => ['verify-report', traffic, '--public-key', f], ['missing', 'folder', 'empty', 'garbage']],
  ['verify-report --signature', (f) => ['verify-report', traffic, '--public-key', publicKey, '--signature', f], ['missing', 'folder']],
  ['report --merge --waivers', (f) => ['report', '--merge', files.folder, '--out', path.join(dir, 'merged'), '--waivers', f], ['missing', 'folder', 'garbage']],
];
const cases = inputs.flatMap(([what, argv, kinds]) => kinds.map((kind) => [`${what} ${kind}`, argv(files[kind])] as [string, string[]]));

describe('a file that cannot be used: exit 2, one line naming it', () => {
  it.each(cases)('%s', async (_, argv) => {
    const { code, err } = await cliInProcess(argv);
    expect(code, err.join('\n')).toBe(2);
    const named = argv.filter((a) => Object.values(files).includes(a)).at(-1)!;
    expect(err[0]).toContain(path.basename(named));
    // run and validate add their summary line
    expect(err.slice(1).every((l) => /^gt-conformance run: 1 input problem; nothing was sent$|^1 of 1 runbook has errors \(1 error\)$/.test(l)), err.join('\n')).toBe(true);
    expect(err.join('\n')).not.toMatch(/internal error|\n\s+at |TypeError|ReferenceError/);
  });

  it('a signature or certificate that is garbage is invalid (exit 1), with one line', async () => {
    const { code, err } = await cliInProcess(['verify-report', files.garbage, '--public-key', publicKey, '--signature', files.garbage]);
    expect({ code, err }).toEqual({ code: 1, err: [`invalid: ${files.garbage}: the signature file is not JSON`] });
  });

  it('report --merge with a blob that is garbage, or from another vitest, is one line before vitest sees it', async () => {
    const shards = path.join(dir, 'shards');
    mkdirSync(shards, { recursive: true });
    writeFileSync(path.join(shards, 'run-context.1-2.json'), JSON.stringify(defaultScenario().context));
    const blob = path.join(shards, 'blob-1-2.json');
    writeFileSync(blob, Buffer.from([0xff, 0x00, 0x7b]));
    expect(await cliInProcess(['report', '--merge', shards, '--out', path.join(dir, 'm1')])).toEqual({
      code: 2,
      out: [],
      err: [`gt-conformance report: ${blob}: not a vitest blob report (not JSON); upload the files a shard wrote to <out>/blob unchanged`],
    });
    writeFileSync(blob, JSON.stringify([['1', '2'], '3.0.0', []]));
    const foreign = await cliInProcess(['report', '--merge', shards, '--out', path.join(dir, 'm2')]);
    expect(foreign.code).toBe(2);
    expect(foreign.err).toEqual([expect.stringMatching(/blob-1-2\.json: written by vitest 3\.0\.0, but this harness runs vitest \d+\.\d+\.\d+: run every shard and the merge with the same gt-conformance install$/)]);
  });
});
