import { describe, expect, it, vi } from 'vitest';
import { cutDeeperThan, cutMarker, deeperThan, scrubStrings } from '../src/json-walk.js';
import { raceSignal, setLongTimeout } from '../src/timers.js';

const nested = (depth: number) => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) as unknown;

describe('walks over parsed JSON without recursion', () => {
  it('measures and cuts values 100,000 levels deep, keeping the shallow part', () => {
    const deep = nested(100_000);
    expect(deeperThan(deep, 64)).toBe(true);
    expect(deeperThan({ a: [1, { b: 2 }] }, 3)).toBe(false);
    const cut = cutDeeperThan(deep, 3) as { a: { a: { a: unknown } } };
    expect(cut).toEqual({ a: { a: { a: cutMarker(3) } } });
    expect(() => JSON.stringify(cut)).not.toThrow();
    const shallow = { step: 1, loss: 0.5 };
    expect(cutDeeperThan(shallow, 3)).toBe(shallow);
  });

  it('scrubs strings and names at any depth, in place, including a name like __proto__', () => {
    const value = JSON.parse('{"KEY":"x KEY y","__proto__":{"deep":["KEY",{"KEY":1}]},"n":1}') as Record<
      string,
      unknown
    >;
    const scrubbed = scrubStrings(value, (text) => text.replaceAll('KEY', '***'));
    expect(scrubbed).toBe(value);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"deep":["***",{"***":1}]},"n":1,"***":"x *** y"}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(() => scrubStrings(nested(100_000), (text) => text)).not.toThrow();
  });
});

describe('timers', () => {
  it('setLongTimeout waits past setTimeout’s 24.8-day ceiling', () => {
    vi.useFakeTimers();
    try {
      const fired = vi.fn();
      const days40 = 40 * 24 * 3600 * 1000;
      setLongTimeout(fired, days40);
      vi.advanceTimersByTime(2 ** 31);
      expect(fired).not.toHaveBeenCalled();
      vi.advanceTimersByTime(days40 - 2 ** 31 - 1);
      expect(fired).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(fired).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });

  it('raceSignal settles a promise that never does once its signal aborts', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(raceSignal(never, AbortSignal.timeout(20))).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect(raceSignal(Promise.resolve(7), AbortSignal.timeout(1000))).resolves.toBe(7);
  });
});
