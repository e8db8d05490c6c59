// Maps data paths (routes[3].verdict) to line:column in the YAML source they were parsed from.
import type { Document, LineCounter, Node } from 'yaml';
import { yaml } from './lazy-libraries.ts';

export type PathSegment = string | number;

export interface Position {
  line: number; // 1-based
  column: number; // 1-based
}

const identifier = /^[A-Za-z_$][\w$]*$/;

/** ['routes', 3, 'verdict'] -> "routes[3].verdict" (JS notation; odd keys as ["a-b"]). */
export function formatPath(segments: PathSegment[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (!identifier.test(seg)) out += `[${JSON.stringify(seg)}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/** "routes[3].verdict" or 'routes[3]["odd-key"]' -> ['routes', 3, 'verdict']. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const token = /([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|(\.)/gy;
  let match: RegExpExecArray | null;
  while (token.lastIndex < path.length && (match = token.exec(path))) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(JSON.parse(match[3]) as string);
  }
  return segments;
}

/** An ajv instancePath ("/routes/3/verdict") -> ['routes', 3, 'verdict']. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function keyText(key: unknown): string {
  return yaml().isScalar(key) ? String(key.value) : String(key);
}

/** A null scalar written as nothing (`verdict:`) has no useful position of its own. */
function hasOwnPosition(node: Node | null | undefined): node is Node {
  if (!node?.range) return false;
  return !(yaml().isScalar(node) && node.value === null && !node.source);
}

interface Located {
  depth: number; // how many segments of the path exist in the document
  value: unknown; // node at that depth
  key?: Node; // its key node, when it is a map value
}

function locate(doc: Document, segments: PathSegment[]): Located {
  const { isMap, isSeq } = yaml();
  let value: unknown = doc.contents;
  let key: Node | undefined;
  for (let depth = 0; depth < segments.length; depth++) {
    const seg = segments[depth];
    if (isMap(value)) {
      const pair = value.items.find((p) => keyText(p.key) === String(seg));
      if (!pair) return { depth, value, key };
      key = pair.key as Node;
      value = pair.value;
    } else if (isSeq(value) && typeof seg === 'number' && seg < value.items.length) {
      key = undefined;
      value = value.items[seg];
    } else {
      return { depth, value, key };
    }
  }
  return { depth: segments.length, value, key };
}

/** Source positions of one parsed YAML document. */
export class SourcePositions {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  private toPosition(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /**
   * Where the node at `segments` starts; with at = 'key', where its key starts.
   * A path that does not exist falls back to its nearest existing ancestor.
   */
  of(segments: PathSegment[], at: 'value' | 'key' = 'value'): Position {
    const located = locate(this.doc, segments);
    const node = this.pick(located, at);
    if (node) return this.toPosition(node.range![0]);
    if (located.depth > 0) return this.of(segments.slice(0, located.depth - 1), at);
    return { line: 1, column: 1 };
  }

  /** Line of an existing path such as routes[3] or configuration[0].value; undefined when absent. */
  lineOf(path: string): number | undefined {
    const segments = parsePath(path);
    const located = locate(this.doc, segments);
    if (located.depth < segments.length) return undefined;
    const node = this.pick(located, 'value');
    return node ? this.toPosition(node.range![0]).line : undefined;
  }

  private pick(located: Located, at: 'value' | 'key'): Node | undefined {
    const value = hasOwnPosition(located.value as Node) ? (located.value as Node) : undefined;
    const key = located.key?.range ? located.key : undefined;
    return at === 'key' ? (key ?? value) : (value ?? key);
  }

  /** Position of a byte offset in the source (for YAML syntax errors). */
  atOffset(offset: number): Position {
    return this.toPosition(offset);
  }
}
