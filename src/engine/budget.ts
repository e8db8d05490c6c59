// The run's request budget, counted for the HTTP client and the SDK drivers alike.

export interface RequestCounter {
  sent: number;
  budget: number;
}

/** Counts one request, or throws when the budget is spent (the request is then not sent). */
export function spend(counter: RequestCounter): void {
  if (counter.sent >= counter.budget) throw new Error(`not sent: the request budget of ${counter.budget} is spent`);
  counter.sent += 1;
}
