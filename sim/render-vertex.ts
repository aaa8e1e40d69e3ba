/**
 * Google Vertex AI `TuningJob` (googleapis google/cloud/aiplatform/v1/tuning_job.proto) in proto3
 * JSON: camelCase, int64 as strings, RFC 3339 times with microseconds, unset fields left out.
 * `error` appears only on FAILED or CANCELLED jobs, `tunedModel` only on success.
 */
import type { SimJob } from './job-state.js';
import { resourceBody } from './resource-body.js';
import { rfc3339Micros } from './times.js';

/** `projects/<project>/locations/<location>/tuningJobs/<id>` → its parts (undefined for other ids). */
export function vertexNameParts(
  name: string,
): { project: string; location: string; jobId: string } | undefined {
  const match = /^projects\/([^/]+)\/locations\/([^/]+)\/tuningJobs\/([^/]+)$/.exec(name);
  return match ? { project: match[1] ?? '', location: match[2] ?? '', jobId: match[3] ?? '' } : undefined;
}

export function vertexJob(job: SimJob): Record<string, unknown> {
  const defaults: Record<string, unknown> = {
    name: job.id,
    tunedModelDisplayName: 'ftw-demo',
    baseModel: 'gemini-2.5-flash',
    supervisedTuningSpec: {
      trainingDatasetUri: 'gs://ftw-sim-bucket/train.jsonl',
      validationDatasetUri: 'gs://ftw-sim-bucket/valid.jsonl',
      hyperParameters: { epochCount: '3', learningRateMultiplier: 1, adapterSize: 'ADAPTER_SIZE_FOUR' },
    },
    state: job.status,
    createTime: rfc3339Micros(job.start),
    // Set on SUCCEEDED, FAILED, CANCELLED and EXPIRED (tuning_job.proto), dated like the last change.
    endTime: job.terminal ? rfc3339Micros(job.start + job.updatedAt()) : undefined,
    updateTime: rfc3339Micros(job.start + job.updatedAt()),
  };
  return resourceBody(job, defaults, { name: job.id, state: job.status });
}
