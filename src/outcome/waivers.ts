// Waivers: known failures a CI gate accepts until a date. A waiver that expires, or that is no longer
// needed because its check passes, fails the run, so waivers cannot rot.
import type { Node } from 'yaml';
import { yaml } from '../input/lazy-libraries.ts';
import { parseYaml, readYamlFile, type ParsedYaml, type YamlProblem } from '../input/yaml.ts';
import { UsageError } from '../input/usage-error.ts';
import type { Outcome } from '../model.ts';

export interface Waiver {
  /** Runbook.id, or "cross-cutting" for the checks that belong to no product */
  product: string;
  /** Check.id, e.g. dify/embeddings/works or cross-cutting/chat/malformed-json */
  check: string;
  reason: string;
  /** YYYY-MM-DD; the waiver holds through the end of that day (UTC) */
  expires: string;
  /** where it was written, for messages */
  file: string;
  line?: number;
}

/** A bad waiver file: one line, `file:line:col: path: message`; exit code 2 from the command line. */
export class WaiverFileError extends UsageError {}

export const CROSS_CUTTING = 'cross-cutting';
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FIELDS = ['product', 'check', 'reason', 'expires'] as const;

export function loadWaivers(file: string): Waiver[] {
  const { yaml, problems } = readYamlFile(file);
  if (!yaml) throw waiverFileError(file, problems[0]);
  return waiversOf(yaml, file);
}

/** Parses a waiver file's text: a YAML (or JSON) list of waivers, or a map with a `waivers:` list. */
export function parseWaivers(text: string, file: string): Waiver[] {
  const { yaml, problems } = parseYaml(text);
  if (!yaml) throw waiverFileError(file, problems[0]);
  return waiversOf(yaml, file);
}

function waiverFileError(file: string, problem: YamlProblem): WaiverFileError {
  if (problem.readCode) return new WaiverFileError(`${file}: cannot read the waiver file: ${problem.readCode}`);
  return new WaiverFileError(`${file}${problem.line ? `:${problem.line}:${problem.column}` : ''}: ${problem.message}`);
}

