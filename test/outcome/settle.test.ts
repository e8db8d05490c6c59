// settle: a check's outcome under the run's rules (waivers, --fail-on-findings) and what its test does.
// A waiver on every outcome; expected values written out from docs/reports.md's waiver table.
import { describe, expect, it } from 'vitest';
import { isFailure, settle } from '../../src/outcome/settle.ts';
import { OUTCOMES } from '../../src/outcome/outcomes.ts';
import type { Waiver } from '../../src/outcome/waivers.ts';
import type { Outcome } from '../../src/model.ts';

const NOW = new Date('2026-03-10T12:00:00Z');
const waiver = (expires = '2026-03-31', over: Partial<Waiver> = {}): Waiver => ({ product: 'alpha', check: 'alpha/chat/works', reason: 'GT-7 known', expires, file: 'waivers.yaml', line: 3, ...over });
const check = { id: 'alpha/chat/works', product: 'alpha' };
const live = { reason: 'GT-7 known', expires: '2026-03-31' };

describe('settle without rules', () => {
  // outcome → what the test does
  const tests: Record<Outcome, 'pass' | 'fail' | 'skip'> = {
    passed: 'pass',
    denied_as_expected: 'pass',
    failed: 'fail',
    blocked: 'skip',
    not_run: 'skip',
    not_exercised: 'skip',
    skipped: 'skip',
    waived: 'pass',
    manual: 'skip',
    runbook_defect: 'skip', // a finding that does not gate is a skipped test in every output (docs/reports.md)
  };
  for (const outcome of OUTCOMES) {
    it(`${outcome}: the outcome and message stay, the test does "${tests[outcome]}"`, () => {
      expect(settle(check, { outcome, message: 'what was seen' })).toEqual({ outcome, message: 'what was seen', test: tests[outcome] });
    });
  }
});

describe('settle with a live waiver on every outcome', () => {
  const rules = { waivers: [waiver()], now: NOW };

  it('a failed check is waived: its test passes and the waiver is recorded', () => {
    expect(settle(check, { outcome: 'failed', message: 'got 500' }, rules)).toEqual({ outcome: 'waived', message: 'waived until 2026-03-31 (GT-7 known): got 500', waiver: live, test: 'pass' });
  });

  it('a check that passes, or is denied as expected, no longer needs its waiver: the test fails', () => {
    const noLongerNeeded = 'waiver for alpha/chat/works is no longer needed: the check passes; remove it from waivers.yaml:3';
    expect(settle(check, { outcome: 'passed', message: 'ok' }, rules)).toEqual({ outcome: 'failed', message: noLongerNeeded, waiver: live, test: 'fail' });
    expect(settle(check, { outcome: 'denied_as_expected', message: 'answered 403' }, rules)).toEqual({ outcome: 'failed', message: noLongerNeeded, waiver: live, test: 'fail' });
  });

  it('a check that showed nothing keeps its outcome and skipped test, with the waiver beside it', () => {
    for (const outcome of ['blocked', 'skipped', 'not_exercised', 'not_run', 'manual'] as const) {
      expect(settle(check, { outcome, message: 'why' }, rules)).toEqual({ outcome, message: 'why', waiver: live, test: 'skip' });
    }
  });

  it('a runbook defect keeps its outcome; its test fails only under --fail-on-findings', () => {
    expect(settle(check, { outcome: 'runbook_defect', message: 'base URL lacks /v1' }, rules)).toEqual({ outcome: 'runbook_defect', message: 'base URL lacks /v1', waiver: live, test: 'skip' });
    expect(settle(check, { outcome: 'runbook_defect', message: 'base URL lacks /v1' }, { ...rules, failOnFindings: true })).toEqual({
      outcome: 'runbook_defect',
      message: 'runbook defect (--fail-on-findings): base URL lacks /v1',
      waiver: live,
      test: 'fail',
    });
  });

  it('a waiver for another check, or another product, changes nothing', () => {
    expect(settle(check, { outcome: 'failed', message: 'got 500' }, { waivers: [waiver('2026-03-31', { check: 'alpha/chat/streams' })], now: NOW })).toEqual({ outcome: 'failed', message: 'got 500', test: 'fail' });
    expect(settle({ id: 'alpha/chat/works', product: 'beta' }, { outcome: 'failed', message: 'got 500' }, rules)).toEqual({ outcome: 'failed', message: 'got 500', test: 'fail' });
  });

  it('a cross-cutting check (no product) is waived by a waiver of the product "cross-cutting"', () => {
    const cross = { id: 'cross-cutting/chat/unknown-key' };
    const w = waiver('2026-03-31', { product: 'cross-cutting', check: cross.id });
    expect(settle(cross, { outcome: 'failed', message: 'echoed' }, { waivers: [w], now: NOW }).outcome).toBe('waived');
    expect(settle(cross, { outcome: 'failed', message: 'echoed' }, { waivers: [{ ...w, product: 'alpha' }], now: NOW }).outcome).toBe('failed');
  });
});

