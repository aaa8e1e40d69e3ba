import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RoundClock } from '../src/engine/round-clock.js';

describe('RoundClock', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  /** Each sleep's wake-up time, by the faked clock. */
  function recorder(clock: RoundClock) {
    const woken: Record<string, number> = {};
    const sleep = (name: string, ms: number) =>
      void clock.sleep(ms, new AbortController().signal).then(() => {
        woken[name] = Date.now();
      });
    return { woken, sleep };
  }

  it('wakes loops that asked for the same wait after the same round together, however late they asked', async () => {
    const clock = new RoundClock();
    const { woken, sleep } = recorder(clock);
    sleep('first', 20);
    await vi.advanceTimersByTimeAsync(3);
    sleep('slower answer', 20);
    await vi.advanceTimersByTimeAsync(9);
    sleep('slowest answer', 20);
    await vi.advanceTimersByTimeAsync(20);
    expect(woken).toEqual({ first: 20, 'slower answer': 20, 'slowest answer': 20 });
  });

  it('starts a new cohort once a round has fired', async () => {
    const clock = new RoundClock();
    const { woken, sleep } = recorder(clock);
    sleep('a', 20);
    await vi.advanceTimersByTimeAsync(25);
    sleep('b', 20);
    await vi.advanceTimersByTimeAsync(40);
    expect(woken).toEqual({ a: 20, b: 45 });
  });

  it('takes along a loop with another wait when it is due within a quarter of it, and not one due later', async () => {
    const clock = new RoundClock();
    const { woken, sleep } = recorder(clock);
    sleep('round', 1000);
    sleep('nearly due', 1200);
    sleep('later', 2000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(woken).toEqual({ round: 1000, 'nearly due': 1000 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(woken.later).toBe(2000);
  });

  it('rejects with the signal’s reason when aborted, and keeps the others’ timer', async () => {
    const clock = new RoundClock();
    const { woken, sleep } = recorder(clock);
    const abort = new AbortController();
    const aborted = clock.sleep(10, abort.signal);
    sleep('other', 50);
    abort.abort(new Error('cancelled'));
    await expect(aborted).rejects.toThrow('cancelled');
    await vi.advanceTimersByTimeAsync(50);
    expect(woken).toEqual({ other: 50 });
  });
});
