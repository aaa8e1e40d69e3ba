import { ApiError, AuthError, TransientError } from '../errors.js';
import type { FtEvent, JobSnapshot } from '../model.js';
import { DEFAULT_POLL_INTERVAL_MS, PollPace } from './poll-pace.js';
import type { Provider, SeenEvents } from '../providers/index.js';
import { sleep as realSleep } from '../timers.js';
import { isFinal } from '../status.js';

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
  /**
   * Events reads give up once faults have held them this long: the job's status decides the
   * outcome, and a broken events route must not hold the watch. Default: never give up.
   */
  eventsRetryForMs?: number;
  /**
   * The events could not be read. `final`: the read after the final status. `lasting`: a refusal
   * that will not pass (404, a body too large); the events are then not asked for again.
   */
  onEventsError?: (error: Error, context: { final: boolean; lasting: boolean }) => void;
  /** Print a heartbeat after this long without any other line. */
  heartbeatMs: number;
  /** Aborts on our deadline or when the runner cancels the step; its reason says which. */
  signal: AbortSignal;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Runs each read of new events, e.g. in turns with the other jobs of a set (turns.ts). */
  eventsTurn?: <T>(read: () => Promise<T>) => Promise<T>;
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
  let eventsUnreadable = false;
  const readEventsNow = async (fromJob?: JobSnapshot, final = false) => {
    if (eventsUnreadable) return false;
    let terminal = false;
    // Each batch is reported when the next one is in, so the reporter knows which is the last.
    let previous: FtEvent[] | null = null;
    try {
      const read = { signal, retryForMs: options.eventsRetryForMs };
      for (const batch of await provider.readNewEvents(read, sink, fromJob)) {
        const fresh = sink.accept(batch);
        if (fresh.length === 0) continue;
        if (previous) reporter.events(previous, job, true);
        terminal ||= fresh.some((event) => provider.isTerminalEvent(event));
        previous = fresh;
      }
    } catch (error) {
      if (signal.aborted || !isEventsFault(error)) throw error;
      const lasting = !(error instanceof TransientError);
      eventsUnreadable ||= lasting;
      options.onEventsError?.(error, { final, lasting });
    } finally {
      // Accepted events are always reported, also when a later batch of the same read failed.
      if (previous) {
        reporter.events(previous, job, false);
        lastActivity = now();
      }
    }
    return terminal;
  };

  // Events are read in turns (a set's jobs take them a few at a time). Where the job's body
  // carries its events (Together), each job read is an events read: the whole poll is one turn,
  // so no job holds its list while it waits for the turn to read it.
  const eventsTurn = options.eventsTurn ?? (<T>(read: () => Promise<T>) => read());
  const pollTurn = provider.eventsInJob ? eventsTurn : <T>(poll: () => Promise<T>) => poll();
  /** Reads and reports new events; true when one of them announces the end. */
  const readEvents = provider.eventsInJob
    ? readEventsNow
    : (fromJob?: JobSnapshot, final = false) => eventsTurn(() => readEventsNow(fromJob, final));

  /** One poll: the job, its new events, and what a terminal event or a final status asks for. */
  const poll = async (): Promise<{ current: JobSnapshot; final: boolean }> => {
    let current = await readJob();
    // Events read from the provider after this job read are newer than its status.
    let eventsReadAfterStatus = !provider.eventsInJob;
    const sawTerminalEvent = await readEvents(current);
    if (!isFinal(current.state) && sawTerminalEvent) {
      current = await readJob();
      eventsReadAfterStatus = false;
      // The events that came with the re-read (Together embeds them): now, or with `wait: false` never.
      if (provider.eventsInJob && !isFinal(current.state)) await readEvents(current);
    }
    if (!isFinal(current.state)) return { current, final: false };
    // Events can trail the final status; they are read once after it was seen, and the read
    // just made counts when it went to the provider after the status did.
    if (!eventsReadAfterStatus) await readEvents(undefined, true);
    return { current, final: true };
  };

  try {
    for (;;) {
      const { current, final } = await pollTurn(poll);
      if (final) return { job: current, end: 'final' };
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

/**
 * Faults of an events read that the job's status outlives: transient ones that outlasted their
 * window, a missing route, a refused or oversized answer. A refused key is not one of them.
 */
function isEventsFault(error: unknown): error is Error {
  if (error instanceof AuthError) return false;
  return error instanceof TransientError || error instanceof ApiError;
}
