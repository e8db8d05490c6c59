// Synthetic runbooks for the benchmark: copies of the shipped runbooks under new ids and product names,
// the same routes, verdicts, presets, drivers and client profiles. Made from the files' text in memory and
// written to a temporary folder, because the run reads runbooks the way a user gives them: as files.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';

/** The shipped files plus (factor - 1) copies of each: `factor` times as many runbooks. */
export function scaledRunbookFiles(files: string[], factor: number): { files: string[]; dir?: string } {
  if (factor <= 1) return { files };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-bench-runbooks-'));
  const copies: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (let n = 2; n <= factor; n++) {
      const doc = parseDocument(text);
      doc.set('id', `${doc.get('id')}-copy-${n}`);
      doc.set('product', `${doc.get('product')} (copy ${n})`);
      const copy = path.join(dir, `${path.basename(file, path.extname(file))}-copy-${n}.yaml`);
      writeFileSync(copy, doc.toString());
      copies.push(copy);
    }
  }
  return { files: [...files, ...copies], dir };
}
