// The run's verdict, what a report gives a check the runner disagrees with, and the outcome arithmetic.
import { describe, expect, it } from 'vitest';
import { GATE_MODES, newFailures, parseGateMode, runVerdict } from '../../src/outcome/verdict.ts';
import { UsageError } from '../../src/input/usage-error.ts';
import { notRunOutcome, reportedOutcome } from '../../src/outcome/reported.ts';
import { aggregateOutcome, countOutcomes, outcomeWords, OUTCOMES } from '../../src/outcome/outcomes.ts';
import type { Check, Outcome } from '../../src/model.ts';

let nextId = 0;
const c = (outcome: Outcome, message = 'm') => ({ id: `check-${++nextId}`, outcome, message });

describe('runVerdict', () => {
  it('passes a run whose checks passed, were denied as expected, waived, skipped, blocked, manual or not exercised', () => {
    const fine: Outcome[] = ['passed', 'denied_as_expected', 'waived', 'skipped', 'blocked', 'manual', 'not_exercised', 'runbook_defect'];
    expect(runVerdict({ checks: fine.map((o) => c(o)) })).toEqual({ passed: true, reasons: [] });
    expect(runVerdict({ checks: [] })).toEqual({ passed: true, reasons: [] });
  });

  it('counts failed checks', () => {
    expect(runVerdict({ checks: [c('failed'), c('passed')] })).toEqual({ passed: false, reasons: ['1 check failed'] });
    expect(runVerdict({ checks: [c('failed'), c('failed')] }).reasons).toEqual(['2 checks failed']);
  });

  it('fails on findings only under --fail-on-findings, counting those no check stands for', () => {
    const checks = [c('runbook_defect'), c('passed')];
    expect(runVerdict({ checks, extraFindings: 1 })).toEqual({ passed: true, reasons: [] });
    expect(runVerdict({ checks, rules: { failOnFindings: true } })).toEqual({ passed: false, reasons: ['1 runbook finding (findings fail the run)'] });
    expect(runVerdict({ checks, rules: { failOnFindings: true }, extraFindings: 2 }).reasons).toEqual(['3 runbook findings (findings fail the run)']);
    expect(runVerdict({ checks: [c('passed')], rules: { failOnFindings: true }, extraFindings: 1 }).reasons).toEqual(['1 runbook finding (findings fail the run)']);
    expect(runVerdict({ checks: [c('passed')], rules: { failOnFindings: true }, extraFindings: 0 })).toEqual({ passed: true, reasons: [] });
  });

  it('cannot pass a run its budget or deadline stopped, and names each distinct reason once', () => {
    const stopped = [
      c('not_run', 'not run: the request budget of 40 requests was spent | chat with key k'),
      c('not_run', 'not run: the request budget of 40 requests was spent | models with key k'),
      c('not_run', 'not run: the run deadline of 1000 ms was reached'),
    ];
    expect(runVerdict({ checks: [...stopped, c('passed')] })).toEqual({
      passed: false,
      reasons: ['3 checks not run: the request budget of 40 requests was spent; the run deadline of 1000 ms was reached'],
    });
    expect(runVerdict({ checks: [stopped[2]] }).reasons).toEqual(['1 check not run: the run deadline of 1000 ms was reached']);
  });

  it('adds the problems found outside the checks and counts the run errors, in that order', () => {
    expect(runVerdict({ checks: [c('failed')], problems: ['waiver w.yaml:1 names a/b/c, which the plan does not have'], errors: ['boom'] })).toEqual({
      passed: false,
      reasons: ['1 check failed', 'waiver w.yaml:1 names a/b/c, which the plan does not have', '1 run error'],
    });
    expect(runVerdict({ checks: [], errors: ['a', 'b'] })).toEqual({ passed: false, reasons: ['2 run errors'] });
    expect(runVerdict({ checks: [], errors: [], problems: [] })).toEqual({ passed: true, reasons: [] });
  });

  it('gives the reasons in a fixed order: failures, findings, stops, problems, errors', () => {
    const gate = runVerdict({ checks: [c('not_run', 'stopped'), c('runbook_defect'), c('failed')], rules: { failOnFindings: true }, problems: ['p'], errors: ['e'] });
    expect(gate.reasons).toEqual(['1 check failed', '1 runbook finding (findings fail the run)', '1 check not run: stopped', 'p', '1 run error']);
  });
});

