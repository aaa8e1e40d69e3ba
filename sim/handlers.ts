/** Turns a matched, authorised request into a reply from the job's current state. */
import { alreadyFinished, jobNotFound, unknownRoute } from './error-bodies.js';
import type { SimJob, StoredCheckpoint, StoredEvent } from './job-state.js';
import { pageAfter, parseLimit } from './paging.js';
import { azureCheckpoint, azureCheckpointId, azureEvent, azureEventId, azureJob } from './render-azure.js';
import { bedrockJob, bedrockJobName } from './render-bedrock.js';
import { fireworksJob } from './render-fireworks.js';
import {
  openaiCheckpoint,
  openaiCheckpointId,
  openaiEvent,
  openaiEventId,
  openaiJob,
} from './render-openai.js';
import { togetherCheckpoint, togetherEvent, togetherJob } from './render-together.js';
import { vertexJob } from './render-vertex.js';
import type { RouteMatch } from './routes.js';
import type { ProviderName, Reply } from './types.js';

export interface HandlerContext {
  provider: ProviderName;
  jobs: Map<string, SimJob>;
  eventOrder: 'asc' | 'desc';
  defaultLimit: number;
  maxLimit: number;
  autoAdvance: boolean;
  /** Each later page repeats the previous page's last item (see PageOptions.overlap). */
  overlapPages: boolean;
}

/** The job a route's id names. Bedrock takes the job's name as well as its ARN. */
export function findJob(ctx: Pick<HandlerContext, 'provider' | 'jobs'>, jobId: string): SimJob | undefined {
  const job = ctx.jobs.get(jobId);
  if (job || ctx.provider !== 'bedrock') return job;
  return [...ctx.jobs.values()].find((candidate) => bedrockJobName(candidate) === jobId);
}

export function handle(ctx: HandlerContext, match: RouteMatch, query: Record<string, string>): Reply {
  if (match.route === 'jobs') return jobList(ctx, query);
  if (match.route === 'unknown' || match.jobId === undefined) return unknownRoute();
  const job = findJob(ctx, match.jobId);
  if (!job) return jobNotFound(ctx.provider, match.jobId);
  // Only reads of the job object move the scenario on, as a poller's status check would see it.
  if (match.route === 'job') job.onJobGet(ctx.autoAdvance);
  switch (ctx.provider) {
    case 'together':
      return together(match, job);
    case 'fireworks':
    case 'bedrock':
    case 'vertex':
      return jobResourceOnly(ctx.provider, match, job);
    default:
      return openaiLike(ctx, match, job, query, ctx.provider === 'azure-openai' ? AZURE : OPENAI);
  }
}

function together(match: RouteMatch, job: SimJob): Reply {
  switch (match.route) {
    case 'job':
      return { status: 200, body: togetherJob(job, true) };
    case 'events':
      // No paging on Together: the whole list, oldest first, on every call.
      return { status: 200, body: { data: job.events.map((e) => togetherEvent(job, e)) } };
    case 'checkpoints':
      return {
        status: 200,
        body: { data: newestFirst(job.checkpoints).map((c) => togetherCheckpoint(job, c)) },
      };
    case 'metrics':
      return { status: 200, body: { metrics: job.metrics } };
    case 'cancel':
      if (!job.cancel()) return alreadyFinished('together', job.status);
      return { status: 200, body: togetherJob(job, false) };
    default:
      return unknownRoute();
  }
}

/** How an OpenAI-style platform writes its objects (OpenAI and Nebius one way, Azure another). */
interface OpenAiStyle {
  job: (job: SimJob) => Record<string, unknown>;
  event: (job: SimJob, event: StoredEvent) => Record<string, unknown>;
  eventId: (job: SimJob, event: StoredEvent) => string;
  checkpoint: (job: SimJob, checkpoint: StoredCheckpoint) => Record<string, unknown>;
  checkpointId: (job: SimJob, checkpoint: StoredCheckpoint) => string;
}

const OPENAI: OpenAiStyle = {
  job: openaiJob,
  event: openaiEvent,
  eventId: (_job, event) => openaiEventId(event),
  checkpoint: openaiCheckpoint,
  checkpointId: openaiCheckpointId,
};

const AZURE: OpenAiStyle = {
  job: azureJob,
  event: azureEvent,
  eventId: azureEventId,
  checkpoint: azureCheckpoint,
  checkpointId: azureCheckpointId,
};

