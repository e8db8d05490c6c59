// src/report/run-context.ts in process: the file's name, text and defaults, what a read refuses, the facts the
// shards of one run must agree on (each named in the error), the earliest start, the missing shards and the
// route catalog (fixtures/contract/routes.yaml: R1 models to R10 file-status; its fallback when the contract
// cannot be loaded is not tested: a module mock does not hold in the harness project, whose files share their
// modules). Every fixture is made inside its test; the folders are temporary ones the test removes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/model.ts';
import { OUT_DIR_MARKER } from '../../src/report/out-dir.ts';
import { inTempDir } from './temp-dir.ts';
import { findRunContext, mergeRunContexts, missingShards, readRunContext, routeCatalog, RUN_CONTEXT_FILE, runContextPath, writeRunContext } from '../../src/report/run-context.ts';

/** The facts a merge compares, and a few it does not; cast: a merge reads no other field. */
function context(fields: Partial<RunContext> = {}): RunContext {
  return {
    harnessVersion: '1.2.3',
    contractDigest: 'cd',
    runbooks: [{ id: 'a', digest: 'da' }, { id: 'b', digest: 'db' }],
    target: { kind: 'live', host: 'gt.example' },
    seed: 7,
    strict: false,
    startedAt: '2025-01-01T10:00:00.000Z',
    checks: [{ id: 'a/models/works' }, { id: 'b/chat/works' }],
    runId: 'run1',
    ...fields,
  } as unknown as RunContext;
}

const withTempDir = (test: (dir: string) => void) => inTempDir('rc-units', test);

const merge = (...contexts: RunContext[]) => mergeRunContexts(contexts.map((c, i) => ({ file: `s${i + 1}.json`, context: c })));
const disagree = (key: string) => `run contexts disagree: s1.json and s2.json differ in ${key} merge only shards of one run`;

describe('the run context file', () => {
  it('is run-context.json in the output folder', () => {
    expect(RUN_CONTEXT_FILE).toBe('run-context.json');
    expect(runContextPath('out/x')).toBe(path.join('out', 'x', 'run-context.json'));
  });

  it('is written as JSON indented by two, with a last newline, into a folder it claims (created and marked)', () => {
    withTempDir((dir) => {
      const out = path.join(dir, 'new', 'out');
      const file = writeRunContext(out, { seed: 1, runbooks: [] } as unknown as RunContext);
      expect(file).toBe(path.join(out, 'run-context.json'));
      expect(readFileSync(file, 'utf8')).toBe('{\n  "seed": 1,\n  "runbooks": []\n}\n');
      expect(existsSync(path.join(out, OUT_DIR_MARKER))).toBe(true);
    });
  });

  it('is not written into a folder of other files', () => {
    withTempDir((dir) => {
      writeFileSync(path.join(dir, 'mine.txt'), 'x');
      expect(() => writeRunContext(dir, context())).toThrow('holds files gt-conformance did not write (mine.txt)');
      expect(existsSync(path.join(dir, 'run-context.json'))).toBe(false);
    });
  });

  it('reads back with strict, findings and probes defaulted when the file lacks them, and kept when it has them', () => {
    withTempDir((dir) => {
      const file = path.join(dir, 'a.json');
      const bare = { harnessVersion: '1', contractDigest: 'c', runbooks: [], target: { kind: 'live', host: 'h' }, seed: 2, startedAt: 's', checks: [] };
      writeFileSync(file, JSON.stringify(bare));
      expect(readRunContext(file)).toStrictEqual({ strict: false, findings: [], probes: [], ...bare });
      const full = { ...bare, strict: true, findings: [{ message: 'f' }], probes: [{ id: 'p' }] };
      writeFileSync(file, JSON.stringify(full));
      expect(readRunContext(file)).toStrictEqual(full);
    });
  });

  it('names each field a file lacks, in the order of the run context', () => {
    withTempDir((dir) => {
      const file = path.join(dir, 'a.json');
      writeFileSync(file, '{}');
      expect(() => readRunContext(file)).toThrow(`${file}: not a run context (missing harnessVersion, contractDigest, runbooks, target, seed, startedAt, checks)`);
      writeFileSync(file, JSON.stringify({ harnessVersion: '1', contractDigest: 'c', runbooks: [], target: {}, seed: 0, startedAt: 's' }));
      expect(() => readRunContext(file)).toThrow(`${file}: not a run context (missing checks)`);
    });
  });

  it('gives the error code of a file it cannot read, and the parser\'s words for one that is not JSON', () => {
    withTempDir((dir) => {
      const missing = path.join(dir, 'none.json');
      expect(() => readRunContext(missing)).toThrow(new Error(`${missing}: cannot read the run context: ENOENT`));
      const bad = path.join(dir, 'bad.json');
      writeFileSync(bad, 'not json');
      expect(() => readRunContext(bad)).toThrow(new RegExp(`^${bad.replace(/[.\\/]/g, '\\$&')}: cannot read the run context: .*JSON`));
    });
  });

  it('is found in an output folder that has one, and is undefined in one that has none', () => {
    withTempDir((dir) => {
      expect(findRunContext(dir)).toBeUndefined();
      writeRunContext(dir, context());
      expect(findRunContext(dir)?.runId).toBe('run1');
    });
  });
});

