import { describe, expect, it } from 'vitest';
import { Turns } from '../src/engine/turns.js';

describe('Turns', () => {
  it('runs at most `max` tasks at a time, the rest in the order they came', async () => {
    const turns = new Turns(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const tasks = [0, 1, 2, 3, 4].map((i) =>
      turns.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return i * 10;
      }),
    );
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    await tick();
    expect(started).toEqual([0, 1]);
    releases.shift()?.();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    while (releases.length > 0 || started.length < 5) {
      releases.shift()?.();
      await tick();
    }
    expect(await Promise.all(tasks)).toEqual([0, 10, 20, 30, 40]);
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('passes the turn on when a task fails', async () => {
    const turns = new Turns(1);
    const failed = turns.run(async () => {
      throw new Error('read failed');
    });
    const next = turns.run(async () => 'next ran');
    await expect(failed).rejects.toThrow('read failed');
    expect(await next).toBe('next ran');
  });
});
