// Every kind of bad runbook gives one positioned line per problem: file:line:column: path: message.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { formatInputError, loadRunbookFile, loadRunbooks } from '../../src/runbook/load.ts';
import { projectRoot } from '../../src/paths.ts';

const contract = loadContract();
const fixture = (name: string) => path.relative(process.cwd(), path.join(projectRoot, 'test/fixtures/runbooks', name));
const messagesOf = (name: string) => loadRunbookFile(fixture(name), contract).errors.map(formatInputError);

const knownRoutes = 'models, chat, embeddings, transcriptions, speech, images, conversations, dataset-files, conversation-files, file-status';

// [fixture, the exact lines expected after "<file>:"]
const cases: Array<[string, string[]]> = [
  ['bad-malformed-yaml.yaml', ['12:1: invalid YAML: flow sequence in block collection must be sufficiently indented and end with a ]']],
  ['bad-wrong-type.yaml', ['3:10: product: must be a string, found a number']],
  ['bad-unknown-field.yaml', ['16:5: configuration[0]: unknown field "colour"']],
  ['bad-unknown-verdict.yaml', ['21:14: routes[1].verdict: must be one of native, gt_extension, not_supported']],
  ['bad-unknown-route.yaml', [`20:12: routes[1].route: unknown route "chats"; known routes: ${knownRoutes}`]],
  [
    'bad-unknown-preset.yaml',
    ['6:9: preset: unknown preset "chat-only"; known presets: openai-chat, chat-embeddings, agentic-ide, voice-audio, image-generation, dataset-upload, conversation-app'],
  ],
  ['bad-duplicate-route.yaml', ['27:12: routes[3].route: duplicate route "chat": already mapped at routes[1] (line 20)']],
  [
    'bad-non-scope.yaml',
    [
      '26:21: routes[2].requires_scope: unknown scope "embed"; known scopes: inference:chat, inference:embed, inference:transcribe, inference:speech, inference:image, datasets:write, conversations:upload',
    ],
  ],
  ['bad-empty-routes.yaml', ['16:9: routes: must have at least 1 entry, found none']],
  ['bad-missing-product.yaml', ['2:1: missing required field "product"']],
  ['bad-missing-verdict.yaml', ['20:5: routes[1]: missing required field "verdict"']],
  ['bad-client-profile.yaml', ['9:17: client_profile: unknown client profile "no-such-profile"; profiles in fixtures/clients: ai-sdk-openai, ai-sdk-openai-compatible, dify, generic-http, langchain-openai, librechat, open-webui, openai-compatible, openai-node']],
  ['bad-tab-indented.yaml', ['21:1: invalid YAML: tab character used for indentation; indent with spaces']],
  ['bad-empty.yaml', ['1:1: file is empty; a runbook is a YAML mapping of fields (id, product, routes, ...)']],
  ['bad-top-level-list.yaml', ['2:1: a runbook must be a YAML mapping of fields (id, product, routes, ...), found a list']],
  ['bad-slug-id.yaml', ['2:5: id: must be a slug (lowercase letters and digits, words joined by single hyphens, e.g. open-webui), found "Sample_Client"']],
  ['bad-duplicate-key.yaml', ['8:1: invalid YAML: field "evidence" appears twice in the same mapping']],
  [
    'bad-unknown-check.yaml',
    [
      '34:12: checklist[0].check: must be one of models-match-allowlist, chat-with-alias, embeddings-with-alias, upload-reaches-ready, revoked-key-fails-closed, conversation-continuity, conversation-upload-ready, stream-reaches-client, chat-hides-provider-ids',
    ],
  ],
  ['bad-misspelt-field.yaml', ['26:5: routes[2]: unknown field "requires-scope"; did you mean "requires_scope"?']],
  ['bad-docs-uri.yaml', ['11:5: docs[0]: must be an absolute URI such as https://example.com/docs, found "docs.example.com"']],
  [
    'bad-multiple-errors.yaml',
    [
      '4:16: compatibility: must be one of Native OpenAI-compatible, Guided OpenAI-compatible setup, OpenAI plus GT extensions',
      `20:12: routes[1].route: unknown route "chats"; known routes: ${knownRoutes}`,
      '32:1: unknown field "homepage"',
    ],
  ],
];

describe('bad runbooks', () => {
  it('the fixture they all derive from is valid', () => {
    const { runbook, errors } = loadRunbookFile(fixture('valid-minimal.yaml'), contract);
    expect(errors).toEqual([]);
    expect(runbook?.runbook.id).toBe('sample-client');
  });

  it.each(cases)('%s', (name, expected) => {
    const result = loadRunbookFile(fixture(name), contract);
    expect(result.runbook).toBeUndefined();
    expect(result.errors.map(formatInputError)).toEqual(expected.map((line) => `${fixture(name)}:${line}`));
  });

  it('reports a runbook id used by two files in both files, naming the other one', () => {
    const a = fixture('duplicate-id-a.yaml');
    const b = fixture('duplicate-id-b.yaml');
    const { runbooks, errors } = loadRunbooks([a, b, fixture('valid-minimal.yaml')], contract);
    expect(errors.map(formatInputError)).toEqual([
      `${a}:2:5: id: duplicate runbook id "shared-client": also used by ${b}:3:5`,
      `${b}:3:5: id: duplicate runbook id "shared-client": also used by ${a}:2:5`,
    ]);
    expect(runbooks.map((r) => r.runbook.id)).toEqual(['sample-client']);
  });

  it('reads a file given twice once', () => {
    const file = fixture('valid-minimal.yaml');
    const { runbooks, errors } = loadRunbooks([file, path.resolve(file)], contract);
    expect(errors).toEqual([]);
    expect(runbooks).toHaveLength(1);
  });

  it('reports a missing file and a directory without a position, and never throws', () => {
    const missing = fixture('no-such-runbook.yaml');
    const dir = fixture('');
    expect(messagesOf('no-such-runbook.yaml')).toEqual([`${missing}: file not found`]);
    expect(loadRunbookFile(dir, contract).errors.map(formatInputError)).toEqual([
      `${dir}: is a directory, not a runbook file (pass the YAML files, e.g. runbooks/*.yaml)`,
    ]);
  });
});
