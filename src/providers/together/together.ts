import * as z from 'zod/mini';
import { TransientError } from '../../errors.js';
import { bearerKey } from '../../http/auth.js';
import { type HttpClient, jsonBody } from '../../http/http-client.js';
import { numbersOnly } from '../../metrics.js';
import type { Checkpoint, FtEvent, JobRef, JobSnapshot, MetricsRow } from '../../model.js';
import { classifyStatus, type StatusTable } from '../../status.js';
import { providerMessage } from '../error-body.js';
import { anyJobId, fixedBaseUrl, keyAuth, keyRefused } from '../key-platforms.js';
import { JsonListText } from './json-list.js';
import { ListBodies } from './list-bodies.js';
import {
  count,
  flag,
  instant,
  lenient,
  listPage,
  OccurrenceCounter,
  readEvent,
  text,
  toIso,
} from '../fields.js';
import {
  inBatches,
  type Platform,
  type Provider,
  type ReadOptions,
  type SeenEvents,
  unseen,
} from '../provider.js';

const STATUSES: StatusTable = {
  completed: 'succeeded',
  error: 'failed',
  user_error: 'failed',
  cancelled: 'cancelled',
  pending: 'running',
  queued: 'running',
  running: 'running',
  compressing: 'running',
  uploading: 'running',
  cancel_requested: 'running',
};

export const together: Platform = {
  name: 'together',
  displayName: 'Together AI',
  jobIdForm: '`ft-…`',
  keyVariable: 'TOGETHER_API_KEY',
  defaultBaseUrl: 'https://api.together.ai/v1',
  statuses: STATUSES,
  checkJobId: anyJobId,
  resolveBaseUrl: fixedBaseUrl('https://api.together.ai/v1'),
  auth: keyAuth(bearerKey),
  credentialsRefused: keyRefused('Together AI', 'TOGETHER_API_KEY'),
  errorDetail: providerMessage,
  // Together publishes no per-job page that could be confirmed.
  dashboardUrl: () => null,
  create: (ref, client, options) => new TogetherProvider(ref, client, options?.inSet ?? false),
};

/** Together's event list: located in the body and parsed an item at a time (http/json-list.ts). */
const eventList = z.union([z.instanceof(JsonListText), z.array(z.unknown())]);
type EventItems = Pick<JsonListText, 'length' | 'at'>;

const togetherJob = z.looseObject({
  status: z.string(),
  model: text,
  model_output_name: text,
  model_object_name: text,
  model_output_path: text,
  created_at: instant,
  updated_at: instant,
  n_epochs: count,
  epochs_completed: count,
  token_count: count,
  total_steps: count,
  progress: lenient(z.looseObject({ seconds_remaining: count, estimate_available: flag })),
  events: lenient(eventList),
});
const togetherEvents = z.looseObject({ data: eventList });

const togetherCheckpoint = z.looseObject({ step: count, created_at: instant, path: text });
const checkpointsBody = jsonBody(listPage);
const metricsBody = jsonBody(z.looseObject({ metrics: lenient(z.array(z.unknown())) }));
const anyBody = jsonBody(z.unknown());
const TERMINAL_TYPES = new Set(['job_complete', 'job_error', 'job_stopped', 'job_cancelled', 'job_failed']);
const FINAL_STATUSES = new Set(['completed', 'error', 'user_error', 'cancelled']);

/**
 * Together AI: `/fine-tunes/{id}` embeds the whole event list, oldest first, without ids, on
 * every call. Events are identified by their content plus how many identical ones came before,
 * and a cursor into the list makes each poll cost only its new events.
 */
export class TogetherProvider implements Provider {
  private consumed = 0;
  private lastDigest = '';
  private readonly occurrences = new OccurrenceCounter();
  /**
   * The list the latest job read embedded, until readNewEvents takes its new items. A snapshot
   * does not hold it: it is the whole history, sent again on every poll.
   */
  private embedded: EventItems | null = null;
  private readonly lists = new ListBodies();
  private readonly jobBody = this.lists.decoder('job', 'events', togetherJob);
  private readonly eventsBody = this.lists.decoder('events', 'data', togetherEvents);

  readonly eventsInJob = true;

  constructor(
    readonly ref: JobRef,
    private readonly client: HttpClient,
    /** In a set: the bodies' buffer is let go once a poll's events are taken (CreateOptions). */
    private readonly releaseBuffers = false,
  ) {}

  private get path(): string {
    return `/fine-tunes/${encodeURIComponent(this.ref.jobId)}`;
  }

  async readJob(signal: AbortSignal): Promise<JobSnapshot> {
    const body = await this.client.get(this.path, this.jobBody, { signal });
    // A later read's list holds everything an earlier one did (the cursor decides what is new).
    this.embedded = body.events ?? null;
    return toSnapshot(body);
  }

