// npm run selftest:layouts: the selftest on every key layout of test/layouts/layouts.ts, every defect of the
// embedded tenant on each (one run per defect per layout, two at a time). A defect is caught on a layout when
// exactly the checks its catching kinds name for that layout's keys fail. Prints one line per miss and a
// summary; exit 1 when a defect is missed or fails a check it should not. `-- --defect ID` and
// `-- --layout NAME` (repeatable) narrow it.
import { parseArgs } from 'node:util';
import { DEFECTS } from '../../src/tenant/index.ts';
import { LAYOUTS, layoutDefectRow, type LayoutDefectRow } from './layouts.ts';

const { values } = parseArgs({ options: { defect: { type: 'string', multiple: true }, layout: { type: 'string', multiple: true } } });
const defects = values.defect ?? DEFECTS.map((d) => d.id);
const layouts = LAYOUTS.filter((l) => !values.layout || values.layout.includes(l.name));
const jobs = layouts.flatMap((layout) => defects.map((defect) => ({ layout, defect })));

const started = Date.now();
const rows: LayoutDefectRow[] = [];
let next = 0;
const worker = async () => {
  while (next < jobs.length) {
    const { layout, defect } = jobs[next++];
    const row = await layoutDefectRow(layout, defect);
    rows.push(row);
    const verdict = row.missed.length || row.unexpected.length ? 'WRONG' : row.failed.length ? `caught (${row.failed.length} checks)` : 'not shown by these keys';
    process.stdout.write(`[${rows.length}/${jobs.length}] ${layout.name} × ${defect}: ${verdict}\n`);
    if (row.missed.length) process.stdout.write(`    missed: ${row.missed.join(', ')}\n`);
    for (const id of row.unexpected) process.stdout.write(`    unexpected: ${id}: ${row.why[id].slice(0, 300)}\n`);
  }
};
await Promise.all([worker(), worker()]);

// A defect that no check of a layout can show (its keys lack what the catching checks need) fails nothing and is expected to fail nothing.
const notShown = rows.filter((r) => !r.failed.length && !r.missed.length && !r.unexpected.length);
const wrong = rows.filter((r) => r.missed.length || r.unexpected.length);
for (const r of notShown) process.stdout.write(`not shown on ${r.layout}: ${r.defect} (no check of this layout's keys can catch it)\n`);
process.stdout.write(`${rows.length - wrong.length - notShown.length} caught, ${notShown.length} not shown by the layout's keys, ${wrong.length} wrong, in ${Math.round((Date.now() - started) / 1000)} s\n`);
process.exitCode = wrong.length ? 1 : 0;