function openaiLike(
  ctx: HandlerContext,
  match: RouteMatch,
  job: SimJob,
  query: Record<string, string>,
  style: OpenAiStyle,
): Reply {
  const limit = parseLimit(query.limit, ctx.defaultLimit, ctx.maxLimit);
  switch (match.route) {
    case 'job':
      return { status: 200, body: style.job(job) };
    case 'events': {
      // Only the page is rendered, and cursors are found through an index: a 100,000-event
      // history is paged a thousand times, and each page must stay cheap.
      const descending = ctx.eventOrder === 'desc';
      const ordered = descending ? [...job.events].reverse() : job.events;
      const positions = eventPositions(job, style);
      const page = pageAfter(ordered, (e) => style.eventId(job, e), query.after, limit, {
        overlap: ctx.overlapPages,
        indexOf: (id) => {
          const position = positions.get(id) ?? -1;
          return position < 0 || !descending ? position : job.events.length - 1 - position;
        },
      });
      return {
        status: 200,
        body: { object: 'list', data: page.data.map((e) => style.event(job, e)), has_more: page.has_more },
      };
    }
    case 'checkpoints': {
      const all = newestFirst(job.checkpoints);
      const page = pageAfter(all, (c) => style.checkpointId(job, c), query.after, limit, {
        overlap: ctx.overlapPages,
      });
      const data = page.data.map((c) => style.checkpoint(job, c));
      const first = data[0]?.id ?? null;
      const last = data.at(-1)?.id ?? null;
      return {
        status: 200,
        body: { object: 'list', data, has_more: page.has_more, first_id: first, last_id: last },
      };
    }
    case 'cancel':
      if (!job.cancel()) return alreadyFinished(ctx.provider, job.status, job.id);
      return { status: 200, body: style.job(job) };
    default:
      return unknownRoute();
  }
}

/**
 * `GET …/fine_tuning/jobs`: every job, newest first, paged by `after` and `limit`. Each job listed
 * has been read, as a poller's status check would read it, so the list moves scenarios on too.
 */
function jobList(ctx: HandlerContext, query: Record<string, string>): Reply {
  const style = ctx.provider === 'azure-openai' ? AZURE : OPENAI;
  const newest = [...ctx.jobs.values()].map((job, order) => ({ job, order }));
  newest.sort((a, b) => b.job.start - a.job.start || b.order - a.order);
  const limit = parseLimit(query.limit, ctx.defaultLimit, ctx.maxLimit);
  const page = pageAfter(
    newest.map(({ job }) => job),
    (job) => job.id,
    query.after,
    limit,
  );
  for (const job of page.data) job.onJobGet(ctx.autoAdvance);
  return { status: 200, body: { object: 'list', data: page.data.map(style.job), has_more: page.has_more } };
}

const RESOURCE_RENDERERS = { fireworks: fireworksJob, bedrock: bedrockJob, vertex: vertexJob };

/**
 * Fireworks, Bedrock and Vertex: the job object and a cancel that answers with an empty object
 * (Vertex `google.protobuf.Empty`, Bedrock's empty StopModelCustomizationJob output, Fireworks'
 * empty cancel response); the job itself shows the cancel on the next read.
 */
function jobResourceOnly(provider: keyof typeof RESOURCE_RENDERERS, match: RouteMatch, job: SimJob): Reply {
  switch (match.route) {
    case 'job':
      return { status: 200, body: RESOURCE_RENDERERS[provider](job) };
    case 'cancel':
      if (!job.cancel()) return alreadyFinished(provider, job.status, job.id);
      return { status: 200, body: {} };
    default:
      return unknownRoute();
  }
}

const positionCache = new WeakMap<readonly StoredEvent[], { size: number; positions: Map<string, number> }>();

/** Id → position in the job's history (oldest first), extended as events are appended. */
function eventPositions(job: SimJob, style: OpenAiStyle): Map<string, number> {
  const { events } = job;
  const cached = positionCache.get(events) ?? { size: 0, positions: new Map<string, number>() };
  for (let i = cached.size; i < events.length; i++) {
    const id = style.eventId(job, events[i] as StoredEvent);
    if (!cached.positions.has(id)) cached.positions.set(id, i);
  }
  cached.size = events.length;
  positionCache.set(events, cached);
  return cached.positions;
}

function newestFirst<T extends { seq: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.seq - a.seq);
}
