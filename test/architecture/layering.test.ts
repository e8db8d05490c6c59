// The house's layering (docs/architecture.md): each folder imports only folders on lower floors, and no
// file imports itself through a circle. Read from the sources' own import statements, type imports included.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.ts';

/** The floors, lowest first: docs/architecture.md draws the same table. */
export const FLOORS: string[][] = [
  ['src/model.ts', 'src/paths.ts', 'src/instrument.ts'],
  ['src/version.ts', 'src/input'],
  ['src/http', 'src/contract', 'src/outcome'],
  ['src/checks', 'src/drivers', 'src/targets'],
  ['src/tenant', 'src/negative'],
  ['src/clients'],
  ['src/runbook', 'src/probes', 'src/kinds'],
  ['src/plan', 'src/engine', 'src/report'],
  ['src/suite'],
  ['src/run'],
  ['src/selftest', 'reporters', 'suites'],
  ['src/cli', 'vitest.config.ts'],
  ['bin'],
];

const floorOf = new Map(FLOORS.flatMap((units, floor) => units.map((u) => [u, floor] as const)));

function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (/\.(ts|js)$/.test(name)) out.push(file);
    }
  };
  for (const dir of ['src', 'reporters', 'suites', 'bin']) walk(path.join(projectRoot, dir));
  return [...out, path.join(projectRoot, 'vitest.config.ts')];
}

/** The folder (or top-level file) a file belongs to, as the floors name it. */
function unitOf(file: string): string {
  const rel = path.relative(projectRoot, file).split(path.sep).join('/');
  const [top, second, ...rest] = rel.split('/');
  if (top === 'src') return rest.length ? `src/${second}` : rel;
  return rest.length || second ? top : rel;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"](\.[^'"]+)['"]/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => path.resolve(path.dirname(file), m[1] ?? m[2] ?? m[3]));
}

describe('the layering of the house', () => {
  const files = sources();

  it('puts every folder of the code on a floor', () => {
    expect(files.map(unitOf).filter((u) => !floorOf.has(u))).toEqual([]);
  });

  it('has no import that runs up or sideways between folders', () => {
    const against = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => unitOf(target) !== unitOf(file) && !((floorOf.get(unitOf(target)) ?? -1) < floorOf.get(unitOf(file))!))
        .map((target) => `${path.relative(projectRoot, file)} -> ${path.relative(projectRoot, target)}`),
    );
    expect(against).toEqual([]);
  });

  it('has no circle of imports between files', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).map((t) => (t.endsWith('.js') && !files.includes(t) ? t.replace(/\.js$/, '.ts') : t)).filter((t) => files.includes(t))]));
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(projectRoot, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(circles).toEqual([]);
  });

  it('keeps the tenant, the planner and the runbook loader out of the check workers', () => {
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file) || !files.includes(file)) return;
      reached.add(file);
      importsOf(file).forEach(visit);
    };
    visit(path.join(projectRoot, 'src/suite/declare.ts'));
    const units = new Set([...reached].map(unitOf));
    for (const forbidden of ['src/tenant', 'src/plan', 'src/runbook', 'src/kinds']) expect(units.has(forbidden), forbidden).toBe(false);
  });
});
