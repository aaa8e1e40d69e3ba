import { Input } from '../constants.js';
import { INPUT_DEFAULTS } from '../settings.js';
import type { JobSnapshot } from '../model.js';

/**
 * action.yml's `poll-interval` default. The runner passes every input, defaulted or not, so the
 * action cannot tell "not set" from "set to 30": exactly this value counts as "not set", and only
 * then may the pace wait longer than the interval.
 */
export const DEFAULT_POLL_INTERVAL_MS = Number(INPUT_DEFAULTS[Input.PollInterval]) * 1000;

/** Queued polls stretch by this factor each, until the cap below. */
const QUEUED_GROWTH = 1.5;
/** Longest wait while queued, as a multiple of the interval (2 minutes at the default 30 s). */
const QUEUED_MAX_FACTOR = 4;
/** Longest wait while training with a distant ETA (1 minute at the default). */
const DISTANT_ETA_MAX_FACTOR = 2;
/** With a distant ETA, aim for about this many polls over the time left. */
const POLLS_PER_ETA = 60;
/** The shortest wait when tightening: 1 s, or the interval itself when that is shorter. */
const FLOOR_MS = 1000;

/** Statuses of a job that has not started training: nothing will happen for a while. */
const QUEUED_STATUSES = new Set([
  'queued',
  'pending',
  'validating_files',
  'created',
  'job_state_creating',
  'job_state_creating_input_dataset',
  'job_state_validating',
  'job_state_pending',
  'job_state_queued',
  'job_state_re_queueing',
]);
/** Statuses after training, before the final one: the end is minutes away at most. */
const FINISHING_STATUSES = new Set([
  'compressing',
  'uploading',
  'cancel_requested',
  'job_state_writing_results',
  'job_state_cancelling',
  'stopping',
]);

export interface PaceOptions {
  /** `poll-interval`, in milliseconds. */
  intervalMs: number;
  /** The user chose the interval: never wait longer than it. */
  explicit: boolean;
}

/**
 * How long to wait between polls. The interval is the base; the job's own signals adjust it:
 *
 * - Queued (not yet training): back off by 1.5× a poll, up to 4× the interval, when the user left
 *   the interval at its default. Nothing happens in a queue but the start, and a late look at
 *   the start costs nothing, while each poll shares the user's rate limits.
 * - Training with an ETA far away: about 60 polls over the time left, between 1× and 2× the
 *   interval (again only with the default interval).
 * - Near the end, by the ETA (shorter than the interval): wait only until the ETA, so the end is
 *   seen when it happens rather than up to a whole interval later. Consecutive short waits double
 *   from a 1 s floor, so a stale ETA that keeps saying "5 s" costs a handful of extra polls, not
 *   a poll every 5 s.
 * - Near the end without an ETA (a finishing status such as `uploading`, or every step or epoch
 *   done): half the interval, at most twice the usual rate, for the few minutes such phases last.
 *
 * An explicit interval is a ceiling: the pace may tighten below it, never stretch past it.
 */
export class PollPace {
  private queuedPolls = 0;
  private shortWaits = 0;

  constructor(private readonly options: PaceOptions) {}

  /** The wait before the next poll, given the job as the last poll saw it. */
  next(job: JobSnapshot): number {
    const base = this.options.intervalMs;
    const floor = Math.min(FLOOR_MS, base);
    const phase = phaseOf(job);
    this.queuedPolls = phase === 'queued' ? this.queuedPolls + 1 : 0;
    const etaMs = etaOf(job);
    if (phase !== 'queued' && etaMs !== undefined && etaMs < base) {
      // Until the ETA, but each consecutive short wait at least doubles from the floor, so an
      // estimate that keeps saying "soon" cannot make us poll fast for more than a few polls.
      const wait = Math.min(base, Math.max(etaMs, floor * 2 ** this.shortWaits));
      this.shortWaits++;
      return Math.round(wait);
    }
    this.shortWaits = 0;
    // Finishing without an ETA: twice the rate, no more, for as long as the phase lasts.
    if (phase === 'finishing') return Math.round(Math.max(floor, base / 2));
    if (this.options.explicit) return base;
    if (phase === 'queued')
      return Math.round(Math.min(base * QUEUED_MAX_FACTOR, base * QUEUED_GROWTH ** (this.queuedPolls - 1)));
    if (etaMs !== undefined)
      return Math.round(Math.min(base * DISTANT_ETA_MAX_FACTOR, Math.max(base, etaMs / POLLS_PER_ETA)));
    return base;
  }
}

type Phase = 'queued' | 'training' | 'finishing';

function phaseOf(job: JobSnapshot): Phase {
  const status = job.providerStatus.trim().toLowerCase();
  if (QUEUED_STATUSES.has(status)) return 'queued';
  if (FINISHING_STATUSES.has(status)) return 'finishing';
  const { step, totalSteps, epochsCompleted, totalEpochs, percent } = job.progress;
  if (percent !== undefined && percent >= 100) return 'finishing';
  if (step !== undefined && totalSteps !== undefined && totalSteps > 0 && step >= totalSteps)
    return 'finishing';
  if (
    epochsCompleted !== undefined &&
    totalEpochs !== undefined &&
    totalEpochs > 0 &&
    epochsCompleted >= totalEpochs
  )
    return 'finishing';
  return 'training';
}

/** The provider's estimate of the time left, when it gives a usable one. */
function etaOf(job: JobSnapshot): number | undefined {
  const seconds = job.progress.secondsRemaining;
  return seconds !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
