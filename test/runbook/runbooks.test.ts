// The shipped runbooks say what their public sources say, row for row and item for item: verdicts,
// conditions, presets, header fields and checklist, against the facts table in test/fixtures/runbook-facts.
// Every runbook in runbooks/ loads; a runbook added later needs no edit here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { defaultRunbookFiles, loadRunbooks } from '../../src/runbook/load.ts';
import { machineChecksOf, type LoadedRunbook } from '../../src/model.ts';
import { projectRoot } from '../../src/paths.ts';

interface Facts {
  source: string;
  compatibility: string;
  category: string;
  preset: string;
  alternative_presets?: string[];
  evidence: string;
  driver: string;
  client_profile: string;
  routes: Record<string, string>;
  checklist: string[];
  prerequisites: number;
}

const contract = loadContract();
const { runbooks, errors } = loadRunbooks(defaultRunbookFiles(), contract);
const byId = new Map(runbooks.map((r) => [r.runbook.id, r]));
const facts = parse(readFileSync(path.join(projectRoot, 'test/fixtures/runbook-facts/facts.yaml'), 'utf8')) as Record<string, Facts>;

function get(id: string): LoadedRunbook {
  const loaded = byId.get(id);
  if (!loaded) throw new Error(`runbook ${id} is in the facts table but not in runbooks/`);
  return loaded;
}

describe('the project runbooks', () => {
  it('all load without errors, in file order', () => {
    expect(errors).toEqual([]);
    expect(runbooks.map((r) => r.file)).toEqual(defaultRunbookFiles());
  });

  describe.each(Object.keys(facts))('%s', (id) => {
    const want = facts[id];

    it('maps the routes of its source with the source verdicts and conditions', () => {
      const rows = Object.fromEntries(get(id).runbook.routes.map((r) => [r.route, r.requires_scope ? `${r.verdict} when ${r.requires_scope}` : r.verdict]));
      expect(rows).toEqual(want.routes);
    });

    it('has the header fields of its source, and the client profile of its product', () => {
      const { preset, driver, compatibility, category, client_profile, evidence, alternative_presets } = get(id).runbook;
      expect({ preset, driver, compatibility, category, client_profile, evidence }).toEqual({ preset: want.preset, driver: want.driver, compatibility: want.compatibility, category: want.category, client_profile: want.client_profile, evidence: want.evidence });
      expect((alternative_presets ?? []).map((a) => a.preset)).toEqual(want.alternative_presets ?? []);
    });

    it('has the checklist items of its source, each mapped to its machine checks or manual', () => {
      const items = get(id).runbook.checklist.map((item) => machineChecksOf(item).join('+') || 'manual');
      expect(items).toEqual(want.checklist);
    });

    it('has the prerequisites of its source', () => {
      expect(get(id).runbook.prerequisites).toHaveLength(want.prerequisites);
    });

    it('keeps the documented base URL as written and marks key and base URL fields', () => {
      const config = get(id).runbook.configuration;
      const baseUrls = config.filter((c) => c.role === 'base_url');
      expect(baseUrls.length).toBeGreaterThan(0);
      for (const field of baseUrls) expect(field.value).toBe('https://<tenant-host>/api/tenant');
      expect(config.filter((c) => c.role === 'api_key').map((c) => c.value)).toEqual(['gtak_...']);
    });

    it('knows the line of a route row and of a configuration value', () => {
      const loaded = get(id);
      const line = loaded.lineOf('routes[3]');
      expect(line).toBeGreaterThan(1);
      expect(loaded.lineOf('routes[3].verdict')).toBe(line! + 1);
      expect(loaded.lineOf('configuration[0].value')).toBe(loaded.lineOf('configuration[0]')! + 1);
      expect(loaded.lineOf('routes[42]')).toBeUndefined();
    });
  });
});
