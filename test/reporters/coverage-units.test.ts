// The key coverage table (src/report/coverage.ts) at its edges, every input built inside its test and every
// expected value written out from the module's comments: a key's checks through a probe's prerequisites,
// skipped and manual checks serving nothing, routes in the plan's order, the uses largest first, the skip
// groups largest first; and the console lines for plan and for the run header.
import { describe, expect, it } from 'vitest';
import type { Target } from '../../src/model.ts';
import { keyCoverage, renderCoverage, type KeyCoverage, type KeyCoverageRow } from '../../src/report/coverage.ts';
import { check, key, probe } from './plan-parts.ts';

describe('keyCoverage', () => {
  it("copies each key's preset, purpose, revocation and secret's variable, and only those it has", () => {
    const coverage = keyCoverage({
      targetSpec: { keys: [key('a', { preset: 'openai-chat', revoked: true, secret_env: 'GT_KEY_A' }), key('b', { purpose: 'upload' })] },
      checks: [check('p/models/works', 'works', 'models', ['models:call:a'])],
      probes: [probe('models:call:a', 'models', 'a')],
    });
    expect(coverage.keys).toEqual([
      { key: 'a', preset: 'openai-chat', purpose: 'inference', revoked: true, secretEnv: 'GT_KEY_A', checks: 1, routes: ['models'], serves: [{ kind: 'works', routes: ['models'], checks: 1 }] },
      { key: 'b', purpose: 'upload', checks: 0, routes: [], serves: [] },
    ]);
    expect(coverage.skipped).toEqual([]);
  });

  it("counts the keys of a probe's prerequisites, transitively, through a cycle, and passes over unknown probes", () => {
    const coverage = keyCoverage({
      targetSpec: { keys: [key('poller'), key('uploader'), key('first'), key('x'), key('y')] },
      checks: [check('p/file-status/works', 'works', 'file-status', ['status']), check('p/chat/works', 'works', 'chat', ['x', 'not-a-probe'])],
      probes: [probe('upload', 'dataset-files', 'uploader', ['first']), probe('first', 'dataset-files', 'first'), probe('status', 'file-status', 'poller', ['upload']), probe('x', 'chat', 'x', ['y']), probe('y', 'chat', 'y', ['x', 'gone'])],
    });
    expect(coverage.keys.map((k) => [k.key, k.checks, k.routes])).toEqual([
      ['poller', 1, ['file-status']],
      ['uploader', 1, ['file-status']],
      ['first', 1, ['file-status']],
      ['x', 1, ['chat']],
      ['y', 1, ['chat']],
    ]);
  });

  it('a skipped or manual check serves no key; a check without a route serves its key with no route', () => {
    const coverage = keyCoverage({
      targetSpec: { keys: [key('a')] },
      checks: [
        check('p/models/works', 'works', 'models', ['models:call:a'], { skip: 'no model' }),
        check('p/models/checklist', 'checklist', 'models', ['models:call:a'], { manual: true }),
        check('cross-cutting/no-key', 'no-key', undefined, ['models:call:a']),
      ],
      probes: [probe('models:call:a', 'models', 'a')],
    });
    expect(coverage.keys).toEqual([{ key: 'a', purpose: 'inference', checks: 1, routes: [], serves: [{ kind: 'no-key', routes: [], checks: 1 }] }]);
    // the manual check is not a skipped one
    expect(coverage.skipped).toEqual([{ reason: 'no model', checks: ['p/models/works'] }]);
  });

  it("lists routes in the order the plan first names them, and the uses by checks, most first, then by kind's name", () => {
    const coverage = keyCoverage({
      targetSpec: { keys: [key('k'), key('other')] },
      checks: [
        check('p/embeddings/works', 'works', 'embeddings', ['e:other']),
        check('p/chat/works', 'works', 'chat', ['c:k']),
        check('q/chat/denied', 'denied', 'chat', ['c:k']),
        check('p/embeddings/works-too', 'works', 'embeddings', ['e:k']),
        check('q/chat/auth', 'auth', 'chat', ['c:k']),
        check('r/chat/works', 'works', 'chat', ['c:k']),
      ],
      probes: [probe('e:other', 'embeddings', 'other'), probe('c:k', 'chat', 'k'), probe('e:k', 'embeddings', 'k')],
    });
    expect(coverage.keys[0]).toEqual({
      key: 'k',
      purpose: 'inference',
      checks: 5,
      routes: ['embeddings', 'chat'],
      serves: [
        { kind: 'works', routes: ['embeddings', 'chat'], checks: 3 },
        { kind: 'auth', routes: ['chat'], checks: 1 },
        { kind: 'denied', routes: ['chat'], checks: 1 },
      ],
    });
  });

  it('groups the skipped checks by reason, the largest group first', () => {
    const coverage = keyCoverage({
      targetSpec: { keys: [] },
      checks: [
        check('p/chat/works', 'works', 'chat', [], { skip: 'no chat key' }),
        check('p/embeddings/works', 'works', 'embeddings', [], { skip: 'no embed key' }),
        check('p/models/works', 'works', 'models', []),
        check('q/embeddings/works', 'works', 'embeddings', [], { skip: 'no embed key' }),
      ],
      probes: [],
    });
    expect(coverage).toEqual({
      keys: [],
      skipped: [
        { reason: 'no embed key', checks: ['p/embeddings/works', 'q/embeddings/works'] },
        { reason: 'no chat key', checks: ['p/chat/works'] },
      ],
    });
  });

  it('a context without a target has no keys, and still its skips', () => {
    const coverage = keyCoverage({ targetSpec: undefined as unknown as Target, checks: [check('p/chat/works', 'works', 'chat', [], { skip: 'no key' })], probes: [] });
    expect(coverage).toEqual({ keys: [], skipped: [{ reason: 'no key', checks: ['p/chat/works'] }] });
    expect(keyCoverage({ targetSpec: {} as Target, checks: [], probes: [] })).toEqual({ keys: [], skipped: [] });
  });
});

