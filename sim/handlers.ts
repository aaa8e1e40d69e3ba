/** Turns a matched, authorised request into a reply from the job's current state. */
import { alreadyFinished, jobNotFound, unknownRoute } from './error-bodies.js';
import type { SimJob } from './job-state.js';
import { pageAfter, parseLimit } from './paging.js';
import type { StoredEvent } from './job-state.js';
import {
  openaiCheckpoint,
  openaiCheckpointId,
  openaiEvent,
  openaiEventId,
  openaiJob,
} from './render-openai.js';
import { togetherCheckpoint, togetherEvent, togetherJob } from './render-together.js';
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

export function handle(ctx: HandlerContext, match: RouteMatch, query: Record<string, string>): Reply {
  if (match.route === 'unknown' || match.jobId === undefined) return unknownRoute();
  const job = ctx.jobs.get(match.jobId);
  if (!job) return jobNotFound(ctx.provider, match.jobId);
  // Only reads of the job object move the scenario on, as a poller's status check would see it.
  if (match.route === 'job') job.onJobGet(ctx.autoAdvance);
  return ctx.provider === 'together' ? together(match, job) : openaiLike(ctx, match, job, query);
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

function openaiLike(
  ctx: HandlerContext,
  match: RouteMatch,
  job: SimJob,
  query: Record<string, string>,
): Reply {
  const limit = parseLimit(query.limit, ctx.defaultLimit, ctx.maxLimit);
  switch (match.route) {
    case 'job':
      return { status: 200, body: openaiJob(job) };
    case 'events': {
      // Only the page is rendered, and cursors are found through an index: a 100,000-event
      // history is paged a thousand times, and each page must stay cheap.
      const descending = ctx.eventOrder === 'desc';
      const ordered = descending ? [...job.events].reverse() : job.events;
      const positions = eventPositions(job.events);
      const page = pageAfter(ordered, openaiEventId, query.after, limit, {
        overlap: ctx.overlapPages,
        indexOf: (id) => {
          const position = positions.get(id) ?? -1;
          return position < 0 || !descending ? position : job.events.length - 1 - position;
        },
      });
      return {
        status: 200,
        body: { object: 'list', data: page.data.map((e) => openaiEvent(job, e)), has_more: page.has_more },
      };
    }
    case 'checkpoints': {
      const all = newestFirst(job.checkpoints);
      const page = pageAfter(all, (c) => openaiCheckpointId(job, c), query.after, limit, {
        overlap: ctx.overlapPages,
      });
      const data = page.data.map((c) => openaiCheckpoint(job, c));
      const first = data[0]?.id ?? null;
      const last = data.at(-1)?.id ?? null;
      return {
        status: 200,
        body: { object: 'list', data, has_more: page.has_more, first_id: first, last_id: last },
      };
    }
    case 'cancel':
      if (!job.cancel()) return alreadyFinished(ctx.provider, job.status);
      return { status: 200, body: openaiJob(job) };
    default:
      return unknownRoute();
  }
}

const positionCache = new WeakMap<readonly StoredEvent[], { size: number; positions: Map<string, number> }>();

/** Id → position in the job's history (oldest first), extended as events are appended. */
function eventPositions(events: readonly StoredEvent[]): Map<string, number> {
  const cached = positionCache.get(events) ?? { size: 0, positions: new Map<string, number>() };
  for (let i = cached.size; i < events.length; i++) {
    const id = openaiEventId(events[i] as StoredEvent);
    if (!cached.positions.has(id)) cached.positions.set(id, i);
  }
  cached.size = events.length;
  positionCache.set(events, cached);
  return cached.positions;
}

function newestFirst<T extends { seq: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.seq - a.seq);
}
