import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobSnapshot, Progress } from '../src/model.js';
import { DEFAULT_POLL_INTERVAL_MS, PollPace } from '../src/engine/poll-pace.js';
import { watch } from '../src/engine/poll-loop.js';
import { jobSnapshot } from './support/job-snapshot.js';
import { StubProvider } from './support/stub-provider.js';

const job = (status: string, progress: Progress = {}): JobSnapshot => jobSnapshot(status, { progress });

const eta = (seconds: number) => job('running', { secondsRemaining: seconds });
const waits = (pace: PollPace, jobs: JobSnapshot[]) => jobs.map((j) => pace.next(j) / 1000);
const adaptive = () => new PollPace({ intervalMs: 30_000, explicit: false });

describe('PollPace', () => {
  it('takes exactly the default poll-interval as "not set"', () => {
    expect(DEFAULT_POLL_INTERVAL_MS).toBe(30_000);
  });

  it('polls at the interval while a job trains without an estimate', () => {
    expect(waits(adaptive(), Array(3).fill(job('running')))).toEqual([30, 30, 30]);
  });

  it('backs off while queued when the interval is the default, up to 4×', () => {
    expect(waits(adaptive(), Array(7).fill(job('queued')))).toEqual([30, 45, 67.5, 101.25, 120, 120, 120]);
    // Training resets it.
    const pace = adaptive();
    waits(pace, Array(4).fill(job('pending')));
    expect(waits(pace, [job('running'), job('queued')])).toEqual([30, 30]);
  });

  it('stretches to at most 2× the interval when the ETA is far away', () => {
    expect(waits(adaptive(), [eta(4 * 3600), eta(2700), eta(600)])).toEqual([60, 45, 30]);
  });

  it('waits just until the ETA when it is nearer than the interval', () => {
    expect(waits(adaptive(), [eta(600), eta(12.5), eta(600)])).toEqual([30, 12.5, 30]);
    expect(waits(adaptive(), [eta(0.2)])).toEqual([1]);
  });

  it('returns to the interval in a few polls when a stale ETA keeps saying "soon"', () => {
    expect(waits(adaptive(), Array(8).fill(eta(5)))).toEqual([5, 5, 5, 8, 16, 30, 30, 30]);
    expect(waits(adaptive(), Array(7).fill(eta(0)))).toEqual([1, 2, 4, 8, 16, 30, 30]);
  });

  it('polls twice as often in finishing phases and once every step or epoch is done', () => {
    expect(waits(adaptive(), Array(7).fill(job('uploading')))).toEqual([15, 15, 15, 15, 15, 15, 15]);
    expect(waits(adaptive(), [eta(0), eta(0), job('compressing'), eta(0)])).toEqual([1, 2, 15, 1]);
    expect(waits(adaptive(), [job('running', { step: 100, totalSteps: 100 })])).toEqual([15]);
    expect(waits(adaptive(), [job('running', { epochsCompleted: 3, totalEpochs: 3 })])).toEqual([15]);
    expect(waits(adaptive(), [job('running', { step: 99, totalSteps: 100 })])).toEqual([30]);
  });

  it('does not take a short queue estimate for the end of the job', () => {
    expect(waits(adaptive(), [job('queued', { secondsRemaining: 3 })])).toEqual([30]);
  });

  it('never waits longer than an explicit interval, and tightens only down to 1 s', () => {
    const pace = new PollPace({ intervalMs: 10_000, explicit: true });
    expect(waits(pace, [job('queued'), job('queued'), eta(86_400), eta(4), job('running')])).toEqual([
      10, 10, 10, 4, 10,
    ]);
    // Below 1 s the interval is its own floor.
    const fast = new PollPace({ intervalMs: 50, explicit: true });
    expect(waits(fast, [job('queued'), eta(0), job('uploading')])).toEqual([0.05, 0.05, 0.05]);
  });

  it('keeps every wait between the floor and its ceiling, and runs of short waits short', () => {
    // Short: under half the interval, which only the ETA can ask for.
    const snapshot = fc.record({
      status: fc.constantFrom('pending', 'queued', 'running', 'uploading', 'compressing', 'mystery'),
      eta: fc.option(fc.double({ min: 0, max: 100_000, noNaN: true }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 600, noNaN: true }),
        fc.boolean(),
        fc.array(snapshot, { maxLength: 60 }),
        (seconds, explicit, jobs) => {
          const intervalMs = Math.round(seconds * 1000);
          const pace = new PollPace({ intervalMs, explicit });
          const ceiling = explicit ? intervalMs : intervalMs * 4;
          const floor = Math.min(1000, intervalMs);
          let shortRun = 0;
          for (const j of jobs) {
            const wait = pace.next(job(j.status, { secondsRemaining: j.eta }));
            expect(wait).toBeLessThanOrEqual(ceiling);
            expect(wait).toBeGreaterThanOrEqual(Math.round(floor));
            shortRun = wait < Math.round(Math.max(floor, intervalMs / 2)) ? shortRun + 1 : 0;
            // Doubling from the floor reaches the interval within log2(interval / floor) + 1 waits.
            expect(shortRun).toBeLessThanOrEqual(Math.ceil(Math.log2(intervalMs / floor)) + 1);
          }
        },
      ),
    );
  });
});

/** A job that is queued for `queued` reads, then succeeds. */
class QueuedThenDone extends StubProvider {
  readonly ref = { provider: 'together' as const, jobId: 'ft-1', baseUrl: 'http://x' };
  reads = 0;
  constructor(private readonly queued: number) {
    super();
  }
  async readJob(): Promise<JobSnapshot> {
    return job(this.reads++ < this.queued ? 'queued' : 'completed');
  }
}

describe('watch with the pace', () => {
  const run = async (pollIntervalMs: number, pollIntervalExplicit?: boolean) => {
    const sleeps: number[] = [];
    await watch(
      new QueuedThenDone(4),
      { has: () => false, accept: (events) => [...events] },
      { status: () => undefined, events: () => undefined, heartbeat: () => undefined },
      {
        wait: true,
        pollIntervalMs,
        pollIntervalExplicit,
        heartbeatMs: 60_000,
        signal: new AbortController().signal,
        now: () => 0,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
    );
    return sleeps;
  };

  it('backs off in the queue with the default interval, and not with any other', async () => {
    expect(await run(30_000)).toEqual([30_000, 45_000, 67_500, 101_250]);
    expect(await run(20_000)).toEqual([20_000, 20_000, 20_000, 20_000]);
    expect(await run(30_000, true)).toEqual([30_000, 30_000, 30_000, 30_000]);
  });
});
