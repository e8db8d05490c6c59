// docs/ci.md and examples/gitlab-ci.yml stay runnable: the template parses, and every gt-conformance command
// in them uses only flags its verb has.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../../src/paths.ts';
import runCommand from '../../src/cli/commands/run.ts';
import reportCommand from '../../src/cli/commands/report.ts';

const usages: Record<string, string> = { run: runCommand.usage, report: reportCommand.usage };

const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');

/** Each `gt-conformance VERB ...` in a text, with the flags on its line (and the lines `set --` builds it from). */
function commands(text: string): Array<{ verb: string; flags: string[]; line: string }> {
  const found: Array<{ verb: string; flags: string[]; line: string }> = [];
  for (const line of text.split('\n')) {
    const m = /(?:gt-conformance|set --)\s+(run|report)\b(.*)$/.exec(line);
    if (m) found.push({ verb: m[1], flags: [...m[2].matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((f) => f[0]), line: line.trim() });
    else if (/set -- "\$@"/.test(line)) found.push({ verb: found.at(-1)?.verb ?? 'run', flags: [...line.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((f) => f[0]), line: line.trim() });
  }
  return found;
}

describe('the CI docs and template', () => {
  it('the GitLab template parses, with three shards of one seed and a merge job after them', () => {
    const ci = parse(read('examples/gitlab-ci.yml')) as Record<string, { parallel?: number; needs?: string[]; script?: string[]; artifacts?: { reports?: { junit?: string } } }>;
    expect(ci.conformance.parallel).toBe(3);
    expect(ci.conformance.script!.join('\n')).toContain('--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL" --seed "$CI_PIPELINE_ID"');
    expect(ci['conformance-report'].needs).toEqual(['conformance']);
    expect(ci['conformance-report'].script!.join('\n')).toContain('report --merge out/blob/');
    expect(ci['conformance-report'].artifacts!.reports!.junit).toBe('out/junit.xml');
  });

  for (const file of ['docs/ci.md', 'examples/gitlab-ci.yml']) {
    it(`${file} uses only flags the verbs have`, () => {
      const found = commands(read(file));
      expect(found.length).toBeGreaterThan(1);
      const unknown = found.flatMap((c) => c.flags.filter((f) => !new RegExp(`(^|\\s)${f}\\b`, 'm').test(usages[c.verb])).map((f) => `${c.verb} ${f} in: ${c.line}`));
      expect(unknown).toEqual([]);
    });
  }
});
