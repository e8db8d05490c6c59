// The one way the harness reads a YAML input file (runbooks, target files, tenant seeds, client profiles,
// waivers): bounded in bytes, nesting and alias expansion, one document, text only. Every problem is a
// positioned message; nothing a file holds can throw, hang or exhaust memory.
import type { CST, Document, LineCounter, YAMLError } from 'yaml';
import { yaml } from './lazy-libraries.ts';
import { SourcePositions } from './positions.ts';
import { readBounded, readProblem } from './read-file.ts';

export const YAML_LIMITS = {
  /** the largest input file read; the biggest shipped one is 4 KiB */
  maxBytes: 128 * 1024,
  /** collections nested in collections; the yaml composer recurses per level */
  maxDepth: 64,
  /** yaml's bound on alias expansion (uses × aliases inside the anchored node) */
  maxAliasCount: 100,
};

export interface YamlProblem {
  line?: number;
  column?: number;
  message: string;
  /** set when the file could not be read: the errno code (ENOENT, EISDIR, EACCES, ...) */
  readCode?: string;
}

export interface ParsedYaml {
  bytes: Buffer;
  doc: Document.Parsed;
  lines: LineCounter;
  positions: SourcePositions;
  /** the document as plain data (null for an empty file) */
  data: unknown;
}

export interface YamlResult {
  yaml?: ParsedYaml;
  problems: YamlProblem[];
}

/** Reads and parses one YAML file. A read problem has no position; every other problem has one. */
export function readYamlFile(file: string, options: { folderMessage?: string } = {}): YamlResult {
  const read = readYamlBytes(file, options);
  return read.bytes ? parseYaml(read.bytes) : { problems: read.problems };
}

/** The bytes of one YAML file, read under YAML_LIMITS.maxBytes, or why they cannot be read (no position). */
export function readYamlBytes(file: string, options: { folderMessage?: string } = {}): { bytes?: Buffer; problems: YamlProblem[] } {
  try {
    return { bytes: readBounded(file, YAML_LIMITS.maxBytes), problems: [] };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { problems: [{ message: readProblem(e, options.folderMessage), readCode: e.code ?? e.message }] };
  }
}

function positionIn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u0080-\u0084\u0086-\u009F]/;

/** Bytes that are not UTF-8 text, or text with control characters YAML does not allow. */
function textProblem(bytes: Buffer, text: string): YamlProblem | undefined {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = text.indexOf('\uFFFD');
    return { ...positionIn(text, Math.max(at, 0)), message: 'not a text file: the bytes are not UTF-8 text' };
  }
  const control = CONTROL.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return { ...positionIn(text, control.index), message: `not a text file: holds the control character U+${code}` };
  }
  return undefined;
}

/**
 * The CST of the text, or the offset where collections nest deeper than maxDepth: checked as the parser
 * goes (its stack holds the open collections), so a file of 250,000 "[" stops at the 65th.
 */
function parseCst(text: string, lines: LineCounter, maxDepth: number): { tokens: CST.Token[] } | { tooDeepAt: number } {
  const { CST: cst, Lexer, Parser } = yaml();
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0); // what Parser.parse() does first; lexing here, so the depth is seen as it grows
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    tokens.push(...parser.next(lexeme));
    if (parser.stack.length <= maxDepth) continue;
    const open = parser.stack.filter((t) => cst.isCollection(t));
    if (open.length > maxDepth) return { tooDeepAt: open[maxDepth].offset };
  }
  tokens.push(...parser.end());
  return { tokens };
}

function syntaxMessage(err: YAMLError): string {
  if (err.code === 'TAB_AS_INDENT') return 'invalid YAML: tab character used for indentation; indent with spaces';
  const first = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return `invalid YAML: ${first.charAt(0).toLowerCase()}${first.slice(1)}`;
}

/**
 * Keys must be plain values, each once per mapping. The yaml library's own uniqueKeys check compares
 * every pair of keys (a 28,000-key mapping took 5 s); this one uses a set.
 */
function keyProblems(doc: Document.Parsed): Array<{ offset: number; message: string }> {
  const problems: Array<{ offset: number; message: string }> = [];
  const { isScalar, visit } = yaml();
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key;
        const offset = (key as { range?: [number, number, number] } | null)?.range?.[0] ?? map.range?.[0] ?? 0;
        if (key !== null && !isScalar(key)) {
          problems.push({ offset, message: 'invalid YAML: a mapping key must be a plain value, not a list, a mapping or an alias' });
          continue;
        }
        const name = String(key?.value ?? '');
        if (seen.has(name)) problems.push({ offset, message: `invalid YAML: field "${name}" appears twice in the same mapping` });
        seen.add(name);
      }
    },
  });
  return problems;
}

function firstAliasOffset(doc: Document.Parsed): number {
  let offset = 0;
  const { visit } = yaml();
  visit(doc, {
    Alias(_, alias) {
      offset = alias.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/** Parses the bytes of one YAML file (JSON is YAML) under YAML_LIMITS. */
export function parseYaml(input: Buffer | string): YamlResult {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (bytes.length > YAML_LIMITS.maxBytes) {
    return { problems: [{ line: 1, column: 1, message: `the file is larger than ${YAML_LIMITS.maxBytes / 1024} KiB, the most an input file may be` }] };
  }
  const text = bytes.toString('utf8');
  const notText = textProblem(bytes, text);
  if (notText) return { problems: [notText] };

  const { Composer, LineCounter } = yaml();
  const lines = new LineCounter();
  const at = (offset: number, message: string): YamlProblem => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col, message };
  };
  const cst = parseCst(text, lines, YAML_LIMITS.maxDepth);
  if ('tooDeepAt' in cst) return { problems: [at(cst.tooDeepAt, `invalid YAML: nested more than ${YAML_LIMITS.maxDepth} levels deep`)] };
  const { tokens } = cst;

  let doc: Document.Parsed | undefined;
  for (const composed of new Composer({ prettyErrors: false, uniqueKeys: false }).compose(tokens, true, text.length)) {
    if (doc) return { problems: [at(composed.range[0], 'invalid YAML: a file holds one YAML document; a second one starts here')] };
    doc = composed;
  }
  doc = doc!;
  // After the first structural error the parser's further errors are mostly its consequences
  // (a tab-indented line yields a dozen); key problems are independent, so all of them are kept.
  const structural = [...doc.errors, ...doc.warnings].slice(0, 1).map((e) => ({ offset: e.pos[0], message: syntaxMessage(e) }));
  const problems = [...structural, ...keyProblems(doc)].sort((a, b) => a.offset - b.offset);
  if (problems.length) return { problems: problems.map((p) => at(p.offset, p.message)) };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: YAML_LIMITS.maxAliasCount });
  } catch (err) {
    if (err instanceof ReferenceError) return { problems: [at(firstAliasOffset(doc), 'invalid YAML: the aliases (*name) expand to too much data, as an alias bomb does; use fewer aliases')] };
    return { problems: [at(0, `invalid YAML: ${(err as Error).message}`)] };
  }
  return { yaml: { bytes, doc, lines, positions: new SourcePositions(doc, lines), data }, problems: [] };
}
