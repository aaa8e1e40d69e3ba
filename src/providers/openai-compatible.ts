import * as z from 'zod/mini';
import { bearerKey } from '../http/auth.js';
import type { JobList } from '../http/batching-client.js';
import { type HttpClient, jsonBody } from '../http/http-client.js';
import { numbersOnly } from '../metrics.js';
import type { Checkpoint, FtEvent, JobRef, JobSnapshot, MetricsRow } from '../model.js';
import { classifyStatus, type StatusTable } from '../status.js';
import { providerMessage } from './error-body.js';
import { anyJobId, fixedBaseUrl, keyAuth, keyRefused } from './key-platforms.js';
import {
  count,
  instant,
  lenient,
  listPage,
  OccurrenceCounter,
  readEvent,
  record,
  text,
  toIso,
} from './fields.js';
import { EventSpool } from './event-spool.js';
import {
  inBatches,
  type Platform,
  type Provider,
  type ReadOptions,
  type SeenEvents,
  unseen,
} from './provider.js';

/** Events per page: the largest the APIs document accepting is 100. */
export const PAGE_SIZE = 100;
/** A bound on pages per read, so a provider that always says has_more cannot loop us forever. */
const MAX_PAGES = 10_000;

const openAiJob = z.looseObject({
  status: z.string(),
  model: text,
  fine_tuned_model: text,
  error: lenient(z.looseObject({ message: text, code: text, param: text })),
  created_at: instant,
  finished_at: instant,
  estimated_finish: instant,
  trained_tokens: count,
  trained_steps: count,
  total_steps: count,
});

const jobBody = jsonBody(openAiJob);
const pageBody = jsonBody(listPage);
const anyBody = jsonBody(z.unknown());

const openAiCheckpoint = z.looseObject({
  id: text,
  step_number: count,
  fine_tuned_model_checkpoint: text,
  created_at: instant,
  metrics: record,
});

const TERMINAL_TYPES = new Set([
  'job_complete',
  'job_error',
  'job_stopped',
  'job_cancelled',
  'job_failed',
  'job_succeeded',
]);
const TERMINAL_MESSAGE =
  /\b(job|fine-?tuning job)\b.*\b(successfully completed|has failed|failed|was cancelled|cancelled|canceled)\b/i;

/** OpenAI's statuses; Nebius Token Factory follows them. `created` and `pending` are older names. */
export const OPENAI_STATUSES: StatusTable = {
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  validating_files: 'running',
  queued: 'running',
  running: 'running',
  paused: 'running',
  created: 'running',
  pending: 'running',
};

/** `GET /fine_tuning/jobs`: the newest jobs of the organisation, a hundred at most, newest first. */
export const OPENAI_JOB_LIST: JobList = {
  path: '/fine_tuning/jobs',
  query: { limit: 100 },
  jobPath: (jobId) => `/fine_tuning/jobs/${encodeURIComponent(jobId)}`,
  itemsOf: (body) => {
    const data = (body as { data?: unknown } | null)?.data;
    const items = new Map<string, unknown>();
    if (Array.isArray(data))
      for (const item of data) {
        const id = (item as { id?: unknown } | null)?.id;
        if (typeof id === 'string') items.set(id, item);
      }
    return items;
  },
};

export const openai: Platform = {
  name: 'openai',
  displayName: 'OpenAI',
  jobIdForm: '`ftjob-…`',
  keyVariable: 'OPENAI_API_KEY',
  defaultBaseUrl: 'https://api.openai.com/v1',
  statuses: OPENAI_STATUSES,
  checkJobId: anyJobId,
  resolveBaseUrl: fixedBaseUrl('https://api.openai.com/v1'),
  auth: keyAuth(bearerKey),
  credentialsRefused: keyRefused('OpenAI', 'OPENAI_API_KEY'),
  errorDetail: providerMessage,
  // Only against OpenAI's own API: through a proxy or a test server the link would point elsewhere.
  dashboardUrl: (ref) =>
    ref.baseUrl === openai.defaultBaseUrl
      ? `https://platform.openai.com/finetune/${encodeURIComponent(ref.jobId)}`
      : null,
  create: (ref, client) =>
    new OpenAiCompatibleProvider(ref, client, {
      statuses: OPENAI_STATUSES,
      expectedOrder: 'newest-first',
      checkpointAsModel: false,
    }),
  jobList: OPENAI_JOB_LIST,
};

