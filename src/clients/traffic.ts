// Recorded traffic (`gt-conformance mock --record FILE`): one redacted JSON object per line, the
// entry shape the embedded tenant writes (src/tenant/record.ts RecordedTraffic).
import { readFileSync } from 'node:fs';
import type { RecordedTraffic } from '../tenant/record.ts';

export type TrafficEntry = RecordedTraffic;

export interface TrafficLine {
  /** 1-based line number in the file */
  line: number;
  entry: TrafficEntry;
}

/** Bad input in a traffic file: one line saying what and where. */
export class TrafficFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrafficFileError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What makes a line a recorded request; the rest of the entry is optional to the checks. */
function shapeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not a JSON object';
  if (typeof value.method !== 'string' || !value.method) return 'no "method" string';
  if (typeof value.path !== 'string' || !value.path.startsWith('/')) return 'no "path" string starting with /';
  if (!isRecord(value.headers)) return 'no "headers" object';
  if (value.body !== undefined && !isRecord(value.body)) return '"body" is not an object';
  return undefined;
}

/** Parses JSON-lines text; blank lines are skipped. Throws TrafficFileError at the first bad line. */
export function parseTraffic(text: string, file: string): TrafficLine[] {
  const lines: TrafficLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new TrafficFileError(`${file}:${i + 1}: not valid JSON (a traffic file holds one JSON object per line, as written by mock --record)`);
    }
    const problem = shapeProblem(value);
    if (problem) throw new TrafficFileError(`${file}:${i + 1}: not a recorded request: ${problem}`);
    lines.push({ line: i + 1, entry: value as TrafficEntry });
  });
  return lines;
}

export function readTraffic(file: string): TrafficLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TrafficFileError(`${file}: ${code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? (err as Error).message})`}`);
  }
  const lines = parseTraffic(text, file);
  if (lines.length === 0) throw new TrafficFileError(`${file}: no recorded requests in the file`);
  return lines;
}
