// checkOutcome: a check's outcome from its plan entry and its probes' results. Every expected value here is
// written out by hand from docs/reports.md's outcome table, not computed by the code under test.
import { describe, expect, it } from 'vitest';
import { checkOutcome } from '../../src/outcome/check-outcome.ts';
import type { Check, Exchange, ProbeResult, ProbeStatus } from '../../src/model.ts';

const check = (over: Partial<Check> = {}): Check => ({
  id: 'alpha/chat/works',
  kind: 'works',
  group: 'route',
  product: 'alpha',
  route: 'chat',
  title: 'chat works',
  probes: ['p1', 'p2'],
  severity: 'critical',
  ...over,
});

const exchange = (label: string): Exchange => ({ label, request: { method: 'GET', url: `http://127.0.0.1/${label}`, headers: {} }, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1 });
const probe = (id: string, status: ProbeStatus, message = `${id} ${status}`, output?: Record<string, unknown>): ProbeResult => ({ probeId: id, status, message, exchanges: [exchange(id)], ...(output ? { output } : {}) });

describe('checkOutcome: two probes, every pair of statuses', () => {
  // Rows: the first probe's status; columns: the second's. The worst wins: failed, blocked, not run, skipped, not exercised.
  const statuses: ProbeStatus[] = ['passed', 'failed', 'blocked', 'skipped', 'not_run', 'not_exercised'];
  type Row = [string, string, string, string, string, string];
  const table: Record<ProbeStatus, Row> = {
    passed: ['passed', 'failed', 'blocked', 'skipped', 'not_run', 'not_exercised'],
    failed: ['failed', 'failed', 'failed', 'failed', 'failed', 'failed'],
    blocked: ['blocked', 'failed', 'blocked', 'blocked', 'blocked', 'blocked'],
    skipped: ['skipped', 'failed', 'blocked', 'skipped', 'not_run', 'skipped'],
    not_run: ['not_run', 'failed', 'blocked', 'not_run', 'not_run', 'not_run'],
    not_exercised: ['not_exercised', 'failed', 'blocked', 'skipped', 'not_run', 'not_exercised'],
  };
  for (const first of statuses) {
    statuses.forEach((second, column) => {
      it(`${first} + ${second} → ${table[first][column]}`, () => {
        const result = checkOutcome(check(), [probe('p1', first), probe('p2', second)]);
        expect(result.outcome).toBe(table[first][column]);
        expect(result.checkId).toBe('alpha/chat/works');
        expect(result.exchanges.map((e) => e.label)).toEqual(['p1', 'p2']);
      });
    });
  }

  it('a denial check whose probes all pass is denied as expected, and any other status decides it as for any check', () => {
    expect(checkOutcome(check({ denial: true }), [probe('p1', 'passed'), probe('p2', 'passed')]).outcome).toBe('denied_as_expected');
    expect(checkOutcome(check({ denial: true }), [probe('p1', 'passed'), probe('p2', 'failed')]).outcome).toBe('failed');
    expect(checkOutcome(check({ denial: true }), [probe('p1', 'blocked'), probe('p2', 'passed')]).outcome).toBe('blocked');
  });
});

describe('checkOutcome: the message', () => {
  it('joins the messages of the deciding probes only', () => {
    const result = checkOutcome(check({ probes: ['a', 'b', 'c', 'd'] }), [probe('a', 'passed', 'fine'), probe('b', 'failed', 'got 500'), probe('c', 'blocked', 'waits'), probe('d', 'failed', 'got 404')]);
    expect(result).toEqual({ checkId: 'alpha/chat/works', outcome: 'failed', message: 'got 500 | got 404', exchanges: [exchange('a'), exchange('b'), exchange('c'), exchange('d')] });
    expect(checkOutcome(check(), [probe('a', 'skipped', 'no key'), probe('b', 'not_run', 'budget spent')]).message).toBe('budget spent');
    expect(checkOutcome(check(), [probe('a', 'skipped', 'no key'), probe('b', 'skipped', 'no route')]).message).toBe('no key | no route');
  });

  it('joins every message of a passed check and adds the key note after them', () => {
    expect(checkOutcome(check(), [probe('a', 'passed', 'chat as expected'), probe('b', 'passed', 'stream as expected')]).message).toBe('chat as expected | stream as expected');
    expect(checkOutcome(check({ keyNote: 'uses key openai-chat+embed: the preset key lacks embed' }), [probe('a', 'passed', 'ok')]).message).toBe(
      'ok | uses key openai-chat+embed: the preset key lacks embed',
    );
  });

  it('adds no key note to a check that did not pass', () => {
    expect(checkOutcome(check({ keyNote: 'uses another key' }), [probe('a', 'failed', 'got 500')]).message).toBe('got 500');
  });
});