describe('mergeRunContexts', () => {
  it('refuses to merge nothing', () => {
    expect(() => mergeRunContexts([])).toThrow('no run context to merge');
  });

  it("keeps the first shard's context, without its shard, and the earliest start", () => {
    const merged = merge(
      context({ shard: '1/3', startedAt: '2025-01-01T10:00:02.000Z' }),
      context({ shard: '2/3', startedAt: '2025-01-01T10:00:00.000Z', runId: 'other' }),
      context({ shard: '3/3', startedAt: '2025-01-01T10:00:01.000Z' }),
    );
    expect(merged).toStrictEqual({ ...context(), startedAt: '2025-01-01T10:00:00.000Z' });
    expect('shard' in merged).toBe(false);
  });

  it('names the fact two shards differ in', () => {
    expect(() => merge(context(), context({ harnessVersion: '1.2.4' }))).toThrow(disagree('harness version'));
    expect(() => merge(context(), context({ contractDigest: 'ce' }))).toThrow(disagree('contract digest'));
    expect(() => merge(context(), context({ runbooks: [{ id: 'a', digest: 'da' }, { id: 'b', digest: 'dc' }] } as Partial<RunContext>))).toThrow(disagree('runbooks'));
    expect(() => merge(context(), context({ runbooks: [{ id: 'b', digest: 'da' }, { id: 'b', digest: 'db' }] } as Partial<RunContext>))).toThrow(disagree('runbooks'));
    expect(() => merge(context(), context({ strict: true }))).toThrow(disagree('strict'));
    expect(() => merge(context(), context({ checks: [{ id: 'a/models/works' }] } as Partial<RunContext>))).toThrow(disagree('planned checks'));
  });

  it('tells shards of different seeds to use the same --seed', () => {
    expect(() => merge(context(), context({ seed: 8 }))).toThrow(new Error('run contexts disagree: s1.json and s2.json differ in seed (7 vs 8): give every shard the same --seed'));
  });

  it('names the file of the shard that differs, against the first', () => {
    expect(() => merge(context(), context(), context({ seed: 9 }))).toThrow('s1.json and s3.json differ in seed (7 vs 9)');
  });

  it('separates the runbooks, the checks and the defects it compares, so two lists cannot join into one', () => {
    const runbooks = (r: Array<{ id: string; digest: string }>) => context({ runbooks: r } as Partial<RunContext>);
    expect(() => merge(runbooks([{ id: 'a', digest: '1b@2' }]), runbooks([{ id: 'a', digest: '1' }, { id: 'b', digest: '2' }]))).toThrow(disagree('runbooks'));
    const checks = (ids: string[]) => context({ checks: ids.map((id) => ({ id })) } as Partial<RunContext>);
    expect(() => merge(checks(['ab']), checks(['a', 'b']))).toThrow(disagree('planned checks'));
    const defects = (d: string[]) => context({ target: { kind: 'live', host: 'h', defects: d } });
    expect(() => merge(defects(['ab']), defects(['a', 'b']))).toThrow(disagree('target'));
  });

  it('lets the embedded tenant of each shard listen on its own port, but not a live target be another host', () => {
    const embedded = (host: string) => context({ target: { kind: 'embedded', host } });
    expect(merge(embedded('127.0.0.1:1'), embedded('127.0.0.1:2')).target).toStrictEqual({ kind: 'embedded', host: '127.0.0.1:1' });
    const live = (host: string) => context({ target: { kind: 'live', host } });
    expect(() => merge(live('a.example'), live('b.example'))).toThrow(disagree('target'));
    expect(() => merge(embedded('h'), live('h'))).toThrow(disagree('target'));
  });

  it('compares the injected defects and the tenant profile of the target', () => {
    const target = (t: Partial<RunContext['target']>) => context({ target: { kind: 'embedded', host: 'h', ...t } });
    expect(() => merge(target({}), target({ defects: ['slow'] }))).toThrow(disagree('target'));
    expect(() => merge(target({ defects: ['slow'] }), target({ defects: ['flaky'] }))).toThrow(disagree('target'));
    expect(() => merge(target({}), target({ profile: 'strict' }))).toThrow(disagree('target'));
    expect(() => merge(target({ profile: 'a' }), target({ profile: 'b' }))).toThrow(disagree('target'));
    expect(merge(target({ defects: [], profile: 'p' }), target({ profile: 'p' })).target).toStrictEqual({ kind: 'embedded', host: 'h', defects: [], profile: 'p' });
  });
});

describe('missingShards', () => {
  const shard = (s?: string) => context(s ? { shard: s } : {});

  it('misses nothing in a whole run, or in a run of every shard', () => {
    expect(missingShards([shard()])).toStrictEqual([]);
    expect(missingShards([])).toStrictEqual([]);
    expect(missingShards([shard('2/2'), shard('1/2')])).toStrictEqual([]);
  });

  it('names every missing shard in order, and counts only the contexts that name a shard', () => {
    expect(missingShards([shard(), shard('2/4')])).toStrictEqual([
      'shard 1/4 is missing: give report --merge the blob folder of every shard',
      'shard 3/4 is missing: give report --merge the blob folder of every shard',
      'shard 4/4 is missing: give report --merge the blob folder of every shard',
    ]);
  });

  it('refuses shards of different splits, each split named once, sorted', () => {
    expect(missingShards([shard('2/3'), shard('1/2'), shard('2/3')])).toStrictEqual(['shards of different splits (1/2, 2/3): merge the shards of one run']);
  });
});

describe('routeCatalog', () => {
  it("lists the contract's routes in order with their numbers and titles", () => {
    const catalog = routeCatalog();
    expect(catalog.map((r) => r.id)).toStrictEqual(['models', 'chat', 'embeddings', 'transcriptions', 'speech', 'images', 'conversations', 'dataset-files', 'conversation-files', 'file-status']);
    expect(catalog[0]).toStrictEqual({ id: 'models', number: 'R1', title: 'List published models' });
    expect(catalog[9]).toStrictEqual({ id: 'file-status', number: 'R10', title: 'File status' });
  });
});