describe('settle with an expired waiver', () => {
  it('holds through the last day (UTC) and fails the check from the next', () => {
    const rules = (now: string) => ({ waivers: [waiver('2026-03-10')], now: new Date(now) });
    expect(settle(check, { outcome: 'failed', message: 'got 500' }, rules('2026-03-10T23:59:59.999Z')).outcome).toBe('waived');
    expect(settle(check, { outcome: 'failed', message: 'got 500' }, rules('2026-03-11T00:00:00.000Z'))).toEqual({
      outcome: 'failed',
      message: 'waiver expired on 2026-03-10 (waivers.yaml:3): got 500',
      waiver: { reason: 'GT-7 known', expires: '2026-03-10' },
      test: 'fail',
    });
  });

  it('names the file without a line when the waiver has none', () => {
    expect(settle(check, { outcome: 'failed', message: 'got 500' }, { waivers: [waiver('2026-01-01', { line: undefined })], now: NOW }).message).toBe('waiver expired on 2026-01-01 (waivers.yaml): got 500');
  });

  it('an expired waiver on a passing check still says it is no longer needed', () => {
    expect(settle(check, { outcome: 'passed', message: 'ok' }, { waivers: [waiver('2026-01-01')], now: NOW }).message).toMatch(/^waiver for alpha\/chat\/works is no longer needed/);
  });

  it('reads the clock when the rules give none', () => {
    expect(settle(check, { outcome: 'failed', message: 'got 500' }, { waivers: [waiver('2000-01-01')] }).message).toBe('waiver expired on 2000-01-01 (waivers.yaml:3): got 500');
    expect(settle(check, { outcome: 'failed', message: 'got 500' }, { waivers: [waiver('9999-12-31')] }).outcome).toBe('waived');
  });
});

describe('--fail-on-findings', () => {
  it('fails the test of a runbook defect and says why in the message; nothing else changes', () => {
    expect(settle(check, { outcome: 'runbook_defect', message: 'm' }, { failOnFindings: true })).toEqual({ outcome: 'runbook_defect', message: 'runbook defect (--fail-on-findings): m', test: 'fail' });
    expect(settle(check, { outcome: 'passed', message: 'm' }, { failOnFindings: true })).toEqual({ outcome: 'passed', message: 'm', test: 'pass' });
    expect(settle(check, { outcome: 'skipped', message: 'm' }, { failOnFindings: true })).toEqual({ outcome: 'skipped', message: 'm', test: 'skip' });
  });

  it('isFailure: failed always, a runbook defect only under the flag', () => {
    expect(OUTCOMES.filter((o) => isFailure(o))).toEqual(['failed']);
    expect(OUTCOMES.filter((o) => isFailure(o, { failOnFindings: true }))).toEqual(['failed', 'runbook_defect']);
    expect(OUTCOMES.filter((o) => isFailure(o, { failOnFindings: false }))).toEqual(['failed']);
  });
});
