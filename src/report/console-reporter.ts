import { platformOf } from '../providers/index.js';
import type { FtEvent, JobRef, JobSnapshot } from '../model.js';
import type { WatchReporter } from '../engine/poll-loop.js';
import { formatDuration, formatEventTime } from './safe-text.js';
import type { Log } from './log.js';
import { MetricsRuns } from './metrics-runs.js';

/**
 * Prints what the poll loop sees: status changes, each event once, and calm heartbeats. In a set
 * of jobs, each line starts with the job it is of.
 */
export class ConsoleReporter implements WatchReporter {
  private readonly prefix: string;
  private readonly metricsRuns = new MetricsRuns<string>({
    event: (event) => [`${this.prefix}${formatEvent(event)}`],
    elided: (hidden) => `${this.prefix}… ${hidden} more metrics events (all in the events file)`,
  });

  constructor(
    private readonly log: Log,
    private readonly ref: JobRef,
    inSet = false,
  ) {
    this.prefix = inSet ? `[${jobLabel(ref.jobId)}] ` : '';
  }

  status(job: JobSnapshot, previous: JobSnapshot | null): void {
    const change = previous ? `${previous.providerStatus} → ${job.providerStatus}` : job.providerStatus;
    const progress = describeProgress(job);
    this.log.line(`${this.prefix}Status: ${change}${progress ? ` (${progress})` : ''}`);
  }

  events(events: readonly FtEvent[], _job: JobSnapshot | null, more = false): void {
    this.log.lines(this.metricsRuns.lines(events, more));
    for (const event of events) {
      const title = `${platformOf(this.ref.provider).displayName} job ${this.ref.jobId}`;
      if (event.level === 'warning') this.log.eventWarning(event.message, title);
      if (event.level === 'error') this.log.eventError(event.message, title);
    }
  }

  heartbeat(job: JobSnapshot, quietForMs: number): void {
    const progress = describeProgress(job);
    this.log.line(
      `Still ${job.providerStatus}${progress ? `: ${progress}` : ''} (no new events for ${formatDuration(quietForMs)})`,
    );
  }
}

/**
 * A job's id, short enough to start a log line: the last part of a path-like name or ARN, and of
 * a long one its start and its end (the ids of a sweep often differ only at the end).
 */
export function jobLabel(jobId: string): string {
  const last = jobId.split('/').at(-1) || jobId;
  return last.length > 28 ? `${last.slice(0, 12)}…${last.slice(-12)}` : last;
}

export function formatEvent(event: FtEvent): string {
  const time = formatEventTime(event.createdAt);
  return `${time}  ${event.level.padEnd(7)}  ${event.message}`;
}

/** Step or epoch, and the time left while the job runs (a finished job's stale estimate is not shown). */
export function describeProgress(job: Pick<JobSnapshot, 'progress' | 'state'>): string {
  const { progress } = job;
  const parts: string[] = [];
  if (progress.step !== undefined && progress.totalSteps !== undefined) {
    parts.push(`step ${progress.step} of ${progress.totalSteps}`);
  } else if (progress.epochsCompleted !== undefined && progress.totalEpochs !== undefined) {
    parts.push(`epoch ${progress.epochsCompleted} of ${progress.totalEpochs}`);
  }
  if (progress.percent !== undefined) parts.push(`${Math.round(progress.percent)} %`);
  if (job.state === 'running' && progress.secondsRemaining !== undefined && progress.secondsRemaining > 0) {
    parts.push(`about ${formatDuration(progress.secondsRemaining * 1000)} left`);
  }
  return parts.join(', ');
}