  async readNewEvents(read: ReadOptions, seen: SeenEvents, job?: JobSnapshot): Promise<Iterable<FtEvent[]>> {
    let items = job === undefined ? null : this.embedded;
    this.embedded = null;
    if (items === null) {
      items = (await this.client.get(`${this.path}/events`, this.eventsBody, read)).data;
    }
    return this.newEvents(items, seen);
  }

  /**
   * The items past the cursor while the list still starts as it did, else the whole list again,
   * read and handed out a batch at a time.
   */
  private *newEvents(items: EventItems, seen: SeenEvents): Generator<FtEvent[]> {
    try {
      yield* inBatches(unseen(this.takeNewItems(items), seen));
    } catch (error) {
      // Old items are checked only when read again (http/json-list.ts): one can turn out broken.
      if (error instanceof SyntaxError)
        throw new TransientError(`Together's event list could not be read: ${error.message}`);
      throw error;
    } finally {
      if (this.releaseBuffers) this.lists.release();
    }
  }

  private *takeNewItems(items: EventItems): Generator<FtEvent> {
    const observedAt = new Date().toISOString();
    const last = this.consumed > 0 ? items.at(this.consumed - 1) : undefined;
    const unchangedPrefix =
      items.length >= this.consumed &&
      (this.consumed === 0 || readEvent(last, observedAt).digest === this.lastDigest);
    if (!unchangedPrefix) {
      this.occurrences.reset();
      this.consumed = 0;
    }
    for (let i = unchangedPrefix ? this.consumed : 0; i < items.length; i++) {
      const read = readEvent(items.at(i), observedAt);
      this.lastDigest = read.digest;
      this.consumed = i + 1;
      // Together's keys are all content keys: no prefix is needed to tell them from ids.
      yield Object.assign(read.event, { key: this.occurrences.next(this.lastDigest) });
    }
  }

  async readCheckpoints(signal: AbortSignal): Promise<Checkpoint[]> {
    const page = await this.client.get(`${this.path}/checkpoints`, checkpointsBody, { signal });
    return page.data
      .map((item) => togetherCheckpoint.safeParse(item))
      .filter((parsed) => parsed.success)
      .map(({ data }) => ({
        // Together names a checkpoint `{job id}:{step}` (its `from_checkpoint` format).
        id: data.step !== null && data.step !== undefined ? `${this.ref.jobId}:${data.step}` : null,
        step: data.step ?? null,
        model: null,
        createdAt: toIso(data.created_at),
        metrics: null,
      }))
      .sort((a, b) => (a.step ?? 0) - (b.step ?? 0));
  }

  async readMetricRows(signal: AbortSignal): Promise<MetricsRow[]> {
    const body = await this.client.get(`${this.path}/metrics`, metricsBody, { signal });
    // `timestamp` (nanoseconds) says when a row was logged; it is not a training metric.
    return (body.metrics ?? [])
      .map((row) => {
        const { timestamp: _logged, ...metrics } = numbersOnly(row);
        return metrics;
      })
      .filter((row) => Object.keys(row).length > 0);
  }

  async cancel(signal: AbortSignal, maxAttempts?: number): Promise<JobSnapshot | null> {
    const body = await this.client.post(`${this.path}/cancel`, anyBody, {
      signal,
      maxAttempts,
    });
    const parsed = togetherJob.safeParse(body);
    return parsed.success ? toSnapshot(parsed.data) : null;
  }

  fallbackModel(): string | null {
    return null;
  }

  isTerminalEvent(event: FtEvent): boolean {
    return TERMINAL_TYPES.has(event.type);
  }
}

function toSnapshot(job: z.infer<typeof togetherJob>): JobSnapshot {
  const { state, known } = classifyStatus(STATUSES, job.status);
  const final = FINAL_STATUSES.has(job.status.toLowerCase());
  const secondsRemaining =
    job.progress?.estimate_available === false ? null : job.progress?.seconds_remaining;
  return {
    providerStatus: job.status,
    state,
    statusKnown: known,
    model: job.model_object_name || job.model_output_name || null,
    modelPath: job.model_output_path || null,
    error: null,
    baseModel: job.model ?? null,
    trainedTokens: job.token_count ?? null,
    createdAt: toIso(job.created_at),
    finishedAt: final ? toIso(job.updated_at) : null,
    progress: {
      epochsCompleted: job.epochs_completed ?? undefined,
      totalEpochs: job.n_epochs ?? undefined,
      totalSteps: job.total_steps ?? undefined,
      secondsRemaining: secondsRemaining ?? undefined,
    },
  };
}