const row = (key: string, fields: Partial<KeyCoverageRow> = {}): KeyCoverageRow => ({ key, purpose: 'inference', checks: 0, routes: [], serves: [], ...fields });
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

describe('renderCoverage for plan', () => {
  it("each serving key padded to the longest label (at most 40) with its checks, each use under it, then the idle keys", () => {
    const coverage: KeyCoverage = {
      keys: [
        row('chat', { preset: 'chat', checks: 1, routes: ['models'], serves: [{ kind: 'works', routes: ['models'], checks: 1 }] }),
        row('up', { preset: 'dataset-upload', purpose: 'upload', secretEnv: 'GT_UP', checks: 2, serves: [{ kind: 'no-key', routes: [], checks: 2 }] }),
        row('old', { revoked: true }),
        row('spare', { preset: 'openai-chat', purpose: 'conversation' }),
      ],
      skipped: [],
    };
    expect(renderCoverage(coverage, { width: 100 })).toEqual([
      "Keys: 2 of 4 serve the run's checks, 2 serve nothing",
      // 'up (preset dataset-upload, upload, $GT_UP)' is 42 long: the column stops at 40
      `  chat (inference)${' '.repeat(24)}  1 check`,
      '      works (1): models',
      '  up (preset dataset-upload, upload, $GT_UP)  2 checks',
      '      no-key (2)',
      '  serve nothing: old (no preset, inference, revoked), spare (preset openai-chat, conversation)',
    ]);
  });

  it('pads to the longest label when it is under 40, says "serves" of one idle key, nothing of none', () => {
    const serving = row('a', { preset: 'p', checks: 3, serves: [{ kind: 'works', routes: ['chat'], checks: 3 }] });
    expect(renderCoverage({ keys: [row('bb', { checks: 1, serves: [{ kind: 'auth', routes: [], checks: 1 }] }), serving], skipped: [] }, { width: 100 })).toEqual([
      "Keys: 2 of 2 serve the run's checks",
      '  bb (no preset, inference)  1 check',
      '      auth (1)',
      '  a (preset p, inference)    3 checks',
      '      works (3): chat',
    ]);
    expect(renderCoverage({ keys: [serving, row('idle')], skipped: [] }, { width: 100 })).toEqual([
      "Keys: 1 of 2 serve the run's checks, 1 serves nothing",
      '  a (preset p, inference)  3 checks',
      '      works (3): chat',
      '  serves nothing: idle (no preset, inference)',
    ]);
  });

  it('wraps a long use under its kind, and the idle keys under their first line', () => {
    const coverage: KeyCoverage = {
      keys: [row('k', { preset: 'k', checks: 3, serves: [{ kind: 'works', routes: ['models', 'chat', 'embeddings', 'files'], checks: 3 }] }), row('idle-one'), row('idle-two')],
      skipped: [],
    };
    expect(renderCoverage(coverage, { width: 30 })).toEqual([
      "Keys: 1 of 3 serve the run's checks, 2 serve nothing",
      '  k (inference)  3 checks',
      '      works (3): models, chat,',
      '        embeddings, files',
      '  serve nothing: idle-one (no',
      '    preset, inference),',
      '    idle-two (no preset,',
      '    inference)',
    ]);
  });

  it('lists at most 8 checks of a skip reason, and counts them past 8', () => {
    const coverage: KeyCoverage = { keys: [], skipped: [{ reason: 'no embed key', checks: ids('e', 9) }, { reason: 'no upload key', checks: ids('u', 8) }] };
    expect(renderCoverage(coverage, { width: 100 })).toEqual([
      "Keys: 0 of 0 serve the run's checks",
      'Skipped: 17 checks, and what would enable them',
      '  no embed key: e1, e2, e3, e4, e5, e6, e7, e8, … (9)',
      '  no upload key: u1, u2, u3, u4, u5, u6, u7, u8',
    ]);
  });

  it('one skipped check is "1 check"; maxListed overrides the default; a long reason wraps', () => {
    expect(renderCoverage({ keys: [], skipped: [{ reason: 'no key', checks: ['a', 'b'] }] }, { width: 100, maxListed: 1 }).slice(1)).toEqual(['Skipped: 2 checks, and what would enable them', '  no key: a, … (2)']);
    expect(renderCoverage({ keys: [], skipped: [{ reason: 'the target file lists no key that holds inference:embed', checks: ['p/embeddings/works'] }] }, { width: 40 }).slice(1)).toEqual([
      'Skipped: 1 check, and what would enable them',
      '  the target file lists no key that',
      '    holds inference:embed:',
      '    p/embeddings/works',
    ]);
  });
});

