import type { HttpClient } from '../http/http-client.js';
import type { Checkpoint, FtEvent, JobRef, JobSnapshot, MetricsRow } from '../model.js';
import { digest, OccurrenceCounter } from './fields.js';
import type { Provider } from './provider.js';

/**
 * Events for platforms without an events endpoint (Fireworks, Bedrock, Vertex AI): each change
 * of status the action sees, with the platform's status message, becomes an event
 * (`type: "status"`), in the log and in events-file, so a reader still sees the job move.
 */
export class StatusEvents {
  private last: string | null = null;
  private pending: FtEvent[] = [];
  private readonly occurrences = new OccurrenceCounter();

  /**
   * Notes a job read: a new status, or the same status with a new message, is an event.
   * `at` is when the platform says the change happened (its update time), else now.
   */
  observe(job: JobSnapshot, message: string | null, at: string | null): void {
    const text = message ? `${job.providerStatus}: ${message}` : job.providerStatus;
    if (text === this.last) return;
    this.last = text;
    const level = job.state === 'failed' ? 'error' : 'info';
    this.pending.push({
      key: `status:${this.occurrences.next(digest(text))}`,
      id: null,
      createdAt: at ?? new Date().toISOString(),
      level,
      type: 'status',
      message: text,
      data: null,
      modelPath: null,
    });
  }

  /** The events not handed out yet, oldest first. */
  take(): FtEvent[][] {
    const events = this.pending;
    this.pending = [];
    return events.length > 0 ? [events] : [];
  }
}

/**
 * What a Provider for such a platform shares: its events are the status changes its job reads
 * note (`this.changes.observe`), handed out on the next events read; no event announces the end,
 * no checkpoint names a fallback model, and checkpoints and metric rows are none unless the
 * platform overrides them.
 */
export abstract class StatusEventsProvider implements Provider {
  /** The job's events are its status changes, seen on each read of the job. */
  readonly eventsInJob = true;
  protected readonly changes = new StatusEvents();

  constructor(
    readonly ref: JobRef,
    protected readonly client: HttpClient,
  ) {}

  abstract readJob(signal: AbortSignal): Promise<JobSnapshot>;
  abstract cancel(signal: AbortSignal, maxAttempts?: number): Promise<JobSnapshot | null>;

  async readNewEvents(): Promise<Iterable<FtEvent[]>> {
    return this.changes.take();
  }

  async readCheckpoints(): Promise<Checkpoint[]> {
    return [];
  }

  async readMetricRows(): Promise<MetricsRow[]> {
    return [];
  }

  fallbackModel(): string | null {
    return null;
  }

  isTerminalEvent(): boolean {
    return false;
  }
}
