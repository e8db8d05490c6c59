// gt-conformance selftest: proves the checks are sharp (every defect caught) and tolerant (open points).
import { parseFlags } from '../command.ts';
import type { Command } from '../command.ts';
import { DEFECTS } from '../../tenant/index.ts';
import { caughtBy, runSelftest, type DefectRow } from '../../selftest/selftest.ts';

const usage = `Usage: gt-conformance selftest [--defect ID]... [--json]

Runs every conformance check against the embedded tenant: once clean, once tolerant (the other
allowed choice on every open point of the contract), and once per named defect with that defect
alone. Prints, per defect, the check kinds that caught it, and the score (caught / total).
A defect is caught when the run fails, every failed check is one a check kind names as
catching it (src/kinds), and every such check failed. A check kind is proven when a caught
defect fails checks of that kind (were the kind broken, that defect would show as not
caught); the kinds no defect proves are listed. Besides the shipped runbooks it reads
fixtures/selftest/unnamed-kinds.yaml, which names the checklist kinds no shipped runbook
names. Exit 0 when clean and tolerant pass and every defect is caught.

  --defect ID   only this defect (repeatable)
  --json        the report as JSON`;

function verdict(row: DefectRow): string {
  if (row.caught) return 'caught';
  if (row.failed.length === 0) return 'MISSED: no check failed';
  const parts = [];
  if (row.unexpected.length) parts.push(`also failed: ${row.unexpected.slice(0, 4).join(', ')}${row.unexpected.length > 4 ? ', ...' : ''}`);
  if (row.missed.length) parts.push(`did not fail: ${row.missed.join(', ')}`);
  return `IMPRECISE: ${parts.join('; ')}`;
}

const selftest: Command = {
  name: 'selftest',
  summary: 'run the checks against the embedded tenant with each named defect and print what caught it',
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, { defect: { type: 'string', multiple: true }, json: { type: 'boolean' } });
    const unknown = values.defect?.find((d) => !DEFECTS.some((x) => x.id === d));
    if (unknown) {
      console.error(`gt-conformance selftest: unknown defect "${unknown}"; see gt-conformance mock --list-defects`);
      return 2;
    }
    const started = Date.now();
    const report = await runSelftest(values.defect, (row, done, total) => {
      if (!values.json) process.stderr.write(`[${done}/${total}] ${row.defect}: ${row.caught ? 'caught' : 'NOT caught'}\n`);
    });
    const ok = report.clean.failed.length === 0 && report.tolerant.failed.length === 0 && report.caught === report.rows.length;
    if (values.json) {
      console.log(JSON.stringify({ ...report, ok }, null, 2));
      return ok ? 0 : 1;
    }
    for (const base of [report.clean, report.tolerant]) {
      console.log(`${base.name} tenant: ${base.checks} checks, ${base.failed.length} failed${base.failed.length ? `: ${base.failed.map((f) => f.checkId).join(', ')}` : ''}`);
    }
    console.log('');
    console.log('| defect | caught by | verdict |');
    console.log('|---|---|---|');
    for (const row of report.rows) console.log(`| ${row.defect} | ${caughtBy(row) || '-'} | ${verdict(row)} |`);
    console.log('');
    for (const row of report.rows) {
      for (const [id, why] of Object.entries(row.unexpectedWhy)) console.log(`${row.defect}: ${id} also failed: ${why.split('\n')[0]}`);
    }
    const unproven = report.kinds.filter((k) => !k.provenBy.length).map((k) => k.kind);
    console.log(`score: ${report.caught}/${report.rows.length} defects caught; ${report.proven}/${report.kinds.length} check kinds proven${unproven.length ? ` (unproven: ${unproven.join(', ')})` : ''} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    return ok ? 0 : 1;
  },
};

export default selftest;
