// `npm run build` writes the shipped contract as JSON (dist/contract.json) so that a start-up skips the YAML
// parser. The cache must say exactly what the YAML says, and a contract edited after the build must not be
// read from it.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contractCacheFile, loadContract } from '../../src/contract/load.ts';
import { contractDir } from '../../src/paths.ts';

const copy = mkdtempSync(path.join(tmpdir(), 'gt-contract-'));
cpSync(contractDir, copy, { recursive: true });
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('the contract cache of the build', () => {
  it('holds what a fresh parse of the YAML gives, digest included', () => {
    expect(existsSync(contractCacheFile), 'npm run build writes it (the tests build dist/ first)').toBe(true);
    const cached = JSON.parse(readFileSync(contractCacheFile, 'utf8'));
    const parsed = loadContract(copy); // another folder: never read from the cache
    expect(cached.value).toEqual(JSON.parse(JSON.stringify(parsed)));
    expect(cached.digest).toBe(parsed.digest);
    expect(parsed.routes.find((r) => r.id === 'models')?.path).toBe('/v1/models');
    expect(parsed.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives an edited contract another digest, so the cache is not used for it', () => {
    const before = loadContract(copy).digest;
    const file = path.join(copy, 'routes.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n# edited\n`);
    expect(loadContract(copy).digest).not.toBe(before);
  });
});
