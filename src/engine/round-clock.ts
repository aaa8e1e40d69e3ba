/**
 * The sleeps of a set of poll loops, woken together, so the set's reads leave at once and can
 * share a request (a list of job statuses) and a connection: an idle poll of the set is one round.
 * - Loops woken by the same round that ask for the same wait form a cohort, due when its first
 *   is: the others only finished their reads later (slower answers), and must not drift into
 *   rounds of their own, however short the interval is next to the answers' times.
 * - Any other loop due within a short while of a round goes with it.
 */
export class RoundClock {
  private readonly waiting = new Set<{ due: number; wait: number; wake: () => void }>();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Number.POSITIVE_INFINITY;
  /** The due time of each wait asked for since the last round fired. */
  private cohorts = new Map<number, number>();

  constructor(private readonly now: () => number = Date.now) {}

  sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const due = this.cohorts.get(ms) ?? this.now() + ms;
      this.cohorts.set(ms, due);
      const entry = {
        due,
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
    this.cohorts = new Map();
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
