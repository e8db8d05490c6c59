// Bounds how many requests are in flight at once. A waiting request of higher priority goes first (the
// engine gives a probe the length of the chain still ahead of it: the longest chains are served first);
// requests of equal priority go in the order they came.

interface Waiter {
  priority: number;
  resolve: () => void;
}

export class Semaphore {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency must be a positive integer, got ${limit}`);
  }

  /** Waits for a free slot; the returned function frees it (a second call does nothing). */
  async acquire(priority = 0): Promise<() => void> {
    if (this.active < this.limit) this.active++;
    else {
      // the releaser hands its slot over to the first waiter: highest priority, then earliest
      await new Promise<void>((resolve) => {
        const waiter = { priority, resolve };
        const at = this.waiting.findIndex((w) => w.priority < priority);
        this.waiting.splice(at < 0 ? this.waiting.length : at, 0, waiter);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.resolve();
      else this.active--;
    };
  }

  get inFlight(): number {
    return this.active;
  }
}
