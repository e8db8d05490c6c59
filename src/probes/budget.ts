// The run's request budget, counted for the HTTP client and the SDK drivers alike.

export interface RequestCounter {
  sent: number;
  budget: number;
}

/** A request the budget refused: the probe that wanted it is not run (never failed). */
export class BudgetSpent extends Error {
  constructor(budget: number) {
    super(`not run: the request budget of ${budget} requests was spent`);
    this.name = 'BudgetSpent';
  }
}

/** Counts one request, or throws BudgetSpent when the budget is spent (the request is then not sent). */
export function spend(counter: RequestCounter): void {
  if (counter.sent >= counter.budget) throw new BudgetSpent(counter.budget);
  counter.sent += 1;
}

/** The BudgetSpent an error was caused by, however an SDK wrapped it. */
export function budgetSpentIn(err: unknown): BudgetSpent | undefined {
  for (let e = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof BudgetSpent) return e;
  }
  return undefined;
}
