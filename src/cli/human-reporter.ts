import { lossPointOf, metricsRowOf } from '../metrics.js';
import type { FtEvent, JobRef, JobSnapshot } from '../model.js';
import { describeProgress } from '../report/console-reporter.js';
import type { Log } from '../report/log.js';
import { MetricsRuns } from '../report/metrics-runs.js';
import { formatDuration, formatEventTime, oneLine, printableLines } from '../report/safe-text.js';
import type { WatchReporter } from '../engine/poll-loop.js';
import type { LiveOutput } from './live-output.js';
import type { Styles } from './terminal.js';

/**
 * What the poll loop sees, for a person: status changes and each event once, coloured by level.
 * On a terminal the progress line carries status, step, loss and time; elsewhere a heartbeat
 * line now and then says the watch is alive.
 */
export class HumanReporter implements WatchReporter {
  private lossText = '';
  private eventStep: { step: number; total?: number } | null = null;
  private readonly metricsRuns = new MetricsRuns<string>({
    event: (event) => this.formatEvent(event),
    elided: (hidden) =>
      this.prefix + this.styles.dim(`… ${hidden} more metrics events (all in the events file)`),
  });

  constructor(
    private readonly out: LiveOutput,
    private readonly log: Log,
    private readonly styles: Styles,
    private readonly ref: JobRef,
    /** Starts each line of this job's, in a set of jobs; empty for one job. */
    private readonly prefix = '',
  ) {}

  status(job: JobSnapshot, previous: JobSnapshot | null): void {
    const now = this.styles.bold(oneLine(job.providerStatus || '(none)'));
    const change = previous ? `${oneLine(previous.providerStatus)} → ${now}` : now;
    const progress = describeProgress(job);
    this.out.print([`${this.prefix}Status: ${change}${progress ? ` (${progress})` : ''}`]);
    this.showProgress(job);
  }

  events(events: readonly FtEvent[], job: JobSnapshot | null, more = false): void {
    this.out.print(this.metricsRuns.lines(events, more));
    for (const event of events) this.noteMetrics(event);
    if (job) this.showProgress(job);
  }

  heartbeat(job: JobSnapshot, quietForMs: number): void {
    if (this.out.live) {
      this.showProgress(job);
      return;
    }
    const progress = describeProgress(job);
    this.out.print([
      `${this.prefix}Still ${oneLine(job.providerStatus)}${progress ? `: ${progress}` : ''} (no new events for ${formatDuration(quietForMs)})`,
    ]);
  }

  private showProgress(job: JobSnapshot): void {
    const parts = [oneLine(job.providerStatus || 'waiting', 40)];
    const progress = describeProgress(job);
    if (progress) parts.push(progress);
    else if (this.eventStep)
      parts.push(
        `step ${this.eventStep.step}${this.eventStep.total === undefined ? '' : ` of ${this.eventStep.total}`}`,
      );
    if (this.lossText) parts.push(this.lossText);
    this.out.setProgress(`${this.prefix}${parts.join(' · ')}`);
  }

  /** OpenAI-style metrics events carry the step and loss the job object lacks. */
  private noteMetrics(event: FtEvent): void {
    const row = metricsRowOf(event);
    const point = row ? lossPointOf(row) : null;
    if (!row || !point) return;
    const total = row.total_steps;
    this.eventStep = { step: point.step, ...(total !== undefined && { total }) };
    const loss = point.trainLoss ?? point.validLoss;
    if (loss !== undefined) this.lossText = `loss ${Number(loss.toPrecision(4))}`;
  }

  private formatEvent(event: FtEvent): string[] {
    const time = formatEventTime(event.createdAt);
    const level = event.level.padEnd(7);
    const coloured =
      event.level === 'error'
        ? this.styles.red(level)
        : event.level === 'warning'
          ? this.styles.yellow(level)
          : this.styles.dim(level);
    const [first = '', ...rest] = printableLines(event.message);
    const indent = ' '.repeat(time.length + level.length + 4);
    return [
      `${this.prefix}${this.styles.dim(oneLine(time, 40))}  ${coloured}  ${first}`,
      ...rest.map((l) => this.prefix + indent + l),
    ];
  }
}
