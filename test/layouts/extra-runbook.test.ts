// Adding a valid runbook to runbooks/ changes no harness test outcome: with one more product beside the shipped
// ones (a copy of test/fixtures/runbooks/valid-minimal.yaml under a fresh id, in a temp copy of runbooks/), every
// other check plans as before with the same probes, the selftest expects of them what it expected, and the new
// product, an http-driver product without a client profile, is held to the harness's own request.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load.ts';
import { buildPlan } from '../../src/plan/plan.ts';
import type { Plan } from '../../src/model.ts';
import { loadRunbooks } from '../../src/runbook/load.ts';
import { projectRoot, runbooksDir } from '../../src/paths.ts';
import { expectedDefects, expectedFailures } from '../../src/selftest/expectations.ts';
import { defectRow } from '../../src/selftest/selftest.ts';
import { createTenant } from '../../src/tenant/index.ts';

const contract = loadContract();
const target = createTenant({ freshSecrets: true }).target;
const EXTRA = `extra-${process.pid}`;

const dir = mkdtempSync(path.join(tmpdir(), 'gt-extra-runbook-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shipped = readdirSync(runbooksDir).filter((f) => f.endsWith('.yaml')).sort().map((f) => {
  writeFileSync(path.join(dir, f), readFileSync(path.join(runbooksDir, f)));
  return path.join(dir, f);
});
const extraFile = path.join(dir, `${EXTRA}.yaml`);
writeFileSync(extraFile, readFileSync(path.join(projectRoot, 'test/fixtures/runbooks/valid-minimal.yaml'), 'utf8').replace(/^id: sample-client$/m, `id: ${EXTRA}`).replace(/^product: .*$/m, 'product: Extra client'));

function planOf(files: string[]): Plan {
  const { runbooks, errors } = loadRunbooks(files, contract);
  expect(errors).toEqual([]);
  return buildPlan(runbooks.map((r) => r.runbook), contract, target);
}
const before = planOf(shipped);
const after = planOf([...shipped, extraFile]);
const probesOf = (plan: Plan, checkId: string) => plan.checks.find((c) => c.id === checkId)!.probes.map((id) => plan.probes.find((p) => p.id === id)!);

describe('one valid runbook more in runbooks/', () => {
  it('plans every other check as before, with the same probes, and the new product\'s rows and checklist item', () => {
    const others = after.checks.filter((c) => c.product !== EXTRA);
    expect(others.map((c) => c.id)).toEqual(before.checks.map((c) => c.id));
    for (const check of before.checks) expect(probesOf(after, check.id), check.id).toEqual(probesOf(before, check.id));
    expect(after.checks.filter((c) => c.product === EXTRA && c.group !== 'finding').map((c) => c.id)).toEqual([
      `${EXTRA}/models/works`,
      `${EXTRA}/models/denied-without-scope`,
      `${EXTRA}/chat/works`,
      `${EXTRA}/chat/denied-without-scope`,
      `${EXTRA}/embeddings/works`,
      `${EXTRA}/embeddings/denied-without-scope`,
      `${EXTRA}/checklist/1-chat-with-alias`,
    ]);
  });

  it('leaves what the selftest expects of every other check as it was, for every defect', () => {
    const others = new Set(before.checks.map((c) => c.id));
    for (const defect of expectedDefects()) {
      const was = [...expectedFailures(defect, before, contract, target)].sort();
      const now = [...expectedFailures(defect, after, contract, target)].filter((id) => others.has(id)).sort();
      expect(now, defect).toEqual(was);
    }
  });

  it('holds the new product, which names no client profile, to the harness\'s own request', () => {
    // the plain-HTTP product without a profile sends what the harness sends for the GT documentation
    expect(probesOf(after, `${EXTRA}/chat/works`)).toEqual(probesOf(after, 'generic-openai-http/chat/works'));
    expect(probesOf(after, `${EXTRA}/embeddings/works`)).toEqual(probesOf(after, 'generic-openai-http/embeddings/works'));
    for (const defect of expectedDefects()) {
      const expected = expectedFailures(defect, after, contract, target);
      for (const row of ['chat/works', 'embeddings/works']) expect(expected.has(`${EXTRA}/${row}`), `${defect} ${row}`).toBe(expected.has(`generic-openai-http/${row}`));
    }
  });

  it.each(['chat-object-wrong', 'embeddings-out-of-order', 'embed-scope-skipped'])('%s run with the new product fails exactly what the selftest expects', async (defect) => {
    const row = await defectRow(defect, { runbookFiles: [...shipped, extraFile], products: [EXTRA] });
    expect(row.missed).toEqual([]);
    expect(row.unexpected).toEqual([]);
    expect(row.failed.filter((id) => id.startsWith(`${EXTRA}/`)).length).toBeGreaterThan(0);
  });
});
