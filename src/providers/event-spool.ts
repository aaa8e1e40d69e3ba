import type { FtEvent } from '../model.js';
import { EVENT_BATCH_SIZE } from './provider.js';

/** An event as a tuple: key (only when it is not `id:<id>`), id, time, level, type, message, data, model path. */
type Packed = [
  string | null,
  string | null,
  string,
  FtEvent['level'],
  string,
  string,
  FtEvent['data'],
  string | null,
];

/**
 * The pages of one read of a paged event list, held as text until the read is over. A newest-first
 * list must be read to the known end before its oldest new event can be handed out; as objects, a
 * 100,000-event history held that way is some 600 bytes an event, as one JSON string a page about
 * a third of that (and one object a page for the collector instead of a dozen an event). A
 * shorter read, as every poll after the first, stays as it came.
 */
export class EventSpool {
  private readonly pages: (string | FtEvent[])[] = [];
  private size = 0;
  /** Pages before this one are held as text. */
  private packed = 0;
  /** Whether the times never went down, or never up, in the order the events came. */
  private rising = true;
  private falling = true;
  private lastTime: string | null = null;

  get length(): number {
    return this.size;
  }

  push(events: readonly FtEvent[]): void {
    if (events.length === 0) return;
    for (const event of events) {
      if (this.lastTime !== null) {
        if (event.createdAt < this.lastTime) this.rising = false;
        if (event.createdAt > this.lastTime) this.falling = false;
      }
      this.lastTime = event.createdAt;
    }
    this.pages.push([...events]);
    this.size += events.length;
    if (this.size <= HELD_AS_OBJECTS) return;
    for (; this.packed < this.pages.length; this.packed++) {
      this.pages[this.packed] = JSON.stringify((this.pages[this.packed] as FtEvent[]).map(pack));
    }
  }

  /**
   * The events oldest first, given the order the list came in: stable by time, so events of one
   * second keep the provider's order. Unpacked a page at a time as they are taken, unless the
   * times are out of order, which needs them all at once to sort. Once only: the pages are let
   * go as they are read.
   */
  *chronological(newestFirst: boolean): Generator<FtEvent> {
    if (newestFirst ? !this.falling : !this.rising) {
      const all = this.pages.flatMap((page) => unpack(page));
      yield* byTime(newestFirst ? all.reverse() : all);
      return;
    }
    yield* this.inOrder(newestFirst);
  }

  /** The events, already in time order, a page at a time. */
  private *inOrder(newestFirst: boolean): Generator<FtEvent> {
    for (let p = 0; p < this.pages.length; p++) {
      const index = newestFirst ? this.pages.length - 1 - p : p;
      const page = unpack(this.pages[index] as string | FtEvent[]);
      // Let the page's text go as its events go out: the spool is read once.
      this.pages[index] = '';
      yield* newestFirst ? page.reverse() : page;
    }
  }
}

/**
 * Events a read holds as objects before it turns to text: packing and unpacking make more
 * garbage, which costs more than it saves until a read is some ten batches long.
 */
const HELD_AS_OBJECTS = 10 * EVENT_BATCH_SIZE;

function pack(event: FtEvent): Packed {
  const implied = event.id !== null && event.key === `id:${event.id}`;
  return [
    implied ? null : event.key,
    event.id,
    event.createdAt,
    event.level,
    event.type,
    event.message,
    event.data,
    event.modelPath,
  ];
}

function unpack(page: string | FtEvent[]): FtEvent[] {
  if (typeof page !== 'string') return page;
  return (JSON.parse(page) as Packed[]).map(
    ([key, id, createdAt, level, type, message, data, modelPath]) => ({
      key: key ?? `id:${id}`,
      id,
      createdAt,
      level,
      type,
      message,
      data,
      modelPath,
    }),
  );
}

/** Stable sort by time: events with equal timestamps keep the provider's order. */
function byTime(events: FtEvent[]): FtEvent[] {
  return events
    .map((event, index) => ({ event, index, time: Date.parse(event.createdAt) }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map(({ event }) => event);
}
