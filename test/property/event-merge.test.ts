/**
 * Event merge and dedupe, as properties: whatever the interleaving of pages, polls and a history
 * that grows between any two requests, every event ends up in events-file exactly once, oldest
 * first. The provider adapters and EventLog run unchanged against an in-memory API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { pageAfter } from '../../sim/paging.js';
import { EventLog } from '../../src/engine/event-log.js';
import type { FtEvent } from '../../src/model.js';
import { OPENAI_STATUSES, OpenAiCompatibleProvider } from '../../src/providers/openai-compatible.js';
import { TogetherProvider } from '../../src/providers/together/together.js';
import { memoryClient } from '../support/fake-client.js';
import { type EventLine, readEvents } from '../support/events-file.js';

const dir = mkdtempSync(join(tmpdir(), 'ftw-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const START = Date.UTC(2026, 0, 1) / 1000;
const signal = new AbortController().signal;

/** Takes a read's batches one at a time, as the poll loop does. */
async function acceptAll(log: EventLog, read: Promise<Iterable<FtEvent[]>>): Promise<void> {
  for (const batch of await read) log.accept(batch);
}

const nonDecreasing = (events: readonly EventLine[]) =>
  events.every(
    (event, i) => i === 0 || Date.parse(events[i - 1]?.created_at ?? '') <= Date.parse(event.created_at),
  );

/** Seconds between consecutive events; 0 makes two events share a timestamp. */
const gaps = (max: number) => fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: max });
/** How many more events become visible before each request: growth between pages and between polls. */
const growth = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 120 });

function timesOf(gapList: readonly number[]): number[] {
  let time = START;
  return gapList.map((gap) => (time += gap));
}

describe('OpenAI and Nebius paging', () => {
  const openAiLike = fc.record({
    gaps: gaps(50),
    serverOrder: fc.constantFrom('asc', 'desc'),
    documentedOrder: fc.constantFrom('newest-first', null),
    pageSize: fc.integer({ min: 1, max: 8 }),
    overlap: fc.boolean(),
    growth,
  });

  it('gives every event once, oldest first, whatever the interleaving of pages and polls', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(openAiLike, async (c) => {
        const times = timesOf(c.gaps);
        const all = times.map((time, i) => ({
          id: `ftevent-${i + 1}`,
          created_at: time,
          level: 'info',
          type: 'message',
          message: `event ${i + 1}`,
          data: null,
        }));
        // A cursor that always lands on itself cannot page: overlap needs pages of two or more.
        const overlap = c.overlap && c.pageSize > 1;
        let visible = 0;
        let step = 0;
        const client = memoryClient((_path, query) => {
          visible = Math.min(all.length, visible + (c.growth[step++] ?? all.length));
          const shown = all.slice(0, visible);
          const ordered = c.serverOrder === 'desc' ? [...shown].reverse() : shown;
          const after = query?.after === undefined ? undefined : String(query.after);
          const page = pageAfter(ordered, (e) => e.id, after, c.pageSize, { overlap });
          return { object: 'list', ...page };
        });
        const provider = new OpenAiCompatibleProvider(
          { provider: 'nebius', jobId: 'ftjob-1', baseUrl: 'http://x' },
          client,
          { statuses: OPENAI_STATUSES, expectedOrder: c.documentedOrder, checkpointAsModel: false },
        );
        const log = new EventLog(join(dir, `openai-${run++}.ndjson`));
        // Poll until everything is visible, then twice more (the read after the final status).
        for (
          let poll = 0;
          poll < all.length + c.growth.length + 2 && (visible < all.length || poll < 2);
          poll++
        ) {
          await acceptAll(log, provider.readNewEvents({ signal }, log));
        }
        await acceptAll(log, provider.readNewEvents({ signal }, log));
        await acceptAll(log, provider.readNewEvents({ signal }, log));
        const events = readEvents(log.filePath);
        const ids = events.map((event) => event.id);
        expect(new Set(ids).size, 'an event twice').toBe(ids.length);
        expect([...ids].sort(), 'an event missing').toEqual(all.map((event) => event.id).sort());
        expect(nonDecreasing(events), 'not oldest first').toBe(true);
        // With distinct timestamps, "oldest first" is one order only: the history's.
        if (c.gaps.slice(1).every((gap) => gap > 0)) expect(ids).toEqual(all.map((event) => event.id));
      }),
      { numRuns: 400 },
    );
  });
});

describe('Together whole lists', () => {
  const together = fc.record({
    gaps: gaps(40),
    // A tiny pool of messages: identical events (same time, same text) happen, and count twice.
    messages: fc.array(fc.constantFrom('Epoch completed', 'Checkpoint saved', 'Training started'), {
      minLength: 40,
      maxLength: 40,
    }),
    growth,
    /** Per poll: read the list embedded in the job object, or the events endpoint. */
    embedded: fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
    /** Per poll: a stale replica answers with only this much of what it showed before (0: none). */
    stale: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 40 }),
    /** One job of a set: the body buffer is let go after each poll's events. */
    inSet: fc.boolean(),
  });

  it('keeps every event once, genuine repeats twice, across polls, stale answers and both endpoints', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(together, async (c) => {
        const times = timesOf(c.gaps);
        const all = times.map((time, i) => ({
          created_at: new Date(time * 1000).toISOString(),
          level: 'info',
          type: 'job_start',
          message: c.messages[i] ?? 'x',
          hash: '',
        }));
        let visible = 0;
        let step = 0;
        const listNow = (poll: number) => {
          visible = Math.min(all.length, visible + (c.growth[step++] ?? all.length));
          const cut = c.stale[poll] ?? 0;
          return all.slice(0, Math.max(0, visible - cut));
        };
        let poll = 0;
        const client = memoryClient((path) => {
          const data = listNow(poll);
          return path.endsWith('/events') ? { data } : { status: 'running', events: data };
        });
        const provider = new TogetherProvider(
          { provider: 'together', jobId: 'ft-1', baseUrl: 'http://x' },
          client,
          c.inSet,
        );
        const log = new EventLog(join(dir, `together-${run++}.ndjson`));
        for (; poll < all.length + c.growth.length + 2 && (visible < all.length || poll < 2); poll++) {
          const job = c.embedded[poll % c.embedded.length] ? await provider.readJob(signal) : undefined;
          await acceptAll(log, provider.readNewEvents({ signal }, log, job));
        }
        // The last reads see the whole list: no stale replica then.
        c.stale.length = 0;
        await acceptAll(log, provider.readNewEvents({ signal }, log));
        const events = readEvents(log.filePath);
        expect(events.map((event) => [event.created_at, event.message])).toEqual(
          all.map((event) => [event.created_at, event.message]),
        );
      }),
      { numRuns: 400 },
    );
  });
});
