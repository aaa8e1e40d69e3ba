import type { FtEvent, JobSnapshot } from '../model.js';
import { digest, OccurrenceCounter } from './fields.js';

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
