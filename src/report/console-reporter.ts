import { platformOf } from '../providers/index.js';
import type { FtEvent, JobRef, JobSnapshot } from '../model.js';
import type { WatchReporter } from '../engine/poll-loop.js';
import { formatDuration, formatEventTime } from './safe-text.js';
import type { Log } from './log.js';
import { MetricsRuns } from './metrics-runs.js';

/** Prints what the poll loop sees: status changes, each event once, and calm heartbeats. */
export class ConsoleReporter implements WatchReporter {
  private readonly metricsRuns = new MetricsRuns<string>({
    event: (event) => [formatEvent(event)],
    elided: (hidden) => `… ${hidden} more metrics events (all in the events file)`,
  });

  constructor(
    private readonly log: Log,
    private readonly ref: JobRef,
  ) {}

  status(job: JobSnapshot, previous: JobSnapshot | null): void {
    const change = previous ? `${previous.providerStatus} → ${job.providerStatus}` : job.providerStatus;
    const progress = describeProgress(job);
    this.log.line(`Status: ${change}${progress ? ` (${progress})` : ''}`);
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
  if (job.state === 'running' && progress.secondsRemaining !== undefined && progress.secondsRemaining > 0) {
    parts.push(`about ${formatDuration(progress.secondsRemaining * 1000)} left`);
  }
  return parts.join(', ');
}
