/**
 * The sleeps of a set of poll loops, woken together: a loop due within a short while of the
 * earliest goes with it, so the set's reads leave at once and can share a request (a list of
 * job statuses) and a connection: an idle poll of the set is one round.
 */
export class RoundClock {
  private readonly waiting = new Set<{ due: number; wait: number; wake: () => void }>();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Number.POSITIVE_INFINITY;

  constructor(private readonly now: () => number = Date.now) {}

  sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const entry = {
        due: this.now() + ms,
        wait: ms,
        wake: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.waiting.delete(entry);
        if (this.waiting.size === 0) this.disarm();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.add(entry);
      if (entry.due < this.timerDue) this.arm(entry.due);
    });

  private arm(due: number): void {
    this.disarm();
    this.timerDue = due;
    this.timer = setTimeout(() => this.fire(), Math.max(0, due - this.now()));
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
  }

  private fire(): void {
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
    const now = this.now();
    for (const entry of [...this.waiting]) {
      // Due now, or soon enough to go with this round: within a quarter of its wait (a second at most).
      if (entry.due - now <= Math.min(1000, entry.wait / 4)) {
        this.waiting.delete(entry);
        entry.wake();
      }
    }
    const next = Math.min(...[...this.waiting].map((entry) => entry.due));
    if (Number.isFinite(next)) this.arm(next);
  }
}