describe('renderCoverage for the run header (compact)', () => {
  it('one paragraph of the keys with their counts and the idle keys, terminal-safe', () => {
    const coverage: KeyCoverage = { keys: [row('chat', { checks: 2 }), row('up', { checks: 1 }), row('old'), row('bad\x1b[31m')], skipped: [] };
    expect(renderCoverage(coverage, { width: 200, compact: true })).toEqual(['Keys (checks each serves): chat 2, up 1; 2 serve nothing: old, bad\\x1b[31m (gt-conformance plan shows what each serves)']);
    expect(renderCoverage({ keys: [row('chat', { checks: 2 }), row('old')], skipped: [] }, { width: 200, compact: true })).toEqual(['Keys (checks each serves): chat 2; 1 serves nothing: old (gt-conformance plan shows what each serves)']);
  });

  it('says "none" when no key serves, nothing of idle keys when there are none, and wraps with an indent', () => {
    expect(renderCoverage({ keys: [], skipped: [] }, { width: 200, compact: true })).toEqual(['Keys (checks each serves): none (gt-conformance plan shows what each serves)']);
    expect(renderCoverage({ keys: [row('chat', { checks: 2 })], skipped: [] }, { width: 40, compact: true })).toEqual(['Keys (checks each serves): chat 2', '  (gt-conformance plan shows what each', '  serves)']);
  });

  it('lists at most 3 checks of a skip reason', () => {
    const coverage: KeyCoverage = { keys: [], skipped: [{ reason: 'r1', checks: ids('a', 4) }, { reason: 'r2', checks: ids('b', 3) }] };
    expect(renderCoverage(coverage, { width: 100, compact: true }).slice(1)).toEqual(['Skipped: 7 checks, and what would enable them', '  r1: a1, a2, a3, … (4)', '  r2: b1, b2, b3']);
  });
});
