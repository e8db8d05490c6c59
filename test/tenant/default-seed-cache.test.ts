// The embedded tenant's default seed as the build parsed it (dist/default-seed.json) is the seed the YAML file
// gives, and the cache is only read while the file has the digest it was made from.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { buildCacheFile, readBuildCache, readWithDigest } from '../../src/input/build-cache.ts';
import { defaultSeedPath, loadSeedFile, resolveSeed } from '../../src/tenant/seed.ts';

describe('the default seed\'s build cache', () => {
  const contract = loadContract();

  it('was written for the seed file as it is now', () => {
    expect(readBuildCache('default-seed', readWithDigest([defaultSeedPath]).digest)).toBeDefined();
    expect(readBuildCache('default-seed', 'another digest')).toBeUndefined();
  });

  it('gives the seed the YAML file gives, failing upload and all', () => {
    const fromFile = loadSeedFile(defaultSeedPath, contract);
    expect(resolveSeed(undefined, contract)).toEqual(fromFile);
    expect(fromFile.keys.length).toBeGreaterThan(5);
    expect(fromFile.failing_upload?.file).toMatch(/^\//);
  });

  it('holds the file\'s data: JSON of what the YAML says', () => {
    const cache = JSON.parse(readFileSync(buildCacheFile('default-seed'), 'utf8')) as { value: { keys: Array<{ name: string }> } };
    expect(cache.value.keys.map((k) => k.name)).toEqual(loadSeedFile(defaultSeedPath, contract).keys.map((k) => k.name));
  });
});
