// What the worst YAML input file within the bounds costs to refuse or read (src/input/yaml.ts), and what
// the yaml library's own duplicate-key check costs on the same mapping. Prints figures; asserts nothing.
//   npx tsx bench/yaml-bounds.ts
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDocument } from 'yaml';
import { parseYaml, YAML_LIMITS } from '../src/input/yaml.ts';
import { projectRoot } from '../src/paths.ts';

const room = YAML_LIMITS.maxBytes - 16;
const wideMap = Array.from({ length: 12_000 }, (_, i) => `k${String(i).padStart(5, '0')}: v`).join('\n');
const cases: Record<string, string> = {
  'a flow list filling the bound': `[${'a, '.repeat(Math.floor(room / 3))}a]`,
  'a block list filling the bound': '- a\n'.repeat(Math.floor(room / 4)),
  'a mapping of 12,000 keys': wideMap,
  '"[" repeated to the bound': '['.repeat(room),
  'the alias bomb fixture': readFileSync(path.join(projectRoot, 'test/fixtures/bad-yaml/alias-bomb.yaml'), 'utf8'),
};

console.log(`| input | bytes | time | answer | RSS growth |`);
console.log(`|---|---|---|---|---|`);
for (const [name, text] of Object.entries(cases)) {
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  const { problems } = parseYaml(text);
  const ms = performance.now() - started;
  const grown = (process.memoryUsage().rss - rss) / 2 ** 20;
  console.log(`| ${name} | ${text.length} | ${ms.toFixed(0)} ms | ${problems[0]?.message ?? 'read'} | ${grown.toFixed(0)} MiB |`);
}
const started = performance.now();
parseDocument(wideMap, { uniqueKeys: true });
console.log(`\nthe yaml library's uniqueKeys check on the 12,000-key mapping: ${(performance.now() - started).toFixed(0)} ms`);
