/**
 * Fireworks AI supervised fine-tuning job (`gatewaySupervisedFineTuningJob`, docs.fireworks.ai API
 * reference and fw-ai-external/python-sdk 1.2.3): camelCase, RFC 3339 times to the second, and
 * unset fields left out. There are no events or checkpoints; progress is `jobProgress`.
 */
import type { SimJob } from './job-state.js';
import { resourceBody } from './resource-body.js';
import { rfc3339Seconds } from './times.js';

/** `accounts/<account>/supervisedFineTuningJobs/<id>` → its parts (undefined for other ids). */
export function fireworksNameParts(name: string): { account: string; jobId: string } | undefined {
  const match = /^accounts\/([^/]+)\/supervisedFineTuningJobs\/([^/]+)$/.exec(name);
  return match ? { account: match[1] ?? '', jobId: match[2] ?? '' } : undefined;
}

export function fireworksJob(job: SimJob): Record<string, unknown> {
  const { account, jobId } = fireworksNameParts(job.id) ?? { account: 'sim-account', jobId: job.id };
  const defaults: Record<string, unknown> = {
    name: job.id,
    displayName: `ftw-${jobId}`,
    createTime: rfc3339Seconds(job.start),
    // Fireworks gives no start or end time but `completedTime`; dated here like any final change.
    completedTime: job.terminal ? rfc3339Seconds(job.start + job.updatedAt()) : undefined,
    dataset: `accounts/${account}/datasets/train-v1`,
    evaluationDataset: `accounts/${account}/datasets/eval-v1`,
    state: job.status,
    createdBy: 'ci@example.com',
    // Set at creation (a create parameter that defaults to the job id), so present before success.
    outputModel: `accounts/${account}/models/${jobId}`,
    baseModel: 'accounts/fireworks/models/qwen3-8b',
    epochs: 3,
    learningRate: 0.0001,
    maxContextLength: 8192,
    loraRank: 16,
    region: 'US_IOWA_1',
    updateTime: rfc3339Seconds(job.start + job.updatedAt()),
  };
  return resourceBody(job, defaults, { name: job.id, state: job.status });
}
