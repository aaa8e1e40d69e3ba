import type { ProviderName } from '../constants.js';
import type { AuthStrategy } from '../http/auth.js';
import type { Headers } from '../http/body.js';
import type { JobList } from '../http/batching-client.js';
import type { HttpClient } from '../http/http-client.js';
import type { Checkpoint, FtEvent, JobRef, JobSnapshot, MetricsRow } from '../model.js';
import type { Settings } from '../settings.js';
import type { StatusTable } from '../status.js';
import type { Vocabulary } from '../vocabulary.js';

/** What a platform checks its settings against. */
export interface SettingsContext {
  jobId: string;
  env: NodeJS.ProcessEnv;
  vocabulary: Vocabulary;
}

/** A problem with a setting, as a sentence that says what to change. */
export interface Problem {
  problem: string;
}

/**
 * One fine-tuning platform: what the rest of the action needs to know of it, in one place. A new
 * platform is a new module exporting one of these, registered in providers/index.ts.
 */
export interface Platform {
  readonly name: ProviderName;
  readonly displayName: string;
  /** What its job ids look like, for messages: `ft-…`. */
  readonly jobIdForm: string;
  /** The variable read for the key when `api-key` is empty; null: the cloud's own credentials, no key. */
  readonly keyVariable: string | null;
  /** The API root when `base-url` is empty, where one is fixed; null when it is derived or required. */
  readonly defaultBaseUrl: string | null;
  /** Its statuses in our words; any other is treated as still running, with a warning. */
  readonly statuses: StatusTable;
  /** What is wrong with a job id (a phrase after the input's name: "must be …"), or null. */
  checkJobId(jobId: string): string | null;
  /** The API root to use, from `base-url` (null when empty), the job id and the environment. */
  resolveBaseUrl(given: URL | null, context: SettingsContext): string | Problem;
  /** How requests prove who sends them: the key in a header, or the cloud's credentials, found now. */
  auth(settings: Settings, env: NodeJS.ProcessEnv): Promise<AuthStrategy>;
  /** The sentence for credentials the platform refused (401/403); `where` is the request and its answer. */
  credentialsRefused(where: string, ref: JobRef, vocabulary: Vocabulary): string;
  /** The human part of an error body, as this platform writes them. */
  errorDetail(text: string, headers: Headers): string;
  /** Where a person can look at the job, when the platform has such a page. */
  dashboardUrl(ref: JobRef): string | null;
  create(ref: JobRef, client: HttpClient, options?: CreateOptions): Provider;
  /** One request for many jobs' statuses, where the platform lists jobs (a set of jobs uses it). */
  readonly jobList?: JobList;
}

export interface CreateOptions {
  /**
   * One of several jobs in a step: hold no large buffer from one poll to the next (fifty jobs'
   * reused buffers would add up to hundreds of MB where one job's is a saving).
   */
  inSet?: boolean;
}

/** How a read may go: its signal, and how long transient faults may hold it before it gives up. */
export interface ReadOptions {
  signal: AbortSignal;
  /** Give up once faults have kept a request from an answer this long (see CallOptions); default: until the signal. */
  retryForMs?: number;
}

/** What the poll loop asks of a provider. Every quirk of one provider stays behind it. */
export interface Provider {
  readonly ref: JobRef;
  /**
   * The job object carries the events (Together). Events taken from a job read are then as old
   * as that read, so after the final status the events endpoint must still be read once more.
   */
  readonly eventsInJob: boolean;
  /** One read of the job object. */
  readJob(signal: AbortSignal): Promise<JobSnapshot>;
  /**
   * Events not handed out before, oldest first, in batches: a long history's first read would
   * otherwise be 100,000 events held at once. Batches may be made as they are iterated, so one
   * is taken before the next and before anything else is asked of the provider. When `job`
   * embeds the event list (Together) it is used instead of another request; without it the
   * events endpoint is read.
   */
  readNewEvents(read: ReadOptions, seen: SeenEvents, job?: JobSnapshot): Promise<Iterable<FtEvent[]>>;
  readCheckpoints(signal: AbortSignal): Promise<Checkpoint[]>;
  /** Metrics from a dedicated endpoint (Together); [] where metrics come only with events or checkpoints. */
  readMetricRows(signal: AbortSignal): Promise<MetricsRow[]>;
  /** The model to report when the job names none but its checkpoints do (Nebius); else null. */
  fallbackModel(checkpoints: readonly Checkpoint[]): string | null;
  /** Asks the provider to cancel; returns the job as the provider then describes it, when it does. */
  cancel(signal: AbortSignal, maxAttempts?: number): Promise<JobSnapshot | null>;
  /** An event that announces the end (job_complete, job_error, …): worth an immediate status check. */
  isTerminalEvent(event: FtEvent): boolean;
}

/** Events handed out at a time: a long history's first read is accepted and printed in such steps. */
export const EVENT_BATCH_SIZE = 2_000;

/** Items in batches of EVENT_BATCH_SIZE, each made as it is taken. */
export function* inBatches<T>(items: Iterable<T>): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === EVENT_BATCH_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export interface SeenEvents {
  has(key: string): boolean;
}

/** The events not seen before, checked as they are taken (a batch taken marks its events seen). */
export function* unseen(events: Iterable<FtEvent>, seen: SeenEvents): Generator<FtEvent> {
  for (const event of events) if (!seen.has(event.key)) yield event;
}
