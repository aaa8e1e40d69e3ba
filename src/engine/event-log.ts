import { appendFileSync, writeFileSync } from 'node:fs';
import { eventRecord } from '../event-record.js';
import { metricsRowOf } from '../metrics.js';
import type { FtEvent, MetricsRow } from '../model.js';
import type { SeenEvents } from '../providers/index.js';
import type { EventFacts } from './job-report.js';

const RECENT_EVENTS = 50;
/** Events written to the file per call. */
const WRITE_SLICE = 1_000;
/**
 * Metrics rows kept from events: charts show at most a few dozen points, and 100,000 metrics
 * events kept whole (and then sorted and charted) cost more memory than the rest of the run.
 */
const MAX_METRIC_ROWS = 1_000;

/**
 * Every distinct event once, in the order accepted (oldest first), written to an NDJSON file as
 * it arrives, with the few facts later steps need. Holds keys and a short tail, not the events,
 * so a 100,000-event history costs little memory.
 */
export class EventLog implements SeenEvents {
  private readonly keys = new Set<string>();
  private readonly tail: FtEvent[] = [];
  private metricRows: MetricsRow[] = [];
  /** Keep every `metricStride`-th metrics row; doubles each time the kept rows reach the maximum. */
  private metricStride = 1;
  private metricCount = 0;
  private newestMetricRow: MetricsRow | null = null;
  /** The latest value of every metric any event carried, so thinning loses no latest value. */
  private readonly latestMetricValues: MetricsRow = {};
  private lastError: string | null = null;
  private lastModelPath: string | null = null;

  /**
   * `jobId`: the job the events are of, written on every line, for a file several jobs share
   * (which is then not emptied: each job's log appends to it).
   */
  constructor(
    readonly filePath: string,
    private readonly jobId: string | null = null,
  ) {
    if (jobId === null) writeFileSync(filePath, '');
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  get count(): number {
    return this.keys.size;
  }

  /** Keeps the events not seen before (duplicates within the batch included) and returns them. */
  accept(candidates: readonly FtEvent[]): FtEvent[] {
    const fresh: FtEvent[] = [];
    for (const event of candidates) {
      if (this.keys.has(event.key)) continue;
      this.keys.add(event.key);
      fresh.push(event);
      if (event.level === 'error' && event.message.trim() !== '') this.lastError = event.message;
      if (event.modelPath) this.lastModelPath = event.modelPath;
      const row = metricsRowOf(event);
      if (row) this.keepMetricRow(row);
    }
    if (fresh.length > 0) {
      // In slices: a first read of a long history brings 100,000 events, and one string of all
      // their lines would be tens of MB held at once.
      for (let i = 0; i < fresh.length; i += WRITE_SLICE) {
        appendFileSync(
          this.filePath,
          fresh
            .slice(i, i + WRITE_SLICE)
            .map((event) => `${JSON.stringify(this.recordOf(event))}\n`)
            .join(''),
        );
      }
      this.tail.push(...fresh.slice(-RECENT_EVENTS));
      if (this.tail.length > RECENT_EVENTS) this.tail.splice(0, this.tail.length - RECENT_EVENTS);
    }
    return fresh;
  }

  private recordOf(event: FtEvent): Record<string, unknown> {
    return this.jobId === null ? eventRecord(event) : { job_id: this.jobId, ...eventRecord(event) };
  }

  /** What the report takes from the events. */
  facts(): EventFacts {
    const newest = this.newestMetricRow;
    return {
      count: this.count,
      filePath: this.filePath,
      recent: this.tail.slice(-RECENT_EVENTS),
      lastErrorMessage: this.lastError,
      newestModelPath: this.lastModelPath,
      // All metrics rows up to MAX_METRIC_ROWS, else evenly spaced ones, the newest always included.
      metricRows:
        newest === null || this.metricRows.at(-1) === newest ? this.metricRows : [...this.metricRows, newest],
      latestMetrics: this.latestMetricValues,
    };
  }

  private keepMetricRow(row: MetricsRow): void {
    Object.assign(this.latestMetricValues, row);
    this.newestMetricRow = row;
    if (this.metricCount++ % this.metricStride !== 0) return;
    this.metricRows.push(row);
    if (this.metricRows.length >= MAX_METRIC_ROWS) {
      this.metricRows = this.metricRows.filter((_, i) => i % 2 === 0);
      this.metricStride *= 2;
    }
  }
}
