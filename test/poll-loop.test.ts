import { describe, expect, it } from 'vitest';
import { DeadlineReached, NotFoundError } from '../src/errors.js';
import type { FtEvent, JobSnapshot } from '../src/model.js';
import type { ReadOptions, SeenEvents } from '../src/providers/index.js';
import { type WatchReporter, watch } from '../src/engine/poll-loop.js';
import { jobSnapshot } from './support/job-snapshot.js';
import { StubProvider } from './support/stub-provider.js';

const snapshot = (status: string): JobSnapshot => jobSnapshot(status, {}, 'openai');

function event(n: number, type = 'message'): FtEvent {
  return {
    key: `e${n}`,
    id: `e${n}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    level: 'info',
    type,
    message: `event ${n}`,
    data: null,
    modelPath: null,
  };
}

/** A provider whose job moves through `statuses`, one per read; `eventsAt[i]` become visible at read i. */
class ScriptedProvider extends StubProvider {
  readonly ref = { provider: 'openai' as const, jobId: 'ftjob-1', baseUrl: 'http://x' };
  jobReads = 0;
  eventReads = 0;
  visible: FtEvent[] = [];
  constructor(
    private readonly statuses: string[],
    private readonly eventsAt: Record<number, FtEvent[]> = {},
    private readonly failAt?: { read: number; error: Error },
  ) {
    super();
  }
  async readJob(): Promise<JobSnapshot> {
    const read = this.jobReads++;
    if (this.failAt?.read === read) throw this.failAt.error;
    this.visible.push(...(this.eventsAt[read] ?? []));
    return snapshot(this.statuses[Math.min(read, this.statuses.length - 1)] as string);
  }
  override async readNewEvents(_read: ReadOptions, _seen: SeenEvents): Promise<Iterable<FtEvent[]>> {
    this.eventReads++;
    // Deliberately hand back everything, duplicates included, in two batches: the sink must dedupe.
    return [[...this.visible], [...this.visible]];
  }
  override isTerminalEvent(e: FtEvent): boolean {
    return e.type === 'job_complete';
  }
}

class MemorySink {
  readonly keys = new Set<string>();
  readonly accepted: FtEvent[] = [];
  has(key: string) {
    return this.keys.has(key);
  }
  accept(events: readonly FtEvent[]) {
    const fresh = events.filter((e) => !this.keys.has(e.key) && this.keys.add(e.key));
    this.accepted.push(...fresh);
    return fresh;
  }
}

function recorder() {
  const lines: string[] = [];
  const reporter: WatchReporter = {
    status: (job, previous) =>
      lines.push(`status ${previous?.providerStatus ?? '-'} -> ${job.providerStatus}`),
    events: (events) => lines.push(...events.map((e) => `event ${e.message}`)),
    heartbeat: (job, quiet) => lines.push(`heartbeat ${job.providerStatus} ${quiet}`),
  };
  return { lines, reporter };
}

function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    sleep: async (ms: number, signal: AbortSignal) => {
      if (signal.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
    },
  };
}

const options = (time: ReturnType<typeof fakeTime>, signal = new AbortController().signal) => ({
  wait: true,
  pollIntervalMs: 1000,
  heartbeatMs: 5000,
  signal,
  now: time.now,
  sleep: time.sleep,
});

describe('watch', () => {
  it('reports every event once, oldest first, and ends on the final status', async () => {
    const provider = new ScriptedProvider(['queued', 'running', 'running', 'succeeded'], {
      0: [event(1)],
      1: [event(2), event(3)],
      3: [event(4)],
    });
    const sink = new MemorySink();
    const { lines, reporter } = recorder();
    const time = fakeTime();
    const result = await watch(provider, sink, reporter, options(time));
    expect(result.end).toBe('final');
    expect(result.job?.providerStatus).toBe('succeeded');
    expect(sink.accepted.map((e) => e.key)).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(lines).toEqual([
      'status - -> queued',
      'event event 1',
      'status queued -> running',
      'event event 2',
      'event event 3',
      'status running -> succeeded',
      'event event 4',
    ]);
    expect(time.sleeps).toEqual([1000, 1000, 1000]);
  });

  it('reads the events after the final status once: the read that follows the job read counts', async () => {
    const provider = new ScriptedProvider(['succeeded']);
    const result = await watch(provider, new MemorySink(), recorder().reporter, options(fakeTime()));
    expect(result.end).toBe('final');
    expect(provider.eventReads).toBe(1);
  });

  it('reads the events once more after the final status when the job object carried them', async () => {
    const provider = new ScriptedProvider(['succeeded']);
    Object.assign(provider, { eventsInJob: true });
    await watch(provider, new MemorySink(), recorder().reporter, options(fakeTime()));
    expect(provider.eventReads).toBe(2);
  });

  it('tells the caller of the final status once, before the last read of events', async () => {
    const provider = new ScriptedProvider(['running', 'succeeded'], { 0: [event(1, 'job_complete')] });
    const seen: string[] = [];
    const original = provider.readNewEvents.bind(provider);
    provider.readNewEvents = async (read, known) => {
      seen.push('events');
      return original(read, known);
    };
    await watch(provider, new MemorySink(), recorder().reporter, {
      ...options(fakeTime()),
      onFinal: (job) => seen.push(`final ${job.providerStatus}`),
    });
    // The terminal event made the job be read again at once; the events read before that
    // re-read is older than the final status, so one more follows it.
    expect(seen).toEqual(['events', 'final succeeded', 'events']);
    expect(provider.jobReads).toBe(2);
  });

  it('re-reads the job at once when a terminal event arrives', async () => {
    const provider = new ScriptedProvider(['running', 'running', 'succeeded'], {
      1: [event(9, 'job_complete')],
    });
    const time = fakeTime();
    const result = await watch(provider, new MemorySink(), recorder().reporter, options(time));
    expect(result.end).toBe('final');
    expect(provider.jobReads).toBe(3);
    // One sleep after the first read; the terminal event skipped the second.
    expect(time.sleeps).toEqual([1000]);
  });

  it('checks once without sleeping when wait is false', async () => {
    const provider = new ScriptedProvider(['running'], { 0: [event(1)] });
    const time = fakeTime();
    const sink = new MemorySink();
    const result = await watch(provider, sink, recorder().reporter, {
      ...options(time),
      wait: false,
    });
    expect(result).toMatchObject({ end: 'checked', job: { state: 'running' } });
    expect(time.sleeps).toEqual([]);
    expect(sink.accepted).toHaveLength(1);
  });

  it('stops when the signal aborts and says why', async () => {
    const provider = new ScriptedProvider(['running']);
    const controller = new AbortController();
    const time = fakeTime();
    const sleep = async (ms: number, signal: AbortSignal) => {
      await time.sleep(ms, signal);
      if (time.sleeps.length === 3) controller.abort(new DeadlineReached());
    };
    const result = await watch(provider, new MemorySink(), recorder().reporter, {
      ...options(time, controller.signal),
      sleep,
    });
    expect(result.end).toBe('stopped');
    expect(result.stopReason).toBeInstanceOf(DeadlineReached);
    expect(result.job?.providerStatus).toBe('running');
    expect(provider.jobReads).toBe(4);
  });

  it('prints a heartbeat only after a quiet stretch', async () => {
    const provider = new ScriptedProvider([...Array(12).fill('running'), 'succeeded']);
    const { lines, reporter } = recorder();
    await watch(provider, new MemorySink(), reporter, options(fakeTime()));
    expect(lines.filter((line) => line.startsWith('heartbeat'))).toEqual([
      'heartbeat running 5000',
      'heartbeat running 5000',
    ]);
  });

  it('lets errors that end the step through', async () => {
    const provider = new ScriptedProvider(['running'], {}, { read: 2, error: new NotFoundError('gone') });
    await expect(watch(provider, new MemorySink(), recorder().reporter, options(fakeTime()))).rejects.toThrow(
      'gone',
    );
  });
});

describe('watch, with events read in turns', () => {
  /** Records each read as made inside or outside a turn, and how many turns were taken. */
  function turnRecorder(provider: ScriptedProvider) {
    const reads: string[] = [];
    let inTurn = false;
    let turns = 0;
    const readJob = provider.readJob.bind(provider);
    const readNewEvents = provider.readNewEvents.bind(provider);
    provider.readJob = async () => {
      reads.push(`job ${inTurn ? 'in' : 'outside'} turn`);
      return readJob();
    };
    provider.readNewEvents = async (read, seen) => {
      reads.push(`events ${inTurn ? 'in' : 'outside'} turn`);
      return readNewEvents(read, seen);
    };
    const eventsTurn = async <T>(task: () => Promise<T>): Promise<T> => {
      expect(inTurn).toBe(false); // a turn never waits on another: that would deadlock
      inTurn = true;
      turns++;
      try {
        return await task();
      } finally {
        inTurn = false;
      }
    };
    return { reads, eventsTurn, turns: () => turns };
  }

  it('reads each poll’s events in a turn, and the job (a small body) outside one', async () => {
    const provider = new ScriptedProvider(['running', 'succeeded'], { 0: [event(1)] });
    const recorded = turnRecorder(provider);
    await watch(provider, new MemorySink(), recorder().reporter, {
      ...options(fakeTime()),
      eventsTurn: recorded.eventsTurn,
    });
    expect(recorded.reads).toEqual([
      'job outside turn',
      'events in turn',
      'job outside turn',
      'events in turn',
    ]);
  });

  it('takes the whole poll as one turn where the job carries its events, so none waits holding them', async () => {
    const provider = new ScriptedProvider(['running', 'running', 'succeeded'], {
      0: [event(1)],
      1: [event(2, 'job_complete')],
    });
    Object.assign(provider, { eventsInJob: true });
    const recorded = turnRecorder(provider);
    await watch(provider, new MemorySink(), recorder().reporter, {
      ...options(fakeTime()),
      eventsTurn: recorded.eventsTurn,
    });
    // Poll 1: job, events. Poll 2: job, events (terminal), job again (final), events after it.
    expect(recorded.reads.every((read) => read.endsWith('in turn') && !read.includes('outside'))).toBe(true);
    expect(recorded.reads.length).toBe(6);
    expect(recorded.turns()).toBe(2);
  });
});
