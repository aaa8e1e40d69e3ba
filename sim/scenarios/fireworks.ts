/**
 * Fireworks AI supervised fine-tuning scenarios. Fireworks publishes no real job log, so these are
 * assembled from the documented `gatewaySupervisedFineTuningJob` schema and `JOB_STATE_*` enum,
 * with ids shaped like a real job's (`accounts/<account>/supervisedFineTuningJobs/<8 alnum>`).
 * The only progress signal is `jobProgress` (percent 0–100, epoch counted from 0).
 */
import type { NamedScenario, Stage } from '../types.js';

const ACCOUNT = 'ftw-sim';
const START = Date.parse('2026-07-10T23:09:35Z') / 1000;
const EPOCHS = 3;

const QUEUEING: Stage[] = [
  { status: 'JOB_STATE_CREATING', at: 0 },
  { status: 'JOB_STATE_VALIDATING', at: 14 },
  { status: 'JOB_STATE_PENDING', at: 41 },
];

function progress(percent: number): Record<string, unknown> {
  return { jobProgress: { percent, epoch: Math.min(EPOCHS - 1, Math.floor((percent / 100) * EPOCHS)) } };
}

/** CREATING → VALIDATING → PENDING → RUNNING (percent 0 → 83) → WRITING_RESULTS → COMPLETED. */
export function fireworksCompleted(): NamedScenario {
  const running = [0, 17, 33, 50, 67, 83].map((percent, i): Stage => ({
    status: 'JOB_STATE_RUNNING',
    at: 180 + i * 1100,
    job: progress(percent),
  }));
  return {
    id: `accounts/${ACCOUNT}/supervisedFineTuningJobs/k3v9x2qa`,
    provider: 'fireworks',
    job: {
      created_at: START,
      displayName: 'ftw-support-bot',
      outputModel: `accounts/${ACCOUNT}/models/ftw-support-bot`,
      epochs: EPOCHS,
    },
    stages: [
      ...QUEUEING,
      ...running,
      { status: 'JOB_STATE_WRITING_RESULTS', at: 6780, job: progress(100) },
      {
        status: 'JOB_STATE_COMPLETED',
        at: 7012,
        // Money: int64 `units` is a string in proto3 JSON.
        job: { ...progress(100), estimatedCost: { currencyCode: 'USD', units: '4', nanos: 370000000 } },
      },
    ],
  };
}

/** Fails validating its dataset: `status` {code INVALID_ARGUMENT, message} (the text is made up). */
export function fireworksFailed(): NamedScenario {
  return {
    id: `accounts/${ACCOUNT}/supervisedFineTuningJobs/m8q2zr5d`,
    provider: 'fireworks',
    job: { created_at: START + 86_400, displayName: 'ftw-bad-dataset' },
    stages: [
      QUEUEING[0] as Stage,
      QUEUEING[1] as Stage,
      {
        status: 'JOB_STATE_FAILED',
        at: 37,
        job: {
          status: {
            code: 'INVALID_ARGUMENT',
            message: `Dataset validation failed: line 12 of accounts/${ACCOUNT}/datasets/train-v1 is not valid JSON`,
          },
        },
      },
    ],
  };
}