function waiversOf({ doc, lines }: ParsedYaml, file: string): Waiver[] {
  const at = (node: Node | null | undefined, path: string, message: string): WaiverFileError => {
    const pos = node?.range ? lines.linePos(node.range[0]) : undefined;
    return new WaiverFileError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${path ? `${path}: ` : ''}${message}`);
  };
  const { isMap, isSeq } = yaml();
  let list: Node | null | undefined = doc.contents as Node | null;
  let prefix = '';
  if (list === null || list === undefined) return [];
  if (isMap(list)) {
    list = list.get('waivers', true) as Node | undefined;
    prefix = 'waivers';
    if (!list) throw at(doc.contents as Node, '', 'expected a list of waivers or a map with a "waivers" list');
  }
  if (!isSeq(list)) throw at(list, prefix, 'expected a list of waivers');

  const waivers: Waiver[] = [];
  const seen = new Map<string, number | undefined>();
  list.items.forEach((item, index) => {
    const path = `${prefix}[${index}]`;
    if (!isMap(item)) throw at(item as Node, path, 'expected a map with product, check, reason, expires');
    for (const key of item.items) {
      const name = String((key.key as { value?: unknown })?.value ?? key.key);
      if (!(FIELDS as readonly string[]).includes(name)) throw at(key.key as Node, `${path}.${name}`, `unknown field; a waiver has ${FIELDS.join(', ')}`);
    }
    const field = (name: (typeof FIELDS)[number]): string => {
      const node = item.get(name, true) as Node | undefined;
      const value = (node as { value?: unknown } | undefined)?.value;
      if (value === undefined || value === null || String(value).trim() === '') throw at(node ?? item, `${path}.${name}`, 'is required');
      if (typeof value !== 'string') throw at(node, `${path}.${name}`, 'must be a string');
      return value.trim();
    };
    const waiver: Waiver = {
      product: field('product'),
      check: field('check'),
      reason: field('reason'),
      expires: field('expires'),
      file,
      line: item.range ? lines.linePos(item.range[0]).line : undefined,
    };
    const expiresNode = item.get('expires', true) as Node;
    if (!DATE.test(waiver.expires) || Number.isNaN(Date.parse(`${waiver.expires}T00:00:00Z`)))
      throw at(expiresNode, `${path}.expires`, `"${waiver.expires}" is not a date YYYY-MM-DD`);
    if (waiver.product !== CROSS_CUTTING && !waiver.check.startsWith(`${waiver.product}/`))
      throw at(item.get('check', true) as Node, `${path}.check`, `"${waiver.check}" is not a check of product "${waiver.product}" (check ids start with "${waiver.product}/")`);
    if (seen.has(waiver.check)) throw at(item, path, `a second waiver for ${waiver.check} (the first is on line ${seen.get(waiver.check)})`);
    seen.set(waiver.check, waiver.line);
    waivers.push(waiver);
  });
  return waivers;
}

/** True once the waiver's last day (UTC) is over. */
export function isExpired(waiver: Pick<Waiver, 'expires'>, now: Date): boolean {
  return now.getTime() >= Date.parse(`${waiver.expires}T00:00:00Z`) + 24 * 3600 * 1000;
}

export interface WaivedResult {
  outcome: Outcome;
  /** true: the test must fail */
  fail: boolean;
  message: string;
  /** the waiver that applied, for CheckMeta.waiver */
  waiver?: { reason: string; expires: string };
}

export interface CheckOutcome {
  product?: string; // absent for cross-cutting checks
  checkId: string;
  outcome: Outcome;
  message: string;
}

export function findWaiver(waivers: readonly Waiver[], product: string | undefined, checkId: string): Waiver | undefined {
  const owner = product ?? CROSS_CUTTING;
  return waivers.find((w) => w.check === checkId && w.product === owner);
}

/**
 * What a check's outcome becomes under the waivers:
 * failed + live waiver → waived (not a failure); failed + expired waiver → failed ("waiver expired on ...");
 * passed/denied_as_expected + any waiver → failed ("no longer needed"); no waiver → unchanged.
 * Blocked, skipped and not exercised checks say nothing about the waiver and keep their outcome.
 */
export function applyWaiver(waivers: readonly Waiver[], result: CheckOutcome, now: Date = new Date()): WaivedResult {
  const own = { outcome: result.outcome, fail: result.outcome === 'failed', message: result.message };
  const waiver = findWaiver(waivers, result.product, result.checkId);
  if (!waiver) return own;
  const where = `${waiver.file}${waiver.line ? `:${waiver.line}` : ''}`;
  const info = { reason: waiver.reason, expires: waiver.expires };
  if (result.outcome === 'passed' || result.outcome === 'denied_as_expected') {
    return { outcome: 'failed', fail: true, waiver: info, message: `waiver for ${waiver.check} is no longer needed: the check passes; remove it from ${where}` };
  }
  if (result.outcome !== 'failed') return { ...own, waiver: info };
  if (isExpired(waiver, now)) {
    return { outcome: 'failed', fail: true, waiver: info, message: `waiver expired on ${waiver.expires} (${where}): ${result.message}` };
  }
  return { outcome: 'waived', fail: false, waiver: info, message: `waived until ${waiver.expires} (${waiver.reason}): ${result.message}` };
}

/**
 * Waivers that name a check the plan lacks although the plan covers that check's product and route
 * (same `<product>/<route>/` prefix): a typo or a renamed check, which would otherwise rot unseen.
 * Waivers for products or routes the run did not cover (filtered) are left alone.
 */
export function unmatchedWaivers(waivers: readonly Waiver[], checkIds: ReadonlySet<string>): Waiver[] {
  const prefixes = new Set([...checkIds].map(prefixOf));
  return waivers.filter((w) => !checkIds.has(w.check) && prefixes.has(prefixOf(w.check)));
}

function prefixOf(checkId: string): string {
  return checkId.split('/').slice(0, 2).join('/');
}