export const nebius: Platform = {
  name: 'nebius',
  displayName: 'Nebius Token Factory',
  jobIdForm: '`ftjob-…`',
  keyVariable: 'NEBIUS_API_KEY',
  defaultBaseUrl: 'https://api.tokenfactory.nebius.com/v1',
  statuses: OPENAI_STATUSES,
  checkJobId: anyJobId,
  resolveBaseUrl: fixedBaseUrl('https://api.tokenfactory.nebius.com/v1'),
  auth: keyAuth(bearerKey),
  credentialsRefused: keyRefused('Nebius Token Factory', 'NEBIUS_API_KEY'),
  errorDetail: providerMessage,
  // Nebius publishes no per-job page that could be confirmed.
  dashboardUrl: () => null,
  // Nebius follows OpenAI's shape but has been seen answering oldest first: the order is learnt.
  create: (ref, client) =>
    new OpenAiCompatibleProvider(ref, client, {
      statuses: OPENAI_STATUSES,
      expectedOrder: null,
      checkpointAsModel: true,
    }),
  jobList: OPENAI_JOB_LIST,
};

export type EventOrder = 'newest-first' | 'oldest-first';

export interface OpenAiCompatibleOptions {
  statuses: StatusTable;
  /**
   * What the provider documents: it only breaks ties until the timestamps have shown the real
   * order (a gateway may serve either). null: nothing documented.
   */
  expectedOrder: EventOrder | null;
  /** Use `<job id>:<checkpoint id>` as the model when the job names none (Nebius). */
  checkpointAsModel: boolean;
}

/**
 * OpenAI's fine-tuning API and the hosts that copy it (Nebius Token Factory). Events are paged
 * with `after` = the id of a page's last item. Newest-first lists (OpenAI) are read from the
 * top until a known id; oldest-first lists (Nebius) are read from after the newest known id.
 * The order is learned from the pages' timestamps rather than assumed: until two timestamps
 * differ (a young job whose events share one second), every page is read, which is correct
 * in either order.
 */
export class OpenAiCompatibleProvider implements Provider {
  readonly eventsInJob = false;
  /** The order the timestamps have shown; null until they differ. */
  private order: EventOrder | null = null;
  private newestId: string | null = null;
  private readonly occurrences = new OccurrenceCounter();

  constructor(
    readonly ref: JobRef,
    private readonly client: HttpClient,
    private readonly options: OpenAiCompatibleOptions,
  ) {}

  private get path(): string {
    return `/fine_tuning/jobs/${encodeURIComponent(this.ref.jobId)}`;
  }

  async readJob(signal: AbortSignal): Promise<JobSnapshot> {
    const job = await this.client.get(this.path, jobBody, { signal });
    const { state, known } = classifyStatus(this.options.statuses, job.status);
    const estimatedFinish = toIso(job.estimated_finish);
    const secondsRemaining =
      estimatedFinish && state === 'running'
        ? Math.max(0, (Date.parse(estimatedFinish) - Date.now()) / 1000)
        : undefined;
    return {
      providerStatus: job.status,
      state,
      statusKnown: known,
      model: job.fine_tuned_model || null,
      modelPath: null,
      error: job.error?.message?.trim() ? job.error.message : null,
      baseModel: job.model ?? null,
      trainedTokens: job.trained_tokens ?? null,
      createdAt: toIso(job.created_at),
      finishedAt: toIso(job.finished_at),
      progress: {
        step: job.trained_steps ?? undefined,
        totalSteps: job.total_steps ?? undefined,
        secondsRemaining,
      },
    };
  }

