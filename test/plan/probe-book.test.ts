// The probe book on hand-made targets and the contract's routes: each probe added once, with the probes it
// depends on (a poll after its upload, a conversation upload after its bootstrap), its id written out here,
// and the reason when the target or the flags forbid a route. No runbook file is loaded.
import { describe, expect, it } from 'vitest';
import { ProbeBook } from '../../src/plan/probe-book.ts';
import { loadContract, routeById } from '../../src/contract/load.ts';
import type { Contract, Runbook, Target, TargetKey } from '../../src/model.ts';

const contract = loadContract();
const route = (id: string) => routeById(contract, id);
const key = (name: string, over: Partial<TargetKey> = {}): TargetKey => ({ name, purpose: 'inference', scopes: ['inference:chat'], models: ['m'], datasets: [], hidden_models: [], family: 'f1', ...over });
const chatKey = key('chat-key', { preset: 'openai-chat' });
const uploader = key('uploader', { purpose: 'upload', preset: 'dataset-upload', scopes: ['datasets:write'], datasets: ['d1'], models: [] });
const conv = key('conv', { purpose: 'conversation', preset: 'conversation-app', scopes: ['inference:chat', 'datasets:write', 'conversations:upload'], datasets: ['d1'] });
const convOnly = key('conv-only', { purpose: 'conversation', scopes: ['inference:chat', 'conversations:upload'] });
const target = (keys: TargetKey[] = [chatKey, uploader, conv], over: Partial<Target> = {}): Target => ({ kind: 'embedded', baseUrl: 'http://127.0.0.1:1/api/tenant', keys, uploads: true, ...over });
const book = (t: Target = target(), policy = {}, c: Contract = contract) => new ProbeBook(c, t, policy);

describe('success', () => {
  it('a plain call, once however often it is asked for', () => {
    const b = book();
    expect(b.success(route('chat'), chatKey)).toBe('chat:call:chat-key');
    expect(b.success(route('chat'), chatKey)).toBe('chat:call:chat-key');
    expect(b.all).toEqual([{ id: 'chat:call:chat-key', route: 'chat', key: 'chat-key', keyPreset: 'openai-chat', kind: 'call', expect: 'success', driver: 'http' }]);
  });

  it('names the driver, the client profile and the AI SDK provider in the id', () => {
    const b = book();
    expect(b.success(route('chat'), chatKey, { driver: 'openai' })).toBe('chat:call:chat-key:openai');
    expect(b.success(route('chat'), chatKey, { driver: 'http', profile: 'dify' })).toBe('chat:call:chat-key:profile=dify');
    expect(b.success(route('chat'), chatKey, { driver: 'ai-sdk', aiSdkProvider: 'openai' })).toBe('chat:call:chat-key:ai-sdk:createOpenAI');
    expect(b.success(route('chat'), chatKey, { driver: 'ai-sdk', aiSdkProvider: 'openai-compatible' })).toBe('chat:call:chat-key:ai-sdk');
    expect(b.all.map((p) => p.params)).toEqual([undefined, { profile: 'dify', variant: 'profile=dify' }, { aiSdkProvider: 'openai', variant: 'createOpenAI' }, undefined]);
  });

  it('a status read polls after an upload the key can make, where no conversation is needed first', () => {
    const b = book();
    expect(b.success(route('file-status'), conv)).toBe('file-status:poll:conv<-dataset-files');
    expect(b.all.map((p) => [p.id, p.kind, p.expect, p.dependsOn])).toEqual([
      ['dataset-files:upload:conv', 'upload', 'success', undefined],
      ['file-status:poll:conv<-dataset-files', 'poll', 'ready', ['dataset-files:upload:conv']],
    ]);
  });

  it('an upload into a conversation needs the conversation first; a key without datasets:write uploads there', () => {
    const b = book(target([convOnly]));
    expect(b.success(route('file-status'), convOnly)).toBe('file-status:poll:conv-only<-conversation-files');
    expect(b.all.map((p) => [p.id, p.dependsOn])).toEqual([
      ['conversations:create:conv-only', undefined],
      ['conversation-files:upload:conv-only<-conversations', ['conversations:create:conv-only']],
      ['file-status:poll:conv-only<-conversation-files', ['conversation-files:upload:conv-only<-conversations']],
    ]);
    expect(b.success(route('conversations'), convOnly)).toBe('conversations:create:conv-only');
  });

  it('a key that may upload nowhere cannot poll', () => {
    expect(() => book().success(route('file-status'), chatKey)).toThrow('key chat-key may upload nowhere');
  });

  it('a contract without a route that creates conversations has no bootstrap', () => {
    const without = { ...contract, routes: contract.routes.filter((r) => r.creates !== 'conversation') };
    expect(() => book(target(), {}, without).bootstrap(conv)).toThrow('the contract has no route that creates a conversation');
  });
});

