// The Allure writer without fsync writes the very files allure-js's own FileSystemWriter writes.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FileSystemWriter } from 'allure-js-commons/sdk/reporter';
import type { Vitest } from 'vitest/node';
import { AllureResultsReporter, UnsyncedAllureWriter } from '../../reporters/allure-writer.ts';
import { claimOutDir, clearOwnedAnew } from '../../src/report/out-dir.ts';

const root = mkdtempSync(path.join(tmpdir(), 'gt-allure-writer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const filesOf = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));

describe('UnsyncedAllureWriter', () => {
  it('writes results, containers and attachments under the names and with the bytes of the library writer, and no temp file', () => {
    const source = path.join(root, 'source.txt');
    writeFileSync(source, 'attached from a path');
    const write = (writer: FileSystemWriter) => {
      writer.writeResult({ uuid: '11111111-1111-4111-8111-111111111111', name: 'alpha/chat/works' } as Parameters<FileSystemWriter['writeResult']>[0]);
      writer.writeGroup({ uuid: '22222222-2222-4222-8222-222222222222', children: [] } as unknown as Parameters<FileSystemWriter['writeGroup']>[0]);
      writer.writeAttachment('33333333-3333-4333-8333-333333333333-attachment.json', Buffer.from('{"a":1}'));
      writer.writeAttachmentFromPath('44444444-4444-4444-8444-444444444444-attachment.txt', source);
    };
    const [ours, theirs] = [path.join(root, 'ours'), path.join(root, 'theirs')];
    write(new UnsyncedAllureWriter({ resultsDir: ours }));
    write(new FileSystemWriter({ resultsDir: theirs }));
    expect(Object.keys(filesOf(ours))).toEqual([
      '11111111-1111-4111-8111-111111111111-result.json',
      '22222222-2222-4222-8222-222222222222-container.json',
      '33333333-3333-4333-8333-333333333333-attachment.json',
      '44444444-4444-4444-8444-444444444444-attachment.txt',
    ]);
    expect(filesOf(ours)).toEqual(filesOf(theirs));
  });
});

describe('UnsyncedAllureWriter with spare files', () => {
  it('writes each file over an earlier run\'s file moved aside, the same bytes under the new name', () => {
    const dir = claimOutDir(path.join(root, 'spares'));
    const results = path.join(dir, 'allure-results');
    mkdirSync(results);
    writeFileSync(path.join(results, '99999999-9999-4999-8999-999999999999-result.json'), '{"an":"earlier run"}');
    const earlier = statSync(path.join(results, '99999999-9999-4999-8999-999999999999-result.json')).ino;
    const cleared = clearOwnedAnew(dir, 'allure-results', (name) => name.endsWith('-result.json'));
    const writer = new UnsyncedAllureWriter({ resultsDir: cleared.folder }, cleared.spares);
    writer.writeResult({ uuid: '11111111-1111-4111-8111-111111111111', name: 'alpha/chat/works' } as Parameters<FileSystemWriter['writeResult']>[0]);
    const file = path.join(results, '11111111-1111-4111-8111-111111111111-result.json');
    expect(statSync(file).ino, 'the spare file, renamed').toBe(earlier);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ uuid: '11111111-1111-4111-8111-111111111111', name: 'alpha/chat/works' });
    expect(readdirSync(results)).toEqual(['11111111-1111-4111-8111-111111111111-result.json']);
  });
});

describe('AllureResultsReporter', () => {
  it('at the run\'s end removes the spares not taken, and says which files of an earlier run stay, and where', () => {
    const dir = claimOutDir(path.join(root, 'end'));
    const aside = path.join(dir, '.allure-results.old-1');
    mkdirSync(path.join(aside, '77777777-7777-4777-8777-777777777777-result.json'), { recursive: true }); // an owned name on a folder: not unlinked
    writeFileSync(path.join(aside, '88888888-8888-4888-8888-888888888888-result.json'), '{}');
    const cleared = clearOwnedAnew(dir, 'allure-results', (name) => name.endsWith('-result.json'));
    cleared.failed.push('allure-results/x-result.json: permission denied');
    const reporter = new AllureResultsReporter(cleared.folder, cleared);
    const project = { config: { browser: { enabled: false }, setupFiles: [] as string[], runner: undefined }, provide: () => undefined };
    reporter.onInit({ projects: [project] } as unknown as Vitest);
    const said: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((text) => said.push(String(text)) > 0);
    try {
      reporter.onTestRunEnd([]);
    } finally {
      stderr.mockRestore();
    }
    expect(readdirSync(aside), 'the spare file went, the folder of that name stayed').toEqual(['77777777-7777-4777-8777-777777777777-result.json']);
    expect(said.join('')).toContain('1 Allure files of an earlier run could not be removed');
    expect(said.join('')).toContain('mix into an Allure report');
    expect(said.join('')).toMatch(/1 Allure files of an earlier run, moved aside, could not be removed .*\.allure-results\.old-1[\\/]77777777-7777-4777-8777-777777777777-result\.json.*the next run tries again/);
  });

  it('swaps the writer allure-vitest makes for the unsynced one once it has started, in the same folder', () => {
    const resultsDir = path.join(root, 'reporter');
    const reporter = new AllureResultsReporter(resultsDir);
    // The two things allure-vitest's onInit reads of vitest: each project's config, and provide().
    const project = { config: { browser: { enabled: false }, setupFiles: [] as string[], runner: undefined }, provide: () => undefined };
    reporter.onInit({ projects: [project] } as unknown as Vitest);
    const writer = (reporter as unknown as { allureReporterRuntime?: { writer?: unknown } }).allureReporterRuntime?.writer;
    expect(writer, 'the library changed where it keeps its writer: the swap no longer happens').toBeInstanceOf(UnsyncedAllureWriter);
    (writer as UnsyncedAllureWriter).writeResult({ uuid: '55555555-5555-4555-8555-555555555555', name: 'x' } as Parameters<FileSystemWriter['writeResult']>[0]);
    expect(readdirSync(resultsDir)).toContain('55555555-5555-4555-8555-555555555555-result.json');
  });
});
