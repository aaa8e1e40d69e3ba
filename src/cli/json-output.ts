import { Output } from '../constants.js';
import { eventRecord } from '../event-record.js';
import type { FtEvent, JobSnapshot } from '../model.js';
import type { Log } from '../report/log.js';
import type { WatchReporter } from '../engine/poll-loop.js';
import type { TerminalStream } from './terminal.js';

/**
 * `--json`: one JSON object per line (NDJSON) on stdout, each with a `kind`:
 * `log` (the run's own lines), `status` (the provider's status changed), `event` (a provider
 * event, once, oldest first, shaped as in the events file), `heartbeat`, and last of all
 * `result`. Status, event and heartbeat records carry the `job_id` they are of. Nothing else is written to stdout, so `jq` can read it as it streams.
 */
export class JsonLines {
  constructor(private readonly stream: TerminalStream) {}

  write(record: Record<string, unknown>): void {
    this.stream.write(`${JSON.stringify(record)}\n`);
  }
}

export class JsonLog implements Log {
  constructor(private readonly out: JsonLines) {}

  line(text: string): void {
    this.out.write({ kind: 'log', level: 'info', message: text });
  }

  lines(texts: readonly string[]): void {
    for (const text of texts) this.line(text);
  }

  warning(text: string): void {
    this.out.write({ kind: 'log', level: 'warning', message: text });
  }

  // Event records carry their level already.
  eventWarning(): void {}

  eventError(): void {}
}

/** Every record of a job's carries its `job_id`, so the records of a set can be told apart. */
export class JsonReporter implements WatchReporter {
  constructor(
    private readonly out: JsonLines,
    private readonly jobId: string,
  ) {}

  status(job: JobSnapshot, previous: JobSnapshot | null): void {
    this.out.write({
      kind: 'status',
      job_id: this.jobId,
      provider_status: job.providerStatus,
      state: job.state,
      previous_provider_status: previous?.providerStatus ?? null,
      progress: job.progress,
    });
  }

  events(events: readonly FtEvent[]): void {
    for (const event of events) this.out.write({ kind: 'event', job_id: this.jobId, ...eventRecord(event) });
  }

  heartbeat(job: JobSnapshot, quietForMs: number): void {
    this.out.write({
      kind: 'heartbeat',
      job_id: this.jobId,
      provider_status: job.providerStatus,
      quiet_for_ms: quietForMs,
      progress: job.progress,
    });
  }
}

/** The last line: the exit code and the action's outputs, as strings, under the action's names. */
export function resultRecord(exitCode: number, outputs: Record<Output, string>): Record<string, unknown> {
  return { kind: 'result', exit_code: exitCode, outputs };
}
