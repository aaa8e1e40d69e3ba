/**
 * The effect of the adaptive pace on rows 1 and 2, over a job too long to wait for in a bench:
 * a 3-hour fine-tune (40 minutes queued, 2 hours training with an ETA that is a little
 * optimistic, then, on Together, 6 minutes uploading). It runs the action's own poll loop
 * (src/watch.ts, with src/poll-pace.ts) against that timeline on a fake clock, and counts the
 * polls and how long after the true end the loop saw it, averaged over 100 runs whose training
 * lasts a (seeded) random 0 to 5 minutes longer, so the end falls at every phase of the poll
 * clock. Fixed pacing is the same loop with every wait = poll-interval.
 */
import type { JobSnapshot } from '../../../src/model.js';
import { watch } from '../../../src/engine/poll-loop.js';
import { seededRandom } from '../../../sim/synth.js';
import type { ProviderName } from '../../../sim/types.js';
import { jobSnapshot } from '../../../test/support/job-snapshot.js';
import { StubProvider } from '../../../test/support/stub-provider.js';
import type { BenchContext } from '../common.js';
import { fixed } from '../stats.js';
import type { Row } from '../table.js';

const MINUTE = 60_000;
const QUEUED_MS = 40 * MINUTE;
const TRAINING_MS = 120 * MINUTE;
const UPLOADING_MS = 6 * MINUTE;
/** The provider's ETA says 3% less than the truth, as estimates tend to. */
const ETA_OPTIMISM = 0.97;
const RUNS = 100;
/** The runs' training times spread over this much, more than the longest wait near the end. */
const SPREAD_MS = 5 * MINUTE;
/** Requests one idle poll costs (row 1). */
const REQUESTS_PER_POLL: Record<'together' | 'openai', number> = { together: 1, openai: 2 };

interface Timeline {
  provider: 'together' | 'openai';
  /** When the job ends, from the first poll. */
  endMs: number;
  at(ms: number): { status: string; etaSeconds?: number };
}

function timeline(provider: 'together' | 'openai', extraTrainingMs: number): Timeline {
  const trainingEnd = QUEUED_MS + TRAINING_MS + extraTrainingMs;
  const endMs = trainingEnd + (provider === 'together' ? UPLOADING_MS : 0);
  return {
    provider,
    endMs,
    at(ms) {
      if (ms >= endMs) return { status: provider === 'together' ? 'completed' : 'succeeded' };
      if (ms >= trainingEnd) return { status: 'uploading' };
      if (ms < QUEUED_MS) return { status: 'queued' };
      return { status: 'running', etaSeconds: Math.round(((endMs - ms) * ETA_OPTIMISM) / 1000) };
    },
  };
}

/** The job as the timeline has it at the fake clock's time; no events, checkpoints or metrics. */
class TimelineProvider extends StubProvider {
  readonly ref;
  reads = 0;
  seenEndAt = Number.NaN;

  constructor(
    private readonly line: Timeline,
    private readonly clock: { now: number },
  ) {
    super();
    this.ref = {
      provider: line.provider as ProviderName,
      jobId: 'ft-bench',
      baseUrl: 'http://bench.invalid',
    };
  }

  async readJob(): Promise<JobSnapshot> {
    this.reads++;
    const { status, etaSeconds } = this.line.at(this.clock.now);
    const job = jobSnapshot(status, { progress: { secondsRemaining: etaSeconds } }, this.line.provider);
    if (job.state !== 'running' && Number.isNaN(this.seenEndAt)) this.seenEndAt = this.clock.now;
    return job;
  }
}

interface Outcome {
  polls: number;
  lagMs: number;
  longestWaitMs: number;
}

async function simulate(
  provider: 'together' | 'openai',
  intervalMs: number,
  pace: 'fixed' | 'adaptive',
  explicit: boolean,
): Promise<Outcome> {
  let polls = 0;
  let lagMs = 0;
  let longestWaitMs = 0;
  const random = seededRandom(6);
  for (let run = 0; run < RUNS; run++) {
    const clock = { now: 0 };
    const line = timeline(provider, random() * SPREAD_MS);
    const source = new TimelineProvider(line, clock);
    await watch(
      source,
      { has: () => false, accept: (events) => [...events] },
      { status: () => undefined, events: () => undefined, heartbeat: () => undefined },
      {
        wait: true,
        pollIntervalMs: intervalMs,
        pollIntervalExplicit: explicit,
        heartbeatMs: 60_000,
        signal: new AbortController().signal,
        now: () => clock.now,
        sleep: async (ms) => {
          const wait = pace === 'fixed' ? intervalMs : ms;
          longestWaitMs = Math.max(longestWaitMs, wait);
          clock.now += wait;
        },
      },
    );
    polls += source.reads;
    lagMs += source.seenEndAt - line.endMs;
  }
  return { polls: polls / RUNS, lagMs: lagMs / RUNS, longestWaitMs };
}

export async function pacingRows(_ctx: BenchContext): Promise<Row[]> {
  const rows: Row[] = [];
  const cases = [
    { intervalMs: 30_000, explicit: false, label: 'poll-interval left at 30 s' },
    { intervalMs: 20_000, explicit: true, label: 'poll-interval: 20 (explicit)' },
  ];
  for (const provider of ['together', 'openai'] as const) {
    for (const { intervalMs, explicit, label } of cases) {
      const fixedPace = await simulate(provider, intervalMs, 'fixed', explicit);
      const adaptive = await simulate(provider, intervalMs, 'adaptive', explicit);
      const perPoll = REQUESTS_PER_POLL[provider];
      const change = adaptive.polls / fixedPace.polls - 1;
      const ceilingKept = !explicit || adaptive.longestWaitMs <= intervalMs;
      rows.push({
        group: '1+2 adaptive pace (3 h job)',
        case: `${provider === 'together' ? 'Together' : 'OpenAI/Nebius'}, ${label}`,
        result: `${fixed(fixedPace.polls * perPoll, 0)} → ${fixed(adaptive.polls * perPoll, 0)} requests`,
        target: explicit ? `no wait > ${intervalMs / 1000} s` : 'fewer, end seen sooner',
        verdict: (explicit ? ceilingKept : change < 0 && adaptive.lagMs < fixedPace.lagMs) ? 'met' : 'missed',
        detail: `${change >= 0 ? '+' : ''}${fixed(change * 100, 0)}% polls; end seen ${fixed(fixedPace.lagMs / 1000, 1)} s → ${fixed(adaptive.lagMs / 1000, 1)} s after it happened (mean of ${RUNS} runs); longest wait ${fixed(adaptive.longestWaitMs / 1000, 0)} s`,
      });
    }
  }
  return rows;
}
