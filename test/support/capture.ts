import type { FtEvent, JobSnapshot } from '../../src/model.js';
import type { Log } from '../../src/report/log.js';
import type { WatchReporter } from '../../src/engine/poll-loop.js';

/** A Log that keeps every line, for runs of the engine inside the test process. */
export class CapturingLog implements Log {
  readonly printed: string[] = [];
  readonly warnings: string[] = [];

  line(text: string): void {
    this.printed.push(text);
  }

  lines(texts: readonly string[]): void {
    this.printed.push(...texts);
  }

  warning(text: string): void {
    this.warnings.push(text);
  }

  eventWarning(message: string): void {
    this.warnings.push(message);
  }

  eventError(message: string): void {
    this.warnings.push(message);
  }
}

/** A reporter that records what the poll loop hands it. */
export class CapturingReporter implements WatchReporter {
  readonly seen: FtEvent[] = [];
  readonly statuses: string[] = [];
  heartbeats = 0;

  status(job: JobSnapshot): void {
    this.statuses.push(job.providerStatus);
  }

  events(events: readonly FtEvent[]): void {
    this.seen.push(...events);
  }

  heartbeat(): void {
    this.heartbeats++;
  }
}
