// The status table every format reads (src/outcome/status.ts), the summary words (src/report/summary.ts),
// and how the console writes: wrapped between words, never cut, colour only where it is wanted.
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/model.ts';
import { OUTCOMES } from '../../src/outcome/outcomes.ts';
import { outcomeStatus } from '../../src/outcome/status.ts';
import { settle } from '../../src/outcome/settle.ts';
import { productStatus, requestsWords } from '../../src/report/summary.ts';
import { consoleTraits, painter, PLAIN_WIDTH, wrapText } from '../../src/report/terminal.ts';

describe('one outcome, one status', () => {
  it('JUnit, Allure and the test follow one verdict for every outcome', () => {
    const junitOf = { pass: 'passed', fail: 'failure', skip: 'skipped' };
    const allureOf = { pass: 'passed', fail: 'failed', skip: 'skipped' };
    for (const o of OUTCOMES) {
      for (const failOnFindings of [false, true]) {
        const s = outcomeStatus(o, { failOnFindings });
        expect([o, s.junit, s.allure], String(failOnFindings)).toEqual([o, junitOf[s.test], allureOf[s.test]]);
        // the suites settle a check's test by the same table
        expect(settle({ id: 'x' }, { outcome: o, message: 'm' }, { failOnFindings }).test).toBe(s.test);
      }
    }
  });

  it('passes what the tenant passed, fails what it failed, skips what shows nothing either way', () => {
    const tests = Object.fromEntries(OUTCOMES.map((o) => [o, outcomeStatus(o).test]));
    expect(tests).toEqual({
      passed: 'pass',
      denied_as_expected: 'pass',
      waived: 'pass',
      failed: 'fail',
      blocked: 'skip',
      not_run: 'skip',
      not_exercised: 'skip',
      skipped: 'skip',
      manual: 'skip',
      runbook_defect: 'skip',
    });
    expect(outcomeStatus('runbook_defect', { failOnFindings: true })).toMatchObject({ test: 'fail', junit: 'failure', allure: 'failed', mark: 'FAIL' });
    expect(outcomeStatus('not_run')).toMatchObject({ mark: 'STOP', words: 'not run' });
  });

  it('gives every outcome its own console mark and short word, four characters wide', () => {
    const marks = OUTCOMES.map((o) => outcomeStatus(o).mark);
    expect(marks.every((m) => m.length === 4)).toBe(true);
    const distinct = new Set(OUTCOMES.filter((o) => o !== 'denied_as_expected').map((o) => outcomeStatus(o).mark));
    expect(distinct.size).toBe(OUTCOMES.length - 1); // passed and denied as expected are both "ok"
    expect(new Set(OUTCOMES.map((o) => outcomeStatus(o).short)).size).toBe(OUTCOMES.length);
  });
});

describe("a product's result", () => {
  const counts = (findings: number, blocked = 0, notRun = 0) => ({ runbook_defect: findings, blocked, not_run: notRun });
  it('a product whose only blemish is findings passed, with them', () => {
    expect(productStatus({ outcome: 'runbook_defect', counts: counts(2) })).toEqual({ outcome: 'passed', words: 'passed, with 2 findings' });
    expect(productStatus({ outcome: 'runbook_defect', counts: counts(1) }, true)).toEqual({ outcome: 'failed', words: 'failed: 1 runbook finding (--fail-on-findings)' });
    expect(productStatus({ outcome: 'failed', counts: counts(1) })).toEqual({ outcome: 'failed', words: 'failed, with 1 finding' });
    expect(productStatus({ outcome: 'passed' as Outcome, counts: counts(0) })).toEqual({ outcome: 'passed', words: 'passed' });
  });

  it('a product with findings whose other checks a stopped run did not reach has not passed', () => {
    expect(productStatus({ outcome: 'runbook_defect', counts: counts(1, 0, 80) })).toEqual({ outcome: 'not_run', words: 'not run, with 1 finding' });
    expect(productStatus({ outcome: 'runbook_defect', counts: counts(2, 3, 80) })).toEqual({ outcome: 'blocked', words: 'blocked, with 2 findings' });
    expect(productStatus({ outcome: 'runbook_defect', counts: counts(1, 0, 80) }, true)).toEqual({ outcome: 'failed', words: 'failed: 1 runbook finding (--fail-on-findings)' });
  });

  it('says the requests sent beside the estimate', () => {
    expect(requestsWords({ sent: 1, estimated: 3 })).toBe('1 request sent (the plan estimated 3)');
  });
});

describe('the console', () => {
  it('colours only a terminal, never under NO_COLOR, TERM=dumb, CI or --no-color', () => {
    const tty = { isTTY: true, columns: 132 };
    expect(consoleTraits(tty, {})).toEqual({ tty: true, width: 132, colour: true });
    expect(consoleTraits(tty, { NO_COLOR: '1' })).toMatchObject({ tty: true, colour: false });
    expect(consoleTraits(tty, { NO_COLOR: '' })).toMatchObject({ colour: true }); // no-color.org: set and not empty
    expect(consoleTraits(tty, {}, { noColor: true })).toMatchObject({ tty: true, colour: false });
    expect(consoleTraits(tty, { TERM: 'dumb' })).toMatchObject({ tty: false, colour: false });
    expect(consoleTraits(tty, { CI: 'true' })).toEqual({ tty: false, width: PLAIN_WIDTH, colour: false });
    expect(consoleTraits({ isTTY: false, columns: 200 }, {})).toEqual({ tty: false, width: 100, colour: false });
    expect(painter(true)('red', 'FAIL')).toBe('\x1b[31mFAIL\x1b[0m');
    expect(painter(false)('red', 'FAIL')).toBe('FAIL');
  });

  it('wraps between words to the width and never cuts one, a long one gets a line of its own', () => {
    const text = 'Dify appends /chat/completions to OpenAI-API-compatible → API Base URL: documented value calls https://tenant.example.com/api/tenant/chat/completions/with/a/very/long/path/that/is/one/word, not a GT route';
    const lines = wrapText(text, 40, '    ', '  ');
    expect(lines.join(' ').replace(/\s+/g, ' ').trim()).toBe(text);
    const url = 'https://tenant.example.com/api/tenant/chat/completions/with/a/very/long/path/that/is/one/word,';
    for (const line of lines) if (!line.includes(url)) expect(line.length).toBeLessThanOrEqual(40);
    expect(lines).toContain(`    ${url}`);
    expect(lines[0].startsWith('  Dify')).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith('    '))).toBe(true);
    expect(wrapText('a\nb c', 80)).toEqual(['a', 'b c']);
  });
});