describe('checkOutcome: what the plan says before the probes', () => {
  const failing = [probe('p1', 'failed', 'got 500')];

  it('a manual item is manual whatever its probes did', () => {
    expect(checkOutcome(check({ manual: true }), failing)).toEqual({ checkId: 'alpha/chat/works', outcome: 'manual', message: 'a manual checklist item: not checked by machine', exchanges: failing[0].exchanges });
  });

  it('a check the plan did not exercise, or skipped, keeps the plan\'s reason', () => {
    expect(checkOutcome(check({ notExercised: 'the preset holds the scope anyway' }), failing)).toMatchObject({ outcome: 'not_exercised', message: 'the preset holds the scope anyway' });
    expect(checkOutcome(check({ skip: 'no key lacks inference:embed' }), failing)).toMatchObject({ outcome: 'skipped', message: 'no key lacks inference:embed' });
    expect(checkOutcome(check({ notExercised: 'not exercised', skip: 'skipped' }), []).outcome).toBe('not_exercised');
  });

  it('a check without probe results is skipped', () => {
    expect(checkOutcome(check(), [])).toEqual({ checkId: 'alpha/chat/works', outcome: 'skipped', message: 'no probe', exchanges: [] });
  });
});

describe('checkOutcome: findings', () => {
  const finding = check({ id: 'alpha/finding/base-url', group: 'finding', kind: 'finding', probes: ['f'] });
  const known = { product: 'alpha', file: 'runbooks/alpha.yaml', line: 12, message: 'the base URL lacks /v1' };

  it('a finding known before the run is a runbook defect, with its fix, whatever the tenant does', () => {
    expect(checkOutcome({ ...finding, finding: { ...known, fix: 'add /v1' } }, [probe('f', 'passed', 'the tenant serves it')])).toMatchObject({
      outcome: 'runbook_defect',
      message: 'the base URL lacks /v1 (fix: add /v1) | the tenant serves it',
    });
    expect(checkOutcome({ ...finding, finding: known }, [probe('f', 'failed', 'got 404')])).toMatchObject({ outcome: 'runbook_defect', message: 'the base URL lacks /v1 | failed: got 404' });
  });

  it('a probe that finds a defect makes the finding a runbook defect', () => {
    expect(checkOutcome(finding, [probe('f', 'passed', 'documented path answers 404', { defect: true })])).toMatchObject({ outcome: 'runbook_defect', message: 'documented path answers 404' });
    expect(checkOutcome(finding, [probe('f', 'passed', 'fine', { defect: false })]).outcome).toBe('passed');
  });

  it('without a defect: skipped with the reason, failed when a probe failed, else passed; the key note last', () => {
    expect(checkOutcome({ ...finding, skip: 'no upload key' }, [probe('f', 'failed', 'x')])).toMatchObject({ outcome: 'skipped', message: 'failed: x | not checked: no upload key' });
    expect(checkOutcome(finding, [probe('f', 'blocked', 'waits'), probe('g', 'failed', 'got 500')])).toMatchObject({ outcome: 'failed', message: 'blocked: waits | failed: got 500' });
    expect(checkOutcome({ ...finding, keyNote: 'uses key k' }, [probe('f', 'passed', 'served'), probe('g', 'blocked', 'waits')])).toMatchObject({ outcome: 'passed', message: 'served | blocked: waits | uses key k' });
    expect(checkOutcome(finding, [])).toMatchObject({ outcome: 'passed', message: '' });
  });

  it('a finding that is also a manual item is manual', () => {
    expect(checkOutcome({ ...finding, finding: known, manual: true }, []).outcome).toBe('manual');
  });
});
