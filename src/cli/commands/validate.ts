// gt-conformance validate [files...]: checks runbooks against their schema and the contract.
import path from 'node:path';
import type { Contract, Finding, InputError, LoadedRunbook } from '../../model.ts';
import { loadContract } from '../../contract/load.ts';
import { defaultRunbookFiles, filesWithErrors, formatInputError, loadRunbooks } from '../../runbook/load.ts';
import { parseFlags, UsageError, type Command } from '../command.ts';
import { profileIdFor } from '../../clients/profiles-for-runbooks.ts';
import { findingSources, type FindingSource } from '../../runbook/findings.ts';

export interface ValidationReport {
  files: string[];
  runbooks: LoadedRunbook[];
  errors: InputError[];
  findings: Finding[];
}

/** Loads and checks the files, then runs the finding sources over the runbooks that are valid. */
export function validateRunbookFiles(files: string[], contract: Contract, sources: FindingSource[] = findingSources): ValidationReport {
  const { runbooks, errors } = loadRunbooks(files, contract);
  const findings = sources.flatMap((source) => source(runbooks, contract));
  return { files, runbooks, errors, findings };
}

export function formatFinding(f: Finding): string {
  const where = f.line === undefined ? f.file : `${f.file}:${f.line}`;
  return `${where}: ${f.message}${f.fix ? ` (fix: ${f.fix})` : ''}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "7 runbooks valid" or "2 of 7 runbooks have errors (5 errors)". */
export function summaryLine(fileCount: number, errors: InputError[]): string {
  if (errors.length === 0) return `${plural(fileCount, 'runbook', 'runbooks')} valid`;
  const bad = filesWithErrors(errors);
  return `${bad} of ${plural(fileCount, 'runbook', 'runbooks')} ${bad === 1 ? 'has' : 'have'} errors (${plural(errors.length, 'error', 'errors')})`;
}

const usage = `Usage: gt-conformance validate [options] [files...]

Checks runbook files against runbooks/runbook.schema.json and the contract
(route ids, preset ids, scopes, duplicate route rows, duplicate runbook ids).
Without files, checks every runbooks/*.yaml of the project. Prints the client
profile each valid runbook uses (fixtures/clients; a runbook that names none
gets the common OpenAI-compatible behaviour, openai-compatible).

Every error is printed to stderr on one line:
  runbooks/dify.yaml:42:7: routes[3].verdict: must be one of native, gt_extension, not_supported
followed by a summary line. Runbook findings (problems in what a valid runbook
documents) are printed under "Runbook findings" as file:line: message.

Options:
  --json               print {errors, findings, runbooks} as JSON on stdout instead
  --fail-on-findings   exit 1 when there are findings (default: findings do not fail)
  -h, --help           show this help

Exit codes: 0 all runbooks valid, 1 findings with --fail-on-findings, 2 any error.`;

const command: Command = {
  name: 'validate',
  summary: 'check runbooks against their schema and the contract',
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      json: { type: 'boolean' },
      'fail-on-findings': { type: 'boolean' },
    });
    const files = positionals.length > 0 ? positionals : defaultRunbookFiles();
    if (files.length === 0) throw new UsageError('no runbook files given and none found in runbooks/');

    const report = validateRunbookFiles(files, loadContract());
    const failOnFindings = values['fail-on-findings'] === true && report.findings.length > 0;
    const exitCode = report.errors.length > 0 ? 2 : failOnFindings ? 1 : 0;

    if (values.json) {
      const json = {
        errors: report.errors.map((e) => ({ ...e, text: formatInputError(e) })),
        findings: report.findings,
        runbooks: report.runbooks.map((r) => r.runbook.id),
        profiles: Object.fromEntries(report.runbooks.map((r) => [r.runbook.id, profileIdFor(r.runbook)])),
      };
      console.log(JSON.stringify(json, null, 2));
      return exitCode;
    }

    for (const e of report.errors) console.error(formatInputError(e));
    for (const r of report.runbooks) {
      const profile = profileIdFor(r.runbook);
      console.log(`${r.file}: ${r.runbook.id}, client profile ${profile}${r.runbook.client_profile ? '' : ' (the default: the runbook names none)'}`);
    }
    if (report.findings.length > 0) {
      console.log('Runbook findings');
      for (const f of report.findings) console.log(formatFinding(f));
    }
    const summary = summaryLine(new Set(files.map((f) => path.resolve(f))).size, report.errors);
    if (report.errors.length > 0) console.error(summary);
    else console.log(summary);
    return exitCode;
  },
};

export default command;
