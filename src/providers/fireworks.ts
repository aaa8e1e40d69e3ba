/**
 * Fireworks AI supervised fine-tuning jobs: a job is named `accounts/<account>/
 * supervisedFineTuningJobs/<id>`, read whole from `GET /v1/<name>`. There is no events endpoint:
 * each change of state (with `status.message`) becomes an event.
 */
import * as z from 'zod/mini';
import { bearerKey } from '../http/auth.js';
import { jsonBody } from '../http/http-client.js';
import type { JobSnapshot } from '../model.js';
import { classifyStatus, isFinal, type StatusTable } from '../status.js';
import { count, instant, lenient, text, toIso } from './fields.js';
import { googleErrorDetail } from './google-errors.js';
import { fixedBaseUrl, keyAuth, keyRefused } from './key-platforms.js';
import type { Platform } from './provider.js';
import { StatusEventsProvider } from './status-events.js';

const JOB_NAME = /^accounts\/[^/\s]+\/supervisedFineTuningJobs\/[^/\s]+$/;

/** SPEC's outcomes; the states Fireworks documents as on the way are listed, so they raise no warning. */
const STATUSES: StatusTable = {
  job_state_completed: 'succeeded',
  job_state_failed: 'failed',
  job_state_expired: 'failed',
  job_state_cancelled: 'cancelled',
  job_state_creating: 'running',
  job_state_creating_input_dataset: 'running',
  job_state_validating: 'running',
  job_state_pending: 'running',
  job_state_re_queueing: 'running',
  job_state_idle: 'running',
  job_state_running: 'running',
  job_state_writing_results: 'running',
  job_state_cancelling: 'running',
  job_state_paused: 'running',
};

const fireworksJob = z.looseObject({
  name: text,
  state: z.string(),
  status: lenient(z.looseObject({ code: lenient(z.union([z.string(), z.number()])), message: text })),
  outputModel: text,
  baseModel: text,
  createTime: instant,
  updateTime: instant,
  completedTime: instant,
  jobProgress: lenient(z.looseObject({ percent: count, epoch: count })),
});
const jobBody = jsonBody(fireworksJob);
const anyBody = jsonBody(z.unknown());

export const fireworks: Platform = {
  name: 'fireworks',
  displayName: 'Fireworks AI',
  jobIdForm: '`accounts/<account>/supervisedFineTuningJobs/<id>`',
  keyVariable: 'FIREWORKS_API_KEY',
  defaultBaseUrl: 'https://api.fireworks.ai/v1',
  statuses: STATUSES,
  checkJobId: (jobId) =>
    JOB_NAME.test(jobId)
      ? null
      : `must be the job's full name, \`accounts/<account>/supervisedFineTuningJobs/<id>\` (as firectl and the API print it), got ${JSON.stringify(jobId.slice(0, 80))}.`,
  resolveBaseUrl: fixedBaseUrl('https://api.fireworks.ai/v1'),
  auth: keyAuth(bearerKey),
  credentialsRefused: keyRefused('Fireworks AI', 'FIREWORKS_API_KEY'),
  errorDetail: googleErrorDetail,
  // The console's URL for a job is not documented: no link rather than a guessed one.
  dashboardUrl: () => null,
  create: (ref, client) => new FireworksProvider(ref, client),
};

/**
 * A Fireworks supervised fine-tuning job. No events endpoint: each change of state (with the
 * status message) becomes an event. Supervised jobs list no checkpoints, and the loss lives behind
 * `metricsFileSignedUrl` in a format Fireworks does not document, so `metrics` stays `{}`.
 */
export class FireworksProvider extends StatusEventsProvider {
  /** The job's resource name as a path, each segment encoded. */
  private get path(): string {
    return `/${this.ref.jobId.split('/').map(encodeURIComponent).join('/')}`;
  }

  async readJob(signal: AbortSignal): Promise<JobSnapshot> {
    const job = await this.client.get(this.path, jobBody, { signal });
    const snapshot = toSnapshot(job);
    this.changes.observe(snapshot, job.status?.message?.trim() || null, toIso(job.updateTime));
    return snapshot;
  }

  async cancel(signal: AbortSignal, maxAttempts?: number): Promise<JobSnapshot | null> {
    await this.client.post(`${this.path}:cancel`, anyBody, { signal, maxAttempts });
    return null;
  }
}

function toSnapshot(job: z.infer<typeof fireworksJob>): JobSnapshot {
  const { state, known } = classifyStatus(STATUSES, job.state);
  const statusMessage = job.status?.message?.trim() || null;
  const statusCode = typeof job.status?.code === 'string' ? job.status.code : null;
  return {
    providerStatus: job.state,
    state,
    statusKnown: known,
    model: job.outputModel || null,
    modelPath: null,
    error: state === 'failed' ? (statusMessage ?? statusCode) : null,
    baseModel: job.baseModel || null,
    trainedTokens: null,
    createdAt: toIso(job.createTime),
    finishedAt: toIso(job.completedTime) ?? (isFinal(state) ? toIso(job.updateTime) : null),
    progress: {
      ...(job.jobProgress?.percent !== undefined && job.jobProgress.percent !== null
        ? { percent: job.jobProgress.percent }
        : {}),
    },
  };
}
