// Every YAML file the harness reads (runbooks, target files, tenant seeds, client profiles, waivers) goes
// through src/input/yaml.ts: an alias bomb, deep nesting, a second document, binary bytes, a huge file and
// every other bad YAML give one positioned line and exit 2, in every loader and every verb; never exit 3.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { loadProfileFile } from '../../src/clients/load.ts';
import { YAML_LIMITS } from '../../src/input/yaml.ts';
import { projectRoot } from '../../src/paths.ts';
import { loadWaivers } from '../../src/outcome/waivers.ts';
import { formatInputError, loadRunbookFile } from '../../src/runbook/load.ts';
import { loadTargetFile } from '../../src/targets/live.ts';
import { loadSeedFile } from '../../src/tenant/seed.ts';
import { cliInProcess } from './in-process.ts';

const contract = loadContract();
const fixture = (name: string) => path.relative(process.cwd(), path.join(projectRoot, 'test/fixtures/bad-yaml', name));
const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-bad-yaml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const written = (name: string, bytes: Buffer | string) => {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
};

function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a one-line error');
}

/** What each loader says about one bad file: the one line it prints. */
const loaders: Record<string, (file: string) => string[]> = {
  runbook: (file) => loadRunbookFile(file, contract).errors.map(formatInputError),
  target: (file) => loadTargetFile(file, contract, {}).errors.map(formatInputError),
  profile: (file) => loadProfileFile(file).errors.map(formatInputError),
  waivers: (file) => [thrown(() => loadWaivers(file))],
  seed: (file) => [thrown(() => loadSeedFile(file, contract))],
};

/** The line each loader prints for a YAML problem at line:column. */
function expectedLine(loader: string, file: string, line: number, column: number, message: string): string {
  if (loader === 'seed') return `seed ${file}:${line}: ${message.replace(/^invalid YAML: /, 'not valid YAML or JSON: ')}`;
  return `${file}:${line}:${column}: ${message}`;
}

const generated = () =>
  [
    ['binary bytes (a PNG header)', written('binary.yaml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])), 1, 1, 'not a text file: the bytes are not UTF-8 text'],
    ['a NUL byte in text', written('nul.yaml', 'base_url: https://t.example/api/tenant\nkeys: [a\u0000]\n'), 2, 9, 'not a text file: holds the control character U+0000'],
    ['a file over the size bound', written('huge.yaml', `# ${'x'.repeat(YAML_LIMITS.maxBytes)}\n`), 1, 1, 'the file is larger than 128 KiB, the most an input file may be'],
    ['70 levels of indented mappings', written('deep-block.yaml', Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i)}a:`).join('\n') + ' 1\n'), 65, 129, 'invalid YAML: nested more than 64 levels deep'],
  ] as const;

// [fixture, line, column, message]
const fixtures: Array<[string, number, number, string]> = [
  ['alias-bomb.yaml', 3, 8, 'invalid YAML: the aliases (*name) expand to too much data, as an alias bomb does; use fewer aliases'],
  ['deep-nesting.yaml', 2, 70, 'invalid YAML: nested more than 64 levels deep'],
  ['duplicate-key.yaml', 5, 5, 'invalid YAML: field "name" appears twice in the same mapping'],
  ['two-documents.yaml', 2, 1, 'invalid YAML: a file holds one YAML document; a second one starts here'],
  ['tab-indented.yaml', 3, 1, 'invalid YAML: tab character used for indentation; indent with spaces'],
  ['unknown-tag.yaml', 1, 11, 'invalid YAML: unresolved tag: tag:yaml.org,2002:js/function'],
  ['complex-key.yaml', 2, 3, 'invalid YAML: a mapping key must be a plain value, not a list, a mapping or an alias'],
  ['unclosed-quote.yaml', 3, 1, 'invalid YAML: missing closing "quote'],
];

describe('bad YAML gives the same positioned line in every loader', () => {
  for (const [loader, load] of Object.entries(loaders)) {
    it.each(fixtures)(`${loader}: %s`, (name, line, column, message) => {
      expect(load(fixture(name))).toEqual([expectedLine(loader, fixture(name), line, column, message)]);
    });
    it(`${loader}: binary bytes, a NUL, a file over the size bound, 70 levels of indentation`, () => {
      for (const [what, file, line, column, message] of generated()) expect(load(file), what).toEqual([expectedLine(loader, file, line, column, message)]);
    });
  }

  it('a mapping of 12,000 keys is read, and a duplicate among them found (the check is linear)', () => {
    const keys = Array.from({ length: 12_000 }, (_, i) => `k${i}: v`);
    const file = written('wide.yaml', [...keys, 'k17: again'].join('\n'));
    expect(loaders.target(file)).toEqual([`${file}:12001:1: invalid YAML: field "k17" appears twice in the same mapping`]);
  });
});


describe('every verb that reads YAML: an alias bomb is exit 2 and one positioned line, never an internal error', () => {
  const bomb = fixture('alias-bomb.yaml');
  const at = `${bomb}:3:8: invalid YAML: the aliases (*name) expand to too much data`;
  const out = path.join(dir, 'out');
  const cases: Array<[string[], string]> = [
    [['run', '--target', bomb], at],
    [['plan', '--target', bomb], at],
    [['run', bomb], at],
    [['validate', bomb], at],
    [['run', '--waivers', bomb], at],
    [['report', '--merge', dir, '--out', out, '--waivers', bomb], `gt-conformance report: ${at}`],
    [['mock', '--seed', bomb, '--port', '0'], `gt-conformance mock: seed ${bomb}:3: not valid YAML or JSON: the aliases (*name) expand to too much data`],
    [['verify-client', '--product', 'sample', '--runbook', bomb, bomb], `gt-conformance verify-client: ${at}`],
  ];
  it.each(cases)('%j', async (argv, line) => {
    const { code, err } = await cliInProcess(argv);
    expect(code).toBe(2);
    expect(err[0]).toContain(line);
    expect(err.slice(1).every((l) => /^(gt-conformance run: 1 input problem; nothing was sent|1 of 1 runbook has errors \(1 error\))$/.test(l)), err.join('\n')).toBe(true);
    expect(err.join('\n')).not.toMatch(/internal error|\n\s+at /);
  });
});