describe('what the target and the flags forbid', () => {
  it('says why a route cannot be called, most specific first', () => {
    expect(() => book(target(), { skipRoutes: ['chat'] }).success(route('chat'), chatKey)).toThrow('route chat skipped by --skip-route');
    expect(() => book(target(undefined, { allowedRoutes: ['models'] })).success(route('chat'), chatKey)).toThrow("route chat is not in the target's allowed_routes");
    expect(book(target(undefined, { allowedRoutes: ['chat'] })).success(route('chat'), chatKey)).toBe('chat:call:chat-key');
    expect(() => book(target(), { uploads: false }).success(route('dataset-files'), uploader)).toThrow('uploads disabled by --no-uploads');
    expect(() => book(target(), { uploads: false }).success(route('file-status'), uploader)).toThrow('uploads disabled by --no-uploads');
    expect(() => book(target(undefined, { uploads: false })).success(route('dataset-files'), uploader)).toThrow('the target does not allow uploads');
    expect(() => book(target(undefined, { uploads: false })).denial(route('file-status'), chatKey, uploader)).toThrow('the target does not allow uploads');
    expect(book(target(), { uploads: true, skipRoutes: ['models'] }).success(route('dataset-files'), uploader)).toBe('dataset-files:upload:uploader');
  });
});

describe('denial, unauthorized, other', () => {
  it('a denial of a status read first has the owner upload a file', () => {
    const b = book();
    expect(b.denial(route('file-status'), chatKey, uploader)).toBe('file-status:denied:chat-key<-dataset-files');
    expect(b.all.find((p) => p.kind === 'denied')).toEqual({
      id: 'file-status:denied:chat-key<-dataset-files',
      route: 'file-status',
      key: 'chat-key',
      keyPreset: 'openai-chat',
      kind: 'denied',
      expect: 'denied',
      driver: 'http',
      dependsOn: ['dataset-files:upload:uploader'],
    });
  });

  it('an owner that cannot make the object gives way to the narrowest key that can', () => {
    const wide = key('a-wide', { purpose: 'upload', scopes: ['datasets:write', 'extra:one'], datasets: ['d1'], models: [] });
    const b = book(target([chatKey, wide, uploader]));
    expect(b.denial(route('file-status'), chatKey, chatKey)).toBe('file-status:denied:chat-key<-dataset-files');
    expect(b.all[0].id).toBe('dataset-files:upload:uploader');
    expect(book(target([chatKey, wide])).denial(route('file-status'), chatKey)).toBe('file-status:denied:chat-key<-dataset-files');
    expect(() => book(target([chatKey])).denial(route('file-status'), chatKey)).toThrow('no key of the target can make the object dataset-files or conversation-files creates');
  });

  it('a denial inside a conversation first has a key bootstrap one; a plain denial depends on nothing', () => {
    const b = book();
    expect(b.denial(route('conversation-files'), chatKey, conv)).toBe('conversation-files:denied:chat-key<-conversations');
    expect(b.denial(route('embeddings'), chatKey)).toBe('embeddings:denied:chat-key');
    expect(b.all.find((p) => p.id === 'embeddings:denied:chat-key')).not.toHaveProperty('dependsOn');
  });

  it('unauthorized probes name the special key or the revoked key', () => {
    const b = book();
    const revoked = key('old', { preset: 'openai-chat', revoked: true });
    expect(b.unauthorized(route('models'), '@none')).toBe('models:unauthorized:@none');
    expect(b.unauthorized(route('models'), revoked)).toBe('models:unauthorized:old');
    expect(b.all.map((p) => p.keyPreset)).toEqual(['@none', 'openai-chat (revoked)']);
    expect(b.unauthorized(route('models'), key('bare'))).toBe('models:unauthorized:bare');
    expect(b.all[2].keyPreset).toBe('bare');
  });

  it('any other probe: its kind, expectation, variant, driver and what it runs after', () => {
    const b = book();
    const first = b.other(route('chat'), chatKey, { kind: 'bad-request', expect: 'bad_request', params: { variant: 'malformed-json' } });
    expect(first).toBe('chat:bad-request:chat-key:malformed-json');
    expect(b.other(route('chat'), chatKey, { kind: 'documented-call', expect: 'served', driver: 'ai-sdk', after: [first] })).toBe('chat:documented-call:chat-key:ai-sdk<-chat');
    expect(b.other(route('chat'), chatKey, { kind: 'hidden-model', expect: 'denied', after: [] })).toBe('chat:hidden-model:chat-key');
    expect(b.all.map((p) => [p.driver, p.params, p.dependsOn])).toEqual([
      ['http', { variant: 'malformed-json' }, undefined],
      ['ai-sdk', undefined, [first]],
      ['http', undefined, undefined],
    ]);
  });
});

