// The shipped runbooks as `npm run build` checked them (writeRunbooksCache in load.ts): each one's data, the
// line of every path in it, and where its id is written, by the sha256 of its bytes. A run that loads a file
// with the same bytes, under the same contract and runbook schema, skips the YAML parse and the checks (about
// 0.2 s of the command line's start); any other file, or a stale or missing cache, is parsed and checked.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Contract, Runbook } from '../model.ts';
import { readBuildCache, writeBuildCache } from '../input/build-cache.ts';
import { runbookSchemaFile } from './schema.ts';

const CACHE = 'runbooks';

export interface CheckedRunbook {
  runbook: Runbook;
  /** formatPath of every value in the runbook → its line */
  lines: Record<string, number>;
  id: { value: string; line: number; column: number };
}

type Checked = Record<string, CheckedRunbook>;

/** What the cache depends on besides a file's bytes. */
function cacheDigest(contract: Contract): string {
  return createHash('sha256').update(contract.digest).update('\0').update(readFileSync(runbookSchemaFile)).digest('hex');
}

let loaded: { contract: string; checked: Checked | undefined } | undefined;

/** The checked runbook whose bytes have this sha256, when the build checked one under this contract. */
export function checkedRunbook(bytesDigest: string, contract: Contract): CheckedRunbook | undefined {
  if (loaded?.contract !== contract.digest) loaded = { contract: contract.digest, checked: readBuildCache<Checked>(CACHE, cacheDigest(contract)) };
  return loaded.checked?.[bytesDigest];
}

export function writeCheckedRunbooks(checked: Checked, contract: Contract): void {
  writeBuildCache(CACHE, cacheDigest(contract), checked);
  loaded = undefined;
}
