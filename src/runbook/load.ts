// Loads runbooks/*.yaml: YAML with source positions -> schema (ajv) -> contract checks.
// Bad input never throws: every problem becomes an InputError pointing at file:line:column.
import { readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Contract, InputError, LoadedRunbook, Runbook } from '../model.ts';
import { runbooksDir } from '../paths.ts';
import { checkAgainstContract } from './contract-checks.ts';
import { formatPath, type PathSegment } from '../input/positions.ts';
import { parseYaml, readYamlBytes } from '../input/yaml.ts';
import { checkedRunbook, writeCheckedRunbooks, type CheckedRunbook } from './checked-cache.ts';
import { runbookValidator } from './schema.ts';
import { displayPath } from '../input/schema-files.ts';
import { describeSchemaErrors } from '../input/schema-messages.ts';
import { countEvent } from '../instrument.ts';

export interface RunbookFileResult {
  /** set when the file has no error */
  runbook?: LoadedRunbook;
  errors: InputError[];
}

export interface RunbooksResult {
  /** the runbooks without any error, in the order of the files */
  runbooks: LoadedRunbook[];
  /** every error of every file, in file order, then by position */
  errors: InputError[];
}

/** `runbooks/dify.yaml:42:7: routes[3].verdict: must be one of native, gt_extension, not_supported` */
export function formatInputError(e: InputError): string {
  const where = e.line === undefined ? e.file : e.column === undefined ? `${e.file}:${e.line}` : `${e.file}:${e.line}:${e.column}`;
  return `${where}: ${e.path ? `${e.path}: ` : ''}${e.message}`;
}

/** runbooks/*.yaml of this project, sorted, shown relative to the current directory when under it. */
export function defaultRunbookFiles(): string[] {
  return readdirSync(runbooksDir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => displayPath(path.join(runbooksDir, f)));
}

function describeTopLevel(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'an empty value';
  return `a ${typeof value}`;
}

interface Analysis extends RunbookFileResult {
  file: string;
  /** the runbook's id and where it is written, when the file parsed to a mapping with a string id */
  id?: { value: string; line: number; column: number };
}

function analyse(givenFile: string, contract: Contract, useCache = true): Analysis {
  const file = displayPath(givenFile);
  const fail = (message: string, line?: number, column?: number, p?: string): Analysis => ({
    file,
    errors: [{ file, line, column, path: p, message }],
  });

  const read = readYamlBytes(givenFile, { folderMessage: 'is a directory, not a runbook file (pass the YAML files, e.g. runbooks/*.yaml)' });
  if (!read.bytes) return { file, errors: read.problems.map(({ message }) => ({ file, message })) };
  const digest = createHash('sha256').update(read.bytes).digest('hex');
  const checked = useCache ? checkedRunbook(digest, contract) : undefined;
  if (checked) return { file, id: checked.id, runbook: { file, digest, runbook: checked.runbook, lineOf: (p: string) => (Object.hasOwn(checked.lines, p) ? checked.lines[p] : undefined) }, errors: [] };
  const { yaml, problems } = parseYaml(read.bytes);
  if (!yaml) return { file, errors: problems.map(({ line, column, message }) => ({ file, line, column, message })) };
  const { positions, data } = yaml;
  if (yaml.doc.contents === null) return fail('file is empty; a runbook is a YAML mapping of fields (id, product, routes, ...)', 1, 1);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const { line, column } = positions.of([]);
    return fail(`a runbook must be a YAML mapping of fields (id, product, routes, ...), found ${describeTopLevel(data)}`, line, column);
  }
  const record = data as Record<string, unknown>;

  const positioned: Array<InputError & { line: number; column: number }> = [];
  const add = (pathSegments: PathSegment[], message: string, pointAt = pathSegments, at: 'value' | 'key' = 'value') => {
    const { line, column } = positions.of(pointAt, at);
    positioned.push({ file, line, column, path: formatPath(pathSegments) || undefined, message });
  };

  const validate = runbookValidator();
  if (!validate(record)) {
    for (const p of describeSchemaErrors(validate.errors ?? [])) add(p.path, p.message, p.pointAt.path, p.pointAt.at);
  }
  for (const p of checkAgainstContract(record, contract)) {
    const firstLine = p.firstAt ? positions.lineOf(formatPath(p.firstAt)) : undefined;
    add(p.path, firstLine === undefined ? p.message : `${p.message} (line ${firstLine})`);
  }
  positioned.sort((a, b) => a.line - b.line || a.column - b.column);

  const id = typeof record.id === 'string' ? { value: record.id, ...positions.of(['id']) } : undefined;
  if (positioned.length > 0) return { file, id, errors: positioned };

  const runbook: LoadedRunbook = { file, digest, runbook: record as unknown as Runbook, lineOf: (p: string) => positions.lineOf(p) };
  return { file, id, runbook, errors: [] };
}