describe('snapshot, rollback, keepOnly', () => {
  it('undoes what a check added, and keeps only what the checks use with their prerequisites', () => {
    const b = book();
    b.success(route('models'), chatKey);
    const before = b.snapshot();
    b.success(route('file-status'), uploader);
    b.rollback(before);
    expect(b.all.map((p) => p.id)).toEqual(['models:call:chat-key']);
    const poll = b.success(route('file-status'), uploader);
    b.success(route('chat'), chatKey);
    b.keepOnly([poll]);
    expect(b.all.map((p) => p.id)).toEqual(['dataset-files:upload:uploader', 'file-status:poll:uploader<-dataset-files']);
    b.keepOnly(['not-a-probe']);
    expect(b.all).toEqual([]);
  });
});

describe('clientOf', () => {
  const runbook = (over: Partial<Runbook>): Runbook => ({ id: 'p', product: 'P', compatibility: 'Native OpenAI-compatible', category: 'SDK and HTTP', preset: 'openai-chat', evidence: '', summary: '', driver: 'http', docs: [], configuration: [], routes: [], not_supported: [], prerequisites: [], setup: [], caveats: [], checklist: [], ...over });

  it('replays a plain-HTTP product\'s own requests where its profile describes the route', () => {
    expect(book().clientOf(runbook({ client_profile: 'dify' }), route('chat'))).toEqual({ driver: 'http', profile: 'dify' });
    expect(book().clientOf(runbook({ client_profile: 'dify' }), route('models'))).toEqual({ driver: 'http' }); // dify's profile has no models
  });

  it('does not replay the harness\'s own profile, nor the default one', () => {
    expect(book().clientOf(runbook({ client_profile: 'generic-http' }), route('chat'))).toEqual({ driver: 'http' });
    expect(book().clientOf(runbook({}), route('chat'))).toEqual({ driver: 'http' });
  });

  it('an SDK product calls its routes through its SDK, the Vercel AI SDK through createOpenAI where its profile says so', () => {
    expect(book().clientOf(runbook({ driver: 'openai', client_profile: 'openai-node' }), route('chat'))).toEqual({ driver: 'openai' });
    expect(book().clientOf(runbook({ driver: 'ai-sdk', client_profile: 'ai-sdk-openai' }), route('embeddings'))).toEqual({ driver: 'ai-sdk', aiSdkProvider: 'openai' });
    expect(book().clientOf(runbook({ driver: 'ai-sdk', client_profile: 'ai-sdk-openai-compatible' }), route('chat'))).toEqual({ driver: 'ai-sdk' });
    expect(book().clientOf(runbook({ driver: 'ai-sdk', client_profile: 'ai-sdk-openai' }), route('models'))).toEqual({ driver: 'http' }); // not an AI SDK route
    expect(book().clientOf(runbook({ driver: 'openai', client_profile: 'dify' }), route('chat'))).toEqual({ driver: 'openai' }); // an SDK product's profile is not replayed
  });
});
