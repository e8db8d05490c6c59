// The run's request budget, counted for the HTTP client and the SDK drivers alike, once a request has its
// connection slot (a request still waiting for one is neither counted nor sent). The same count stops a run
// that --max-failures stopped: from then on no request is sent.

export interface RequestCounter {
  sent: number;
  budget: number;
  /** set once the run has stopped (--max-failures): why no further request is sent */
  stopped?: string;
}

/** A request the budget refused: the probe that wanted it is not run (never failed). */
export class BudgetSpent extends Error {
  constructor(budget: number, message = `not run: the request budget of ${budget} requests was spent`) {
    super(message);
    this.name = 'BudgetSpent';
  }
}

/** A request refused because the run has stopped (--max-failures): handled wherever a spent budget is. */
export class RunStopped extends BudgetSpent {
  constructor(reason: string) {
    super(0, reason);
    this.name = 'RunStopped';
  }
}

/** Counts one request, or throws (BudgetSpent, RunStopped) when it may not be sent. */
export function spend(counter: RequestCounter): void {
  if (counter.stopped !== undefined) throw new RunStopped(counter.stopped);
  if (counter.sent >= counter.budget) throw new BudgetSpent(counter.budget);
  counter.sent += 1;
}

/** The BudgetSpent (or RunStopped) an error was caused by, however an SDK wrapped it. */
export function budgetSpentIn(err: unknown): BudgetSpent | undefined {
  for (let e = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof BudgetSpent) return e;
  }
  return undefined;
}
