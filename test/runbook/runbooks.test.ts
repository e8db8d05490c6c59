// The seven runbooks of the project load and say what their source documents say.
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { defaultRunbookFiles, loadRunbooks } from '../../src/runbook/load.ts';
import type { LoadedRunbook, Verdict } from '../../src/model.ts';

const contract = loadContract();
const { runbooks, errors } = loadRunbooks(defaultRunbookFiles(), contract);
const byId = new Map(runbooks.map((r) => [r.runbook.id, r]));

// Verdicts per route as the source documents give them (seeds/000, 002, 003, 004;
// GT-API.md "The other public runbooks"; MORE-RUNBOOKS.md). N native, X gt_extension, U not_supported.
const routeOrder = ['models', 'chat', 'embeddings', 'transcriptions', 'speech', 'images', 'conversation-files', 'dataset-files', 'file-status'];
const verdictTable: Record<string, string> = {
  //                     mod chat emb  tr  sp  img cf  df  fs
  'generic-openai-http': 'N N N N N N X X X',
  'open-webui':          'N N N U U U U U U',
  dify:                  'N N N U U U X X X',
  librechat:             'N N N U U U U U U',
  'openai-sdk':          'N N N N N N X X X',
  'vercel-ai-sdk':       'N N N U U U X X X',
  langchain:             'N N N U U U X X X',
};
const letters: Record<string, Verdict> = { N: 'native', X: 'gt_extension', U: 'not_supported' };

// Conditional verdicts: only where the source text states the condition.
const conditional: Record<string, Record<string, string>> = {
  'generic-openai-http': {
    embeddings: 'inference:embed',
    transcriptions: 'inference:transcribe',
    speech: 'inference:speech',
    images: 'inference:image',
  },
  'open-webui': { embeddings: 'inference:embed' },
  librechat: { embeddings: 'inference:embed' },
  dify: {},
  'openai-sdk': {},
  'vercel-ai-sdk': {},
  langchain: {},
};

/** The client profile (fixtures/clients) each product's requests are replayed from. */
const profiles: Record<string, string> = {
  'generic-openai-http': 'generic-http',
  'open-webui': 'open-webui',
  dify: 'dify',
  librechat: 'librechat',
  'openai-sdk': 'openai-node',
  'vercel-ai-sdk': 'ai-sdk-openai',
  langchain: 'langchain-openai',
};

const headers: Record<string, { preset: string; driver: string; compatibility: string; category: string }> = {
  'generic-openai-http': { preset: 'openai-chat', driver: 'http', compatibility: 'Native OpenAI-compatible', category: 'SDK and HTTP' },
  'open-webui': { preset: 'openai-chat', driver: 'http', compatibility: 'Guided OpenAI-compatible setup', category: 'Workflow and builders' },
  dify: { preset: 'chat-embeddings', driver: 'http', compatibility: 'OpenAI plus GT extensions', category: 'Workflow and builders' },
  librechat: { preset: 'openai-chat', driver: 'http', compatibility: 'Guided OpenAI-compatible setup', category: 'Workflow and builders' },
  'openai-sdk': { preset: 'openai-chat', driver: 'openai', compatibility: 'Native OpenAI-compatible', category: 'SDK and HTTP' },
  'vercel-ai-sdk': { preset: 'conversation-app', driver: 'ai-sdk', compatibility: 'OpenAI plus GT extensions', category: 'Framework and orchestration' },
  langchain: { preset: 'chat-embeddings', driver: 'langchain', compatibility: 'Native OpenAI-compatible', category: 'Framework and orchestration' },
};

// Machine checks per product, in checklist order (manual items omitted).
const machineChecks: Record<string, string[]> = {
  'generic-openai-http': ['chat-with-alias'],
  'open-webui': ['chat-with-alias', 'models-match-allowlist'],
  dify: ['chat-with-alias', 'embeddings-with-alias'],
  librechat: ['chat-with-alias', 'models-match-allowlist'],
  'openai-sdk': ['chat-with-alias', 'models-match-allowlist', 'upload-reaches-ready', 'revoked-key-fails-closed'],
  'vercel-ai-sdk': ['stream-reaches-client', 'conversation-continuity', 'conversation-upload-ready'],
  langchain: ['chat-with-alias', 'embeddings-with-alias', 'models-match-allowlist'],
};

function get(id: string): LoadedRunbook {
  const loaded = byId.get(id);
  if (!loaded) throw new Error(`runbook ${id} did not load`);
  return loaded;
}

describe('the project runbooks', () => {
  it('all load without errors, seven of them, sorted by file', () => {
    expect(errors).toEqual([]);
    expect(runbooks.map((r) => r.runbook.id)).toEqual(['dify', 'generic-openai-http', 'langchain', 'librechat', 'open-webui', 'openai-sdk', 'vercel-ai-sdk']);
    expect(runbooks.map((r) => r.file)).toEqual(defaultRunbookFiles());
  });

  describe.each(Object.keys(verdictTable))('%s', (id) => {
    it('maps the nine routes of its source (all but conversations) with the source verdicts', () => {
      const rows = get(id).runbook.routes;
      expect(rows.map((r) => r.route)).toEqual(routeOrder);
      const expected = verdictTable[id].split(' ').map((l) => letters[l]);
      expect(rows.map((r) => r.verdict)).toEqual(expected);
    });

    it('marks exactly the conditional verdicts with the scope they need', () => {
      const scoped = Object.fromEntries(get(id).runbook.routes.filter((r) => r.requires_scope).map((r) => [r.route, r.requires_scope]));
      expect(scoped).toEqual(conditional[id]);
    });

    it('has the header fields of its source, and the client profile of its product', () => {
      const { preset, driver, compatibility, category, client_profile } = get(id).runbook;
      expect({ preset, driver, compatibility, category }).toEqual(headers[id]);
      expect(client_profile).toBe(profiles[id]);
    });

    it('keeps the documented base URL as written and marks key and base URL fields', () => {
      const config = get(id).runbook.configuration;
      const baseUrls = config.filter((c) => c.role === 'base_url');
      expect(baseUrls.length).toBeGreaterThan(0);
      for (const field of baseUrls) expect(field.value).toBe('https://<tenant-host>/api/tenant');
      expect(config.filter((c) => c.role === 'api_key').map((c) => c.value)).toEqual(['gtak_...']);
    });

    it('maps the machine-checkable checklist items to their checks', () => {
      const checks = get(id).runbook.checklist.flatMap((c) => (c.check ? [c.check] : []));
      expect(checks).toEqual(machineChecks[id]);
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
