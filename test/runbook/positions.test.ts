// Data paths <-> YAML source positions.
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { formatPath, parsePath, pointerToPath, SourcePositions } from '../../src/input/positions.ts';

function positionsOf(text: string): SourcePositions {
  const lines = new LineCounter();
  return new SourcePositions(parseDocument(text, { lineCounter: lines }), lines);
}

const text = [
  'id: x', // 1
  'routes:', // 2
  '  - route: chat', // 3
  '    verdict:', // 4 (empty value)
  '  - route: models', // 5
  '    verdict: native', // 6
  'configuration:', // 7
  '  - name: Base URL', // 8
  '    value: >-', // 9
  '      https://<tenant-host>/api/tenant', // 10
  '"odd-key": 1', // 11
].join('\n');

describe('paths', () => {
  it('formats and parses JS notation, odd keys in brackets', () => {
    const segments = ['routes', 3, 'verdict'];
    expect(formatPath(segments)).toBe('routes[3].verdict');
    expect(parsePath('routes[3].verdict')).toEqual(segments);
    expect(formatPath(['routes', 0, 'requires-scope'])).toBe('routes[0]["requires-scope"]');
    expect(parsePath('routes[0]["requires-scope"]')).toEqual(['routes', 0, 'requires-scope']);
    expect(formatPath([])).toBe('');
  });

  it('reads ajv instance paths (JSON pointers, with escapes)', () => {
    expect(pointerToPath('/routes/3/verdict')).toEqual(['routes', 3, 'verdict']);
    expect(pointerToPath('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(pointerToPath('')).toEqual([]);
  });
});

describe('SourcePositions', () => {
  const positions = positionsOf(text);

  it('gives the line of row, field and value paths', () => {
    expect(positions.lineOf('routes[1]')).toBe(5);
    expect(positions.lineOf('routes[1].verdict')).toBe(6);
    expect(positions.lineOf('configuration[0].value')).toBe(9);
    expect(positions.lineOf('["odd-key"]')).toBe(11);
  });

  it('is undefined for a path that is not in the document', () => {
    expect(positions.lineOf('routes[2]')).toBeUndefined();
    expect(positions.lineOf('routes[0].integration')).toBeUndefined();
  });

  it('points at the key of an empty value, and at a key when asked', () => {
    expect(positions.of(['routes', 0, 'verdict'])).toEqual({ line: 4, column: 5 });
    expect(positions.of(['routes', 1, 'verdict'])).toEqual({ line: 6, column: 14 });
    expect(positions.of(['routes', 1, 'verdict'], 'key')).toEqual({ line: 6, column: 5 });
  });

  it('falls back to the nearest existing ancestor', () => {
    expect(positions.of(['routes', 1, 'integration'])).toEqual({ line: 5, column: 5 });
    expect(positions.of(['nothing', 'here'])).toEqual({ line: 1, column: 1 });
  });
});