/** For `npm run build`: the shipped runbooks that pass every check, as checked-cache.ts keeps them. */
export function writeRunbooksCache(contract: Contract): void {
  const checked: Record<string, CheckedRunbook> = {};
  for (const file of defaultRunbookFiles()) {
    const { runbook, id } = analyse(file, contract, false);
    // only what JSON keeps as it is (a YAML .nan or .inf would not come back the same)
    if (!runbook || !id || !isDeepStrictEqual(JSON.parse(JSON.stringify(runbook.runbook)), runbook.runbook)) continue;
    const lines: Record<string, number> = {};
    const walk = (value: unknown, at: PathSegment[]) => {
      const where = formatPath(at);
      const line = runbook.lineOf(where);
      if (at.length && line !== undefined) lines[where] = line;
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...at, i]));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
    };
    walk(runbook.runbook, []);
    checked[runbook.digest] = { runbook: runbook.runbook, lines, id };
  }
  writeCheckedRunbooks(checked, contract);
}

/** Loads and checks one runbook file; the runbook is returned only when it has no error. */
export function loadRunbookFile(file: string, contract: Contract): RunbookFileResult {
  const { runbook, errors } = analyse(file, contract);
  return runbook ? { runbook, errors } : { errors };
}

/**
 * Each file is read and checked once per process while it is unchanged (same size and mtime) and the
 * contract is the same: a run validates its inputs, then plans from the same runbooks.
 */
const analysed = new Map<string, { stamp: string; analysis: Analysis }>();

function analyseOnce(file: string, contract: Contract): Analysis {
  let stamp: string;
  try {
    const st = statSync(file);
    stamp = `${st.size}:${st.mtimeMs}:${contract.digest}:${displayPath(file)}`;
  } catch {
    return analyse(file, contract); // unreadable: analyse says why
  }
  const key = path.resolve(file);
  const cached = analysed.get(key);
  if (cached?.stamp !== stamp) {
    countEvent('runbook-parse');
    analysed.set(key, { stamp, analysis: analyse(file, contract) });
  }
  // loadRunbooks adds the errors two files share to its copy, never to the cached one.
  const { analysis } = analysed.get(key)!;
  return { ...analysis, errors: [...analysis.errors] };
}

/**
 * Loads every file; besides each file's own errors, a runbook id used by two files is an error
 * in both. A file given twice is read once.
 */
export function loadRunbooks(files: string[], contract: Contract): RunbooksResult {
  const unique = [...new Map(files.map((f) => [path.resolve(f), f])).values()];
  const analyses = unique.map((f) => analyseOnce(f, contract));

  const byId = new Map<string, Analysis[]>();
  for (const a of analyses) {
    if (a.id) byId.set(a.id.value, [...(byId.get(a.id.value) ?? []), a]);
  }
  for (const [id, holders] of byId) {
    if (holders.length < 2) continue;
    for (const a of holders) {
      const others = holders.filter((o) => o !== a).map((o) => `${o.file}:${o.id!.line}:${o.id!.column}`);
      a.errors.push({ file: a.file, line: a.id!.line, column: a.id!.column, path: 'id', message: `duplicate runbook id "${id}": also used by ${others.join(', ')}` });
      a.errors.sort((x, y) => (x.line ?? 0) - (y.line ?? 0) || (x.column ?? 0) - (y.column ?? 0));
      a.runbook = undefined;
    }
  }

  return {
    runbooks: analyses.flatMap((a) => (a.runbook ? [a.runbook] : [])),
    errors: analyses.flatMap((a) => a.errors),
  };
}

/** How many of the given files have at least one error (a file is named by InputError.file). */
export function filesWithErrors(errors: InputError[]): number {
  return new Set(errors.map((e) => e.file)).size;
}
