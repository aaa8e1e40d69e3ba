import * as z from 'zod/mini';
import { jsonBody } from '../../http/http-client.js';
import type { Checkpoint, JobSnapshot } from '../../model.js';
import { classifyStatus, type StatusTable } from '../../status.js';
import { instant, lenient, text, toIso } from '../fields.js';
import { StatusEventsProvider } from '../status-events.js';

/** SPEC's outcomes; the states Google documents as on the way are listed, so they raise no warning. */
export const VERTEX_STATUSES: StatusTable = {
  job_state_succeeded: 'succeeded',
  job_state_failed: 'failed',
  job_state_expired: 'failed',
  job_state_partially_succeeded: 'failed',
  job_state_cancelled: 'cancelled',
  job_state_queued: 'running',
  job_state_pending: 'running',
  job_state_running: 'running',
  job_state_cancelling: 'running',
  job_state_updating: 'running',
  job_state_paused: 'running',
};

/** int64 fields arrive as strings in proto3 JSON. */
const int64 = lenient(z.union([z.string(), z.number()]));

const vertexJob = z.looseObject({
  name: text,
  state: z.string(),
  baseModel: text,
  createTime: instant,
  startTime: instant,
  endTime: instant,
  updateTime: instant,
  error: lenient(z.looseObject({ code: lenient(z.number()), message: text })),
  tunedModel: lenient(
    z.looseObject({
      model: text,
      endpoint: text,
      checkpoints: lenient(
        z.array(lenient(z.looseObject({ checkpointId: text, epoch: int64, step: int64, endpoint: text }))),
      ),
    }),
  ),
});
type VertexJob = z.infer<typeof vertexJob>;

const jobBody = jsonBody(vertexJob);
const anyBody = jsonBody(z.unknown());

/**
 * A Vertex AI tuning job. No events endpoint: each change of state (with the error's message)
 * becomes an event. Its checkpoints come with the job; losses live in a Vertex AI Experiment the
 * API does not return, so `metrics` stays `{}`.
 */
export class VertexProvider extends StatusEventsProvider {
  private latest: VertexJob | null = null;

  private get path(): string {
    return `/${this.ref.jobId.split('/').map(encodeURIComponent).join('/')}`;
  }

  async readJob(signal: AbortSignal): Promise<JobSnapshot> {
    const job = await this.client.get(this.path, jobBody, { signal });
    this.latest = job;
    const snapshot = toSnapshot(job);
    this.changes.observe(snapshot, job.error?.message?.trim() || null, toIso(job.updateTime));
    return snapshot;
  }

  /** The checkpoints the job names, as last read (intermediate ones only when the job kept them). */
  override async readCheckpoints(): Promise<Checkpoint[]> {
    return (this.latest?.tunedModel?.checkpoints ?? [])
      .flatMap((checkpoint) => (checkpoint ? [checkpoint] : []))
      .map((checkpoint) => ({
        id: checkpoint.checkpointId ?? null,
        step: numberOf(checkpoint.step),
        model: checkpoint.endpoint || null,
        createdAt: null,
        metrics: null,
      }))
      .sort((a, b) => (a.step ?? 0) - (b.step ?? 0));
  }

  /** tuningJobs:cancel answers `{}`; the job goes JOB_STATE_CANCELLING, then CANCELLED. */
  async cancel(signal: AbortSignal, maxAttempts?: number): Promise<JobSnapshot | null> {
    await this.client.post(`${this.path}:cancel`, anyBody, { signal, maxAttempts });
    return null;
  }
}

function numberOf(value: string | number | null | undefined): number | null {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

function toSnapshot(job: VertexJob): JobSnapshot {
  const { state, known } = classifyStatus(VERTEX_STATUSES, job.state);
  return {
    providerStatus: job.state,
    state,
    statusKnown: known,
    model: job.tunedModel?.model || null,
    modelPath: null,
    error: job.error?.message?.trim() ? job.error.message : null,
    baseModel: job.baseModel || null,
    trainedTokens: null,
    createdAt: toIso(job.createTime),
    finishedAt: toIso(job.endTime),
    progress: {},
  };
}
