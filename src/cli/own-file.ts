// Files a verb writes for the user (mock --export-keys, verify-client --suggest-runbook): each starts with a
// header line naming the verb, and a file that does not start with it is never overwritten.
import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '../input/usage-error.ts';

/** Writes `text` (which must start with `header`) to `file`, unless `file` exists and was not written with that header. */
export function writeOwnFile(flag: string, file: string, header: string, text: string, mode = 0o644): void {
  if (!text.startsWith(header)) throw new Error(`${flag}: the text must start with its header`);
  let existing: string | undefined;
  try {
    existing = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new UsageError(`${flag} ${file}: cannot read it (${code ?? (err as Error).message})`);
  }
  const by = header.replace(/^#\s*/, '').split(':')[0];
  if (existing !== undefined && !existing.startsWith(header)) throw new UsageError(`${flag} ${file}: the file exists and was not written by ${by}; not overwriting it`);
  try {
    writeFileSync(file, text, { mode });
  } catch (err) {
    throw new UsageError(`${flag} ${file}: cannot write it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