  async readNewEvents(read: ReadOptions, seen: SeenEvents): Promise<Iterable<FtEvent[]>> {
    this.occurrences.reset();
    const fetched = new EventSpool();
    const fetchedKeys = new Set<string>();
    let previous: FtEvent | undefined;
    let after = (this.order === 'oldest-first' ? this.newestId : null) ?? undefined;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const page = await this.client.get(`${this.path}/events`, pageBody, {
        ...read,
        query: { limit: PAGE_SIZE, after },
      });
      const events = this.toEvents(page.data);
      this.learnOrder(previous, events);
      previous = events.at(-1) ?? previous;
      const novel = events.filter((event) => !seen.has(event.key) && !fetchedKeys.has(event.key));
      // Everything on the page came earlier in this read: the cursor is not moving (a host that
      // ignores `after`), so stop rather than spin.
      const stuck = events.every((event) => fetchedKeys.has(event.key));
      for (const event of events) fetchedKeys.add(event.key);
      fetched.push(events);
      // Newest first: everything past an event known from an earlier read is known. Only earlier
      // reads count: a page that repeats the previous page's last item (some gateways do) is not
      // the end, or the older events behind it would never be read. Oldest first: read from the
      // newest known, so a page with nothing new is the end. Order unknown: read on.
      const reachedKnown = this.order === 'newest-first' && events.some((event) => seen.has(event.key));
      const nothingNew = novel.length === 0 && (this.order !== null || stuck);
      // The cursor is the page's last id; an item without one (a provider bug) must not end the read.
      const lastId = events.findLast((event) => event.id !== null)?.id;
      if (!page.has_more || reachedKnown || nothingNew || !lastId || lastId === after) break;
      after = lastId;
    }
    const order = this.order ?? this.options.expectedOrder;
    // Made whole first (the pages had to be read to the end before their order was known), then
    // handed out in batches, so the log and the events file take them a batch at a time.
    return inBatches(this.noteNewest(unseen(fetched.chronological(order === 'newest-first'), seen)));
  }

  /** Passes the events on, keeping the newest id among them: where the next read starts. */
  private *noteNewest(events: Iterable<FtEvent>): Generator<FtEvent> {
    for (const event of events) {
      if (event.id !== null) this.newestId = event.id;
      yield event;
    }
  }

  private toEvents(items: readonly unknown[]): FtEvent[] {
    const observedAt = new Date().toISOString();
    return items.map((item) => {
      const read = readEvent(item, observedAt);
      const { event } = read;
      return {
        ...event,
        key: event.id !== null ? `id:${event.id}` : `digest:${this.occurrences.next(read.digest)}`,
      };
    });
  }

  /** Compares timestamps inside the page, and across the seam with the previous page. */
  private learnOrder(previous: FtEvent | undefined, page: readonly FtEvent[]): void {
    const times = [previous, ...page]
      .filter((event) => event !== undefined)
      .map((event) => Date.parse(event.createdAt));
    for (let i = 1; i < times.length; i++) {
      const a = times[i - 1] as number;
      const b = times[i] as number;
      if (a !== b) {
        this.order = a > b ? 'newest-first' : 'oldest-first';
        return;
      }
    }
  }

  async readCheckpoints(signal: AbortSignal): Promise<Checkpoint[]> {
    const checkpoints: Checkpoint[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const page = await this.client.get(`${this.path}/checkpoints`, pageBody, {
        signal,
        query: { limit: PAGE_SIZE, after },
      });
      const parsed = page.data
        .map((item) => openAiCheckpoint.safeParse(item))
        .filter((result) => result.success);
      checkpoints.push(...parsed.map(({ data }) => this.toCheckpoint(data)));
      const lastId = parsed.at(-1)?.data.id ?? undefined;
      if (!page.has_more || !lastId || lastId === after) break;
      after = lastId;
    }
    const unique = new Map(
      checkpoints.map((checkpoint) => [checkpoint.id ?? `${checkpoint.step}`, checkpoint]),
    );
    return [...unique.values()].sort(
      (a, b) => (a.step ?? 0) - (b.step ?? 0) || (a.createdAt ?? '').localeCompare(b.createdAt ?? ''),
    );
  }

  private toCheckpoint(data: z.infer<typeof openAiCheckpoint>): Checkpoint {
    const model =
      data.fine_tuned_model_checkpoint ||
      (this.options.checkpointAsModel && data.id ? `${this.ref.jobId}:${data.id}` : null);
    const metrics = data.metrics ? numbersOnly(data.metrics) : null;
    return {
      id: data.id ?? null,
      step: data.step_number ?? null,
      model,
      createdAt: toIso(data.created_at),
      metrics,
    };
  }

  async readMetricRows(): Promise<MetricsRow[]> {
    return [];
  }

  async cancel(signal: AbortSignal, maxAttempts?: number): Promise<JobSnapshot | null> {
    await this.client.post(`${this.path}/cancel`, anyBody, { signal, maxAttempts });
    return null;
  }

  isTerminalEvent(event: FtEvent): boolean {
    return (
      TERMINAL_TYPES.has(event.type) || (event.type === 'message' && TERMINAL_MESSAGE.test(event.message))
    );
  }

  fallbackModel(checkpoints: readonly Checkpoint[]): string | null {
    const newest = checkpoints.at(-1);
    return this.options.checkpointAsModel && newest?.id ? `${this.ref.jobId}:${newest.id}` : null;
  }
}
