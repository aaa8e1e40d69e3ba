/**
 * The edge-case scenarios of generic.ts for the platforms that only serve the job object
 * (Fireworks, Bedrock, Vertex): with no events, a job shows its life through status and fields
 * alone, so "a long history" is many reads that each bring a status update.
 */
import { fakeChars, fakeDigits, LOWER_ALNUM, nowSeconds } from '../synth.js';
import { isoMillis, rfc3339Micros } from '../times.js';
import type { NamedScenario, Stage } from '../types.js';

export type EventlessProvider = 'fireworks' | 'bedrock' | 'vertex';

/** How one platform words each moment of a job's life. */
interface Vocabulary {
  id(seed: string): string;
  queued: string;
  /** A running stage, `done` (0–1) of the way through training that started `startedAt` s in. */
  running(done: number, start: number, startedAt: number, at: number): Omit<Stage, 'at'>;
  succeeded(start: number, id: string): Omit<Stage, 'at'>;
  /** The in-between status a cancel passes through, then the final one. */
  cancelling: string;
  cancelled: Omit<Stage, 'at'>;
}

const VOCABULARY: Record<EventlessProvider, Vocabulary> = {
  fireworks: {
    id: (seed) => `accounts/ftw-sim/supervisedFineTuningJobs/${fakeChars(seed, 8, LOWER_ALNUM)}`,
    queued: 'JOB_STATE_PENDING',
    running: (done) => ({
      status: 'JOB_STATE_RUNNING',
      job: { jobProgress: { percent: Math.round(done * 100), epoch: Math.min(2, Math.floor(done * 3)) } },
    }),
    succeeded: () => ({ status: 'JOB_STATE_COMPLETED', job: { jobProgress: { percent: 100, epoch: 2 } } }),
    cancelling: 'JOB_STATE_CANCELLING',
    cancelled: { status: 'JOB_STATE_CANCELLED' },
  },
  bedrock: {
    id: (seed) =>
      `arn:aws:bedrock:us-east-1:123456789012:model-customization-job/amazon.titan-text-express-v1:0:8k/${fakeChars(seed, 12, LOWER_ALNUM)}`,
    queued: 'InProgress',
    running: (_done, start, startedAt, at) => ({
      status: 'InProgress',
      job: {
        statusDetails: {
          validationDetails: bedrockTask('Completed', start, 0, startedAt / 2),
          dataProcessingDetails: bedrockTask('Completed', start, startedAt / 2, startedAt),
          trainingDetails: bedrockTask('InProgress', start, startedAt, at),
        },
      },
    }),
    succeeded: (_start, id) => ({
      status: 'Completed',
      job: {
        outputModelArn: id.replace(':model-customization-job/', ':custom-model/'),
        trainingMetrics: { trainingLoss: 0.5821 },
        validationMetrics: [{ validationLoss: 0.6433 }],
      },
    }),
    cancelling: 'Stopping',
    cancelled: { status: 'Stopped' },
  },
  vertex: {
    id: (seed) => `projects/123456789012/locations/us-central1/tuningJobs/${fakeDigits(seed, 19)}`,
    queued: 'JOB_STATE_PENDING',
    running: (_done, start, startedAt) => ({
      status: 'JOB_STATE_RUNNING',
      job: { startTime: rfc3339Micros(start + startedAt) },
    }),
    succeeded: (_start, id) => ({
      status: 'JOB_STATE_SUCCEEDED',
      job: {
        tunedModel: {
          model: `projects/123456789012/locations/us-central1/models/${fakeDigits(`${id}/model`, 19)}@1`,
          endpoint: `projects/123456789012/locations/us-central1/endpoints/${fakeDigits(`${id}/endpoint`, 15)}`,
        },
      },
    }),
    cancelling: 'JOB_STATE_CANCELLING',
    cancelled: { status: 'JOB_STATE_CANCELLED', job: { error: { code: 1, message: 'CANCELLED' } } },
  },
};

function bedrockTask(status: string, start: number, from: number, to: number): Record<string, unknown> {
  return { status, creationTime: isoMillis(start + from), lastModifiedTime: isoMillis(start + to) };
}

const STARTED_AT = 40;

/** Runs a little, then is cancelled elsewhere, passing through the platform's cancelling status. */
export function eventlessCancelled(provider: EventlessProvider): NamedScenario {
  const words = VOCABULARY[provider];
  const id = words.id(`cancelled-${provider}`);
  const start = nowSeconds() - 600;
  return {
    id,
    provider,
    job: { created_at: start },
    stages: [
      { status: words.queued, at: 0 },
      { ...words.running(0.1, start, STARTED_AT, 100), at: 100 },
      { status: words.cancelling, at: 130 },
      { ...words.cancelled, at: 141 },
    ],
  };
}

/** Exactly `n` stages (n ≥ 3): queued, n − 2 running updates a second apart, succeeded. */
export function eventlessLarge(provider: EventlessProvider, n: number): NamedScenario {
  if (n < 3) throw new Error('largeHistory needs n >= 3');
  const words = VOCABULARY[provider];
  const id = words.id(`large-${provider}-${n}`);
  const start = nowSeconds() - n - 60;
  const updates = n - 2;
  const stages: Stage[] = [{ status: words.queued, at: 0 }];
  for (let i = 1; i <= updates; i++) {
    stages.push({ ...words.running(i / (updates + 1), start, 1, i + 1), at: i + 1 });
  }
  stages.push({ ...words.succeeded(start, id), at: n });
  return { id, provider, job: { created_at: start }, stages };
}

/** Starts, then stays running forever: for timeout and abort tests. */
export function eventlessNeverEnding(provider: EventlessProvider): NamedScenario {
  const words = VOCABULARY[provider];
  const id = words.id(`never-${provider}`);
  const start = nowSeconds() - 120;
  return {
    id,
    provider,
    job: { created_at: start },
    stages: [
      { status: words.queued, at: 0 },
      { ...words.running(0.01, start, 30, 60), at: 60 },
    ],
  };
}
