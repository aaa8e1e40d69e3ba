import { describe, expect, it } from 'vitest';
import type { FtEvent } from '../src/model.js';
import { EventSpool } from '../src/providers/event-spool.js';
import { EVENT_BATCH_SIZE, inBatches } from '../src/providers/provider.js';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

/** Event n at second `second`; every third without an id (keyed by digest), some with data. */
const event = (n: number, second = n): FtEvent => ({
  key: n % 3 === 0 ? `digest-${n}#1` : `id:ev-${n}`,
  id: n % 3 === 0 ? null : `ev-${n}`,
  createdAt: at(second),
  level: n % 5 === 0 ? 'warning' : 'info',
  type: n % 2 === 0 ? 'metrics' : 'message',
  message: `event ${n} \u2028 "quoted" \\ ${'é'.repeat(n % 4)}`,
  data: n % 2 === 0 ? { step: n, train_loss: n / 7, nested: { list: [n, null, 'x'] } } : null,
  modelPath: n % 7 === 0 ? `s3://models/${n}` : null,
});

/** `events` pushed in pages of `pageSize`, as a paged read brings them. */
function spoolOf(events: readonly FtEvent[], pageSize = 100): EventSpool {
  const spool = new EventSpool();
  for (let i = 0; i < events.length; i += pageSize) spool.push(events.slice(i, i + pageSize));
  return spool;
}

const all = (events: Iterable<FtEvent>) => [...events];

describe('EventSpool', () => {
  // Past the size at which pages are held as text, and a short read that stays as objects.
  for (const count of [250, 5 * EVENT_BATCH_SIZE, 12 * EVENT_BATCH_SIZE + 37]) {
    it(`gives back ${count} events oldest first, whole and in batches, from either order`, () => {
      const events = Array.from({ length: count }, (_, n) => event(n));
      const oldestFirst = spoolOf(events);
      const newestFirst = spoolOf([...events].reverse());
      expect(oldestFirst.length).toBe(count);

      // In batches, as the providers hand them out.
      const fromOldest = [...inBatches(oldestFirst.chronological(false))];
      expect(fromOldest.flat()).toStrictEqual(events);
      expect(all(newestFirst.chronological(true))).toStrictEqual(events);
      expect(fromOldest.map((batch) => batch.length)).toStrictEqual(
        Array.from({ length: Math.ceil(count / EVENT_BATCH_SIZE) }, (_, i) =>
          Math.min(EVENT_BATCH_SIZE, count - i * EVENT_BATCH_SIZE),
        ),
      );
    });
  }

  it('sorts by time when the list is out of order, events of one second in the order read', () => {
    // A newest-first read in which event 1 came early; 10 to 12 share a second.
    const [e1, e10, e11, e12, e20] = [event(1, 1), event(10, 5), event(11, 5), event(12, 5), event(20, 9)];
    const sent = [e20, e10, e1, e11, e12] as FtEvent[];
    // Reversed, the read is 12, 11, 1, 10, 20: sorted, 1 moves first and 12, 11, 10 keep their order.
    const expected = [e1, e12, e11, e10, e20] as FtEvent[];
    for (const olderCount of [0, 30_000]) {
      // Older events of second 0 after them: a long read is held as text, and sorted all the same.
      const older = Array.from({ length: olderCount }, (_, n) => event(100 + n, 0));
      const got = all(spoolOf([...sent, ...older]).chronological(true));
      expect(got).toStrictEqual([...older.reverse(), ...expected]);
    }
  });

  it('gives nothing for an empty read', () => {
    const spool = new EventSpool();
    spool.push([]);
    expect(spool.length).toBe(0);
    expect([...spool.chronological(true)]).toStrictEqual([]);
  });
});
