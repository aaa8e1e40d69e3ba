import type { FtEvent, JobSnapshot } from './model.js';
import { DEFAULT_POLL_INTERVAL_MS, PollPace } from './poll-pace.js';
import type { Provider, SeenEvents } from './providers/index.js';
import { sleep as realSleep } from './sleep.js';
import { isFinal } from './status.js';

/** Where printed output goes; the loop itself knows nothing of consoles or annotations. */
export interface WatchReporter {
  /** The provider's status string changed (or was read for the first time). */
  status(job: JobSnapshot, previous: JobSnapshot | null): void;
  /**
   * New events, oldest first, each reported once. A long read arrives in batches; `more` says
   * that further batches of the same read follow.
   */
  events(events: readonly FtEvent[], job: JobSnapshot | null, more: boolean): void;
  /** Nothing changed for a while. */
  heartbeat(job: JobSnapshot, quietForMs: number): void;
}

export interface EventSink extends SeenEvents {
  /** Returns the events not seen before and remembers them. */
  accept(events: readonly FtEvent[]): FtEvent[];
}

export interface WatchOptions {
  /** false: read once and return, never sleep. */
  wait: boolean;
  pollIntervalMs: number;
  /**
   * The user chose `pollIntervalMs`, so no wait may exceed it. Default: chosen unless it is
   * action.yml's default (30 s), which the runner passes whether or not the user wrote it.
   */
  pollIntervalExplicit?: boolean;
  /**
   * Called once, as soon as a job read returns a final status, before the last read of events:
   * the caller can start its own last reads (checkpoints, metrics) alongside it.
   */
  onFinal?: (job: JobSnapshot) => void;
  /** Print a heartbeat after this long without any other line. */
  heartbeatMs: number;
  /** Aborts on our deadline or when the runner cancels the step; its reason says which. */
  signal: AbortSignal;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export type WatchEnd =
  /** The job reached a final state. */
  | 'final'
  /** `wait: false`: read once. */
  | 'checked'
  /** The signal aborted (deadline or cancellation): see `stopReason`. */
  | 'stopped';

export interface WatchResult {
  job: JobSnapshot | null;
  end: WatchEnd;
  stopReason?: unknown;
}

/**
 * The provider-agnostic poll loop: read the job, then its new events; a terminal event
 * prompts an immediate re-read of the job; after a final status the events are read once more
 * so trailing ones are not lost. Between polls it waits as long as the pace says (poll-pace.ts:
 * longer while queued, shorter near the end). Transient faults are retried below this loop (in
 * the HTTP client), so what reaches here is either data, an abort, or an error that ends the step.
 */
export async function watch(
  provider: Provider,
  sink: EventSink,
  reporter: WatchReporter,
  options: WatchOptions,
): Promise<WatchResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const { signal } = options;
  let job: JobSnapshot | null = null;
  let lastActivity = now();
  const pace = new PollPace({
    intervalMs: options.pollIntervalMs,
    explicit: options.pollIntervalExplicit ?? options.pollIntervalMs !== DEFAULT_POLL_INTERVAL_MS,
  });

  const readJob = async () => {
    const previous = job;
    job = await provider.readJob(signal);
    if (isFinal(job.state) && (previous === null || !isFinal(previous.state))) options.onFinal?.(job);
    if (previous === null || previous.providerStatus !== job.providerStatus) {
      reporter.status(job, previous);
      lastActivity = now();
    }
    return job;
  };
  /** Reads and reports new events; true when one of them announces the end. */
  const readEvents = async (fromJob?: JobSnapshot) => {
    let terminal = false;
    // Each batch is reported when the next one is in, so the reporter knows which is the last.
    let previous: FtEvent[] | null = null;
    for (const batch of await provider.readNewEvents(signal, sink, fromJob)) {
      const fresh = sink.accept(batch);
      if (fresh.length === 0) continue;
      if (previous) reporter.events(previous, job, true);
      terminal ||= fresh.some((event) => provider.isTerminalEvent(event));
      previous = fresh;
    }
    if (previous) {
      reporter.events(previous, job, false);
      lastActivity = now();
    }
    return terminal;
  };

  try {
    for (;;) {
      let current = await readJob();
      // Events read from the provider after this job read are newer than its status.
      let eventsReadAfterStatus = !provider.eventsInJob;
      const sawTerminalEvent = await readEvents(current);
      if (!isFinal(current.state) && sawTerminalEvent) {
        current = await readJob();
        eventsReadAfterStatus = false;
      }
      if (isFinal(current.state)) {
        // Events can trail the final status; they are read once after it was seen, and the read
        // just made counts when it went to the provider after the status did.
        if (!eventsReadAfterStatus) await readEvents();
        return { job: current, end: 'final' };
      }
      if (!options.wait) return { job: current, end: 'checked' };
      if (now() - lastActivity >= options.heartbeatMs) {
        reporter.heartbeat(current, now() - lastActivity);
        lastActivity = now();
      }
      await sleep(pace.next(current), signal);
    }
  } catch (error) {
    if (signal.aborted) return { job, end: 'stopped', stopReason: signal.reason };
    throw error;
  }
}
