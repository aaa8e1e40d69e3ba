import type { FtEvent } from '../model.js';

/** Runs of metrics events longer than this are condensed to their first and last line. */
const METRICS_RUN_SHOWN = 3;

export interface RunFormat<Line> {
  event(event: FtEvent): Line[];
  /** The line that stands for the `hidden` events between a long run's first and last. */
  elided(hidden: number): Line;
}

/**
 * Turns events into lines, except that long runs of per-step metrics keep only their ends. A
 * long read comes in batches, and a run can go on into the next batch of the same read, so an
 * open run is carried over while `more` batches follow. It keeps the run's ends and count, not
 * the run: a 100,000-event history of metrics is one run.
 */
export class MetricsRuns<Line> {
  private shown: FtEvent[] = [];
  private count = 0;
  private last: FtEvent | null = null;

  constructor(private readonly format: RunFormat<Line>) {}

  lines(events: readonly FtEvent[], more = false): Line[] {
    const lines: Line[] = [];
    for (const event of events) {
      if (event.type === 'metrics') {
        this.count++;
        this.last = event;
        if (this.shown.length < METRICS_RUN_SHOWN) this.shown.push(event);
        continue;
      }
      this.flush(lines);
      lines.push(...this.format.event(event));
    }
    if (!more) this.flush(lines);
    return lines;
  }

  private flush(lines: Line[]): void {
    if (this.count > METRICS_RUN_SHOWN && this.last) {
      lines.push(
        ...this.format.event(this.shown[0] as FtEvent),
        this.format.elided(this.count - 2),
        ...this.format.event(this.last),
      );
    } else {
      for (const event of this.shown) lines.push(...this.format.event(event));
    }
    this.shown = [];
    this.count = 0;
    this.last = null;
  }
}
