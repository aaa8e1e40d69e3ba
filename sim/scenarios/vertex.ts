/**
 * Google Vertex AI tuning job scenarios, assembled from tuning_job.proto with ids from Google's
 * documentation (e.g. tuning job 2214170247995326464) and the checkpoint shape of the Gen AI SDK
 * sample. Vertex reports no progress or loss on the job: only `state` and times move.
 */
import { rfc3339Micros } from '../times.js';
import type { NamedScenario } from '../types.js';

const PARENT = 'projects/123456789012/locations/us-central1';
const START = 1735732800.123456;

/** What a running job gains: its start, the dataset statistics and the experiment holding its loss. */
function running(startedAt: number, experiment: string): Record<string, unknown> {
  return {
    startTime: rfc3339Micros(START + startedAt),
    experiment: `${PARENT}/metadataStores/default/contexts/${experiment}`,
    tuningDataStats: {
      supervisedTuningDataStats: {
        tuningDatasetExampleCount: '500',
        totalTuningCharacterCount: '1633420',
        totalBillableTokenCount: '412345',
        tuningStepCount: '93',
      },
    },
  };
}

/** PENDING → RUNNING (three reads) → SUCCEEDED with `tunedModel` {model …@1, endpoint, checkpoints}. */
export function vertexSucceeded(): NamedScenario {
  const endpoint = (id: string) => `${PARENT}/endpoints/${id}`;
  const startedAt = 250.318204;
  return {
    id: `${PARENT}/tuningJobs/2214170247995326464`,
    provider: 'vertex',
    job: { created_at: START, tunedModelDisplayName: 'ftw-support-bot' },
    stages: [
      { status: 'JOB_STATE_PENDING', at: 0 },
      {
        status: 'JOB_STATE_RUNNING',
        at: startedAt,
        job: running(startedAt, 'tuning-experiment-20250101120004'),
      },
      { status: 'JOB_STATE_RUNNING', at: 1800.512 },
      { status: 'JOB_STATE_RUNNING', at: 3600.25 },
      {
        status: 'JOB_STATE_SUCCEEDED',
        at: 5847.204117,
        job: {
          tunedModel: {
            model: `${PARENT}/models/7399201982025564160@1`,
            endpoint: endpoint('123456789012345'),
            // int64 epoch and step are strings in proto3 JSON.
            checkpoints: [
              { checkpointId: '1', epoch: '1', step: '31', endpoint: endpoint('123456789000000') },
              { checkpointId: '2', epoch: '2', step: '62', endpoint: endpoint('123456789000001') },
              { checkpointId: '3', epoch: '3', step: '93', endpoint: endpoint('123456789012345') },
            ],
          },
        },
      },
    ],
  };
}

/** Fails on its dataset: `error` {code 3 (INVALID_ARGUMENT), message} (the text is made up). */
export function vertexFailed(): NamedScenario {
  const startedAt = 242.5;
  return {
    id: `${PARENT}/tuningJobs/1491991597619871744`,
    provider: 'vertex',
    job: { created_at: START + 86_400, tunedModelDisplayName: 'ftw-bad-dataset' },
    stages: [
      { status: 'JOB_STATE_PENDING', at: 0 },
      {
        status: 'JOB_STATE_RUNNING',
        at: startedAt,
        job: running(startedAt, 'tuning-experiment-20250102120004'),
      },
      {
        status: 'JOB_STATE_FAILED',
        at: 362.0125,
        job: {
          error: {
            code: 3,
            message: 'Invalid dataset: line 12 of gs://ftw-sim-bucket/train.jsonl could not be parsed.',
          },
        },
      },
    ],
  };
}
