// The build's caches of shipped inputs (src/input/build-cache.ts): read only while the files they were made
// from are unchanged, and equal to what parsing the files gives.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCacheFile, readBuildCache, readWithDigest, writeBuildCache } from '../../src/input/build-cache.ts';
import { loadClientProfiles } from '../../src/clients/load.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'gt-build-cache-'));
const name = `test-build-cache-${process.pid}`;
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(buildCacheFile(name), { force: true }); // written by this test only
});

describe('a build cache', () => {
  it('gives its value back for the digest it was written with, and nothing for another', () => {
    writeBuildCache(name, 'a'.repeat(64), { routes: [1, 2] });
    expect(readBuildCache(name, 'a'.repeat(64))).toEqual({ routes: [1, 2] });
    expect(readBuildCache(name, 'b'.repeat(64))).toBeUndefined();
  });

  it('gives nothing when the file is missing or not JSON', () => {
    expect(readBuildCache(`${name}-missing`, 'a'.repeat(64))).toBeUndefined();
    writeFileSync(buildCacheFile(name), '{"digest": "aaa", "value": ');
    expect(readBuildCache(name, 'aaa')).toBeUndefined();
  });

  it('takes a new digest when a file, its name or the order of the files changes', () => {
    const one = path.join(dir, 'one.yaml');
    const two = path.join(dir, 'two.yaml');
    writeFileSync(one, 'a: 1\n');
    writeFileSync(two, 'b: 2\n');
    const first = readWithDigest([one, two]);
    expect(first.texts).toEqual(['a: 1\n', 'b: 2\n']);
    expect(first.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(readWithDigest([two, one]).digest).not.toBe(first.digest);
    writeFileSync(two, 'b: 3\n');
    expect(readWithDigest([one, two]).digest).not.toBe(first.digest);
    const renamed = path.join(dir, 'three.yaml');
    writeFileSync(renamed, 'b: 2\n');
    writeFileSync(two, 'b: 2\n');
    expect(readWithDigest([one, renamed]).digest).not.toBe(first.digest);
    expect(readWithDigest([one, two]).digest).toBe(first.digest);
  });
});

describe('the client profiles cache of the build', () => {
  it('holds every shipped profile as a fresh load of the YAML gives it', () => {
    const file = buildCacheFile('client-profiles');
    expect(existsSync(file), 'npm run build writes it (the tests build dist/ first)').toBe(true);
    const cached = JSON.parse(readFileSync(file, 'utf8')) as { digest: string; value: Array<{ id: string }> };
    const loaded = loadClientProfiles();
    expect(loaded.errors).toEqual([]);
    expect(cached.value).toEqual(JSON.parse(JSON.stringify(loaded.profiles.map((p) => p.profile))));
    expect(cached.value.map((p) => p.id)).toContain('openai-node');
  });
});
