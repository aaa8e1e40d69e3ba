import * as z from 'zod/mini';
import { jsonBody } from '../../http/http-client.js';
import { numbersOnly } from '../../metrics.js';
import type { JobSnapshot, MetricsRow } from '../../model.js';
import { classifyStatus, type StatusTable } from '../../status.js';
import { instant, lenient, text, toIso } from '../fields.js';
import { StatusEventsProvider } from '../status-events.js';

/** Bedrock's statuses (`InProgress`, `Stopping`, `Completed`, `Failed`, `Stopped`) in our words. */
export const BEDROCK_STATUSES: StatusTable = {
  completed: 'succeeded',
  failed: 'failed',
  stopped: 'cancelled',
  inprogress: 'running',
  stopping: 'running',
};

const stepDetail = lenient(z.looseObject({ status: text }));

const bedrockJob = z.looseObject({
  jobArn: text,
  jobName: text,
  status: z.string(),
  statusDetails: lenient(
    z.looseObject({
      validationDetails: stepDetail,
      dataProcessingDetails: stepDetail,
      trainingDetails: stepDetail,
    }),
  ),
  failureMessage: text,
  outputModelArn: text,
  outputModelName: text,
  baseModelArn: text,
  outputDataConfig: lenient(z.looseObject({ s3Uri: text })),
  creationTime: instant,
  lastModifiedTime: instant,
  endTime: instant,
  // A loss that diverged comes as "NaN" or "Infinity" (AWS JSON writes those as strings).
  trainingMetrics: lenient(z.looseObject({ trainingLoss: z.unknown() })),
  validationMetrics: lenient(z.array(lenient(z.looseObject({ validationLoss: z.unknown() })))),
});
type BedrockJob = z.infer<typeof bedrockJob>;

const jobBody = jsonBody(bedrockJob);
const anyBody = jsonBody(z.unknown());

/**
 * A Bedrock model-customization job. Bedrock has no events endpoint: each change of status, with
 * the stage it is in (validation, data processing, training), becomes an event. Its losses are
 * two numbers on the job, the last training and the first validation loss.
 */
export class BedrockProvider extends StatusEventsProvider {
  private latest: BedrockJob | null = null;

  /** The ARN (or name) as one path segment, as the AWS SDK sends it. */
  private get path(): string {
    return `/model-customization-jobs/${encodeURIComponent(this.ref.jobId)}`;
  }

  async readJob(signal: AbortSignal): Promise<JobSnapshot> {
    const job = await this.client.get(this.path, jobBody, { signal });
    this.latest = job;
    const snapshot = toSnapshot(job);
    this.changes.observe(snapshot, stageOf(job), toIso(job.lastModifiedTime));
    return snapshot;
  }

  /** The losses of the job as last read: the last training loss, the first validator's loss. */
  override async readMetricRows(): Promise<MetricsRow[]> {
    // numbersOnly keeps "NaN" and "Infinity" (a run that diverged), so gates and warnings see them.
    const row = numbersOnly({
      train_loss: this.latest?.trainingMetrics?.trainingLoss,
      valid_loss: this.latest?.validationMetrics?.[0]?.validationLoss,
    });
    return Object.keys(row).length > 0 ? [row] : [];
  }

  /** StopModelCustomizationJob: Bedrock answers with nothing; the job goes Stopping, then Stopped. */
  async cancel(signal: AbortSignal, maxAttempts?: number): Promise<JobSnapshot | null> {
    await this.client.post(`${this.path}/stop`, anyBody, { signal, maxAttempts });
    return null;
  }
}

function toSnapshot(job: BedrockJob): JobSnapshot {
  const { state, known } = classifyStatus(BEDROCK_STATUSES, job.status);
  return {
    providerStatus: job.status,
    state,
    statusKnown: known,
    model: job.outputModelArn || null,
    modelPath: job.outputDataConfig?.s3Uri || null,
    error: job.failureMessage?.trim() ? job.failureMessage : null,
    baseModel: job.baseModelArn || null,
    trainedTokens: null,
    createdAt: toIso(job.creationTime),
    finishedAt: toIso(job.endTime),
    progress: {},
  };
}

/** Bedrock's secondary status: which stage is under way (or failed), from statusDetails. */
function stageOf(job: BedrockJob): string | null {
  const details = job.statusDetails;
  if (!details) return job.failureMessage?.trim() || null;
  const stages: [string, string | null | undefined][] = [
    ['validation', details.validationDetails?.status],
    ['data processing', details.dataProcessingDetails?.status],
    ['training', details.trainingDetails?.status],
  ];
  const current =
    stages.find(([, status]) => status && !/^(completed|notstarted)$/i.test(status)) ??
    stages.findLast(([, status]) => status && /^completed$/i.test(status));
  const stage = current ? `${current[0]} ${current[1]}` : null;
  const failure = job.failureMessage?.trim();
  return [stage, failure].filter(Boolean).join('; ') || null;
}