describe('the gate mode', () => {
  it('reads --gate any or regressions, nothing when absent, and refuses anything else in one line', () => {
    expect(GATE_MODES).toEqual(['any', 'regressions']);
    expect(parseGateMode(undefined)).toBeUndefined();
    expect(parseGateMode('any')).toBe('any');
    expect(parseGateMode('regressions')).toBe('regressions');
    for (const bad of ['', 'Any', 'all']) {
      expect(() => parseGateMode(bad)).toThrow(UsageError);
      expect(() => parseGateMode(bad)).toThrow(`--gate must be any (every failed check fails the run) or regressions (only new failures against --baseline), got ${JSON.stringify(bad)}`);
    }
  });

  it('new failures are the failed checks the baseline did not fail; with no baseline, every failed check', () => {
    const checks = [
      { id: 'a', outcome: 'failed' as const },
      { id: 'b', outcome: 'failed' as const },
      { id: 'c', outcome: 'passed' as const },
      { id: 'd', outcome: 'blocked' as const },
    ];
    expect(newFailures(checks, new Set(['a', 'c', 'd'])).map((x) => x.id)).toEqual(['b']);
    expect(newFailures(checks).map((x) => x.id)).toEqual(['a', 'b']);
    expect(newFailures(checks, new Set(['a', 'b']))).toEqual([]);
  });

  it('--gate regressions fails on new failures only, and still on stops; --gate any on every failure', () => {
    const old = { id: 'old', outcome: 'failed' as const, message: 'm' };
    const fresh = { id: 'fresh', outcome: 'failed' as const, message: 'm' };
    const baselineFailed = new Set(['old']);
    expect(runVerdict({ checks: [old, fresh], gate: 'regressions', baselineFailed })).toEqual({ passed: false, reasons: ['1 new failure against the baseline'] });
    expect(runVerdict({ checks: [old], gate: 'regressions', baselineFailed })).toEqual({ passed: true, reasons: [] });
    expect(runVerdict({ checks: [old, c('not_run', 'stopped')], gate: 'regressions', baselineFailed }).reasons).toEqual(['1 check not run: stopped']);
    expect(runVerdict({ checks: [old, fresh], gate: 'any', baselineFailed }).reasons).toEqual(['2 checks failed']);
  });
});

describe('reportedOutcome: when the runner disagrees with what the test recorded', () => {
  const meta = (outcome: Outcome, message = 'recorded') => ({ outcome, message });

  it('keeps what the test recorded when the runner agrees', () => {
    expect(reportedOutcome(meta('passed'), 'passed', [])).toEqual({ outcome: 'passed', message: 'recorded' });
    expect(reportedOutcome(meta('blocked'), 'skipped', [])).toEqual({ outcome: 'blocked', message: 'recorded' });
    expect(reportedOutcome(meta('failed'), 'failed', ['expected 200'])).toEqual({ outcome: 'failed', message: 'recorded' });
  });

  it('a test that failed after recording a passing outcome is failed, with the runner\'s first error', () => {
    expect(reportedOutcome(meta('passed', 'ok'), 'failed', ['AssertionError: x', 'second'])).toEqual({ outcome: 'failed', message: 'ok | AssertionError: x' });
    expect(reportedOutcome(meta('waived', 'waived until …'), 'failed', [])).toEqual({ outcome: 'failed', message: 'waived until …' });
    expect(reportedOutcome(meta('skipped', ''), 'failed', ['boom'])).toEqual({ outcome: 'failed', message: 'boom' });
  });

  it('a runbook defect whose test failed under --fail-on-findings stays a runbook defect; without the flag it is failed', () => {
    expect(reportedOutcome(meta('runbook_defect', 'lacks /v1'), 'failed', ['runbook defect'], { failOnFindings: true })).toEqual({ outcome: 'runbook_defect', message: 'lacks /v1' });
    expect(reportedOutcome(meta('runbook_defect', 'lacks /v1'), 'failed', ['crash'])).toEqual({ outcome: 'failed', message: 'lacks /v1 | crash' });
  });

  it('a test that recorded nothing: failed with its error when it failed, else skipped', () => {
    expect(reportedOutcome(undefined, 'failed', ['TypeError: x'])).toEqual({ outcome: 'failed', message: 'TypeError: x' });
    expect(reportedOutcome(undefined, 'failed', [])).toEqual({ outcome: 'failed', message: 'the test failed without recording its check' });
    for (const state of ['passed', 'skipped', 'pending'] as const) {
      expect(reportedOutcome(undefined, state, ['ignored'])).toEqual({ outcome: 'skipped', message: 'the test did not record its check' });
    }
  });
});

describe('notRunOutcome', () => {
  const check = (over: Partial<Check>): Check => ({ id: 'a/chat/works', kind: 'works', group: 'route', title: 't', probes: [], severity: 'normal', ...over });

  it('says why a planned check has no test result', () => {
    expect(notRunOutcome(check({ manual: true, skip: 's' }))).toEqual({ outcome: 'manual', message: 'to be verified by a person' });
    expect(notRunOutcome(check({ notExercised: 'preset holds it', skip: 's' }))).toEqual({ outcome: 'not_exercised', message: 'preset holds it' });
    expect(notRunOutcome(check({ skip: 'no key lacks embed' }))).toEqual({ outcome: 'skipped', message: 'no key lacks embed' });
    expect(notRunOutcome(check({}))).toEqual({ outcome: 'skipped', message: 'not run in this run (filtered out, in another shard, or the run stopped before it)' });
  });
});

describe('outcome arithmetic', () => {
  it('a group shows its worst outcome: failed > waived > runbook defect > blocked > not run > passed > denied > not exercised > skipped > manual', () => {
    const worstFirst: Outcome[] = ['failed', 'waived', 'runbook_defect', 'blocked', 'not_run', 'passed', 'denied_as_expected', 'not_exercised', 'skipped', 'manual'];
    worstFirst.forEach((worst, i) => {
      const milder = worstFirst.slice(i);
      expect(aggregateOutcome(milder)).toBe(worst);
      expect(aggregateOutcome([...milder].reverse())).toBe(worst);
    });
    expect(aggregateOutcome([])).toBe('none');
    expect(aggregateOutcome(new Set<Outcome>(['manual']))).toBe('manual');
  });

  it('counts every outcome, zero included, and the total', () => {
    expect(countOutcomes(['passed', 'failed', 'passed', 'manual'])).toEqual({
      passed: 2,
      denied_as_expected: 0,
      failed: 1,
      blocked: 0,
      not_run: 0,
      not_exercised: 0,
      skipped: 0,
      waived: 0,
      manual: 1,
      runbook_defect: 0,
      total: 4,
    });
    expect(countOutcomes([]).total).toBe(0);
  });

  it('lists the outcomes in report order and says them in words', () => {
    expect(OUTCOMES).toEqual(['passed', 'denied_as_expected', 'failed', 'blocked', 'not_run', 'not_exercised', 'skipped', 'waived', 'manual', 'runbook_defect']);
    expect(outcomeWords('denied_as_expected')).toBe('denied as expected');
    expect(outcomeWords('not_exercised')).toBe('not exercised');
    expect(outcomeWords('failed')).toBe('failed');
    expect(outcomeWords('none')).toBe('no check');
  });
});
