/**
 * Azure OpenAI scenarios around the Microsoft tutorial's real run of gpt-4o-mini
 * (fixtures/azure-tutorial-*.json): its job, its last ten events at their real times and ids, and
 * its checkpoints' real metrics. Steps 10–40 precede what the tutorial printed and are made up.
 */
import {
  azureSpecEventMessages,
  azureTutorialCheckpoints,
  azureTutorialEvents,
  azureTutorialJob,
  type AzureEventFixture,
} from '../fixtures.js';
import { lossAt, round, seededRandom } from '../synth.js';
import type { NamedScenario, SimCheckpoint, SimEvent, Stage } from '../types.js';

const STEP_SECONDS = 1;
/** The job hex reappears in the model name, as in the tutorial's `gpt-4o-mini-2024-07-18.ft-<hex>`. */
const FINE_TUNED_MODEL = 'gpt-4o-mini-2024-07-18.ft-900fcfc7ea1d4360a9f0cb1697b4eaa6';
const RESULTS_FILE = 'file-175c81c590074388bdb49e8e0d91bac3';

function fromFixture(event: AzureEventFixture, start: number): SimEvent {
  return {
    at: event.created_at - start,
    level: event.level,
    type: event.type,
    message: event.message,
    ...(event.data === undefined ? {} : { data: event.data }),
    extra: { id: event.id },
  };
}

/** Azure's losses at one step, with a token accuracy for each (the tutorial's metrics events). */
export interface AzureStepMetrics {
  train: number;
  trainAccuracy: number;
  valid: number;
  validAccuracy: number;
  fullValid: number;
  fullValidAccuracy: number;
}

/** A metrics event in the shape of the tutorial's. */
export function azureMetricsEvent(step: number, at: number, m: AzureStepMetrics): SimEvent {
  return {
    at,
    type: 'metrics',
    message: `Step ${step}: training loss=${m.train}`,
    data: {
      step,
      train_loss: m.train,
      train_mean_token_accuracy: m.trainAccuracy,
      valid_loss: m.valid,
      valid_mean_token_accuracy: m.validAccuracy,
      full_valid_loss: m.fullValid,
      full_valid_mean_token_accuracy: m.fullValidAccuracy,
    },
  };
}

/** A metrics event like the tutorial's, for the steps it did not print. */
function madeUpMetrics(step: number, at: number, random: () => number): SimEvent {
  const train = lossAt(step, 100, random, 1.9, 0.01);
  const valid = round(0.8 + (1 - Math.exp(-step / 60)) * 0.4 + random() * 0.05);
  const accuracy = (loss: number) => round(Math.min(1, Math.max(0, 1 - loss / 4)));
  return azureMetricsEvent(step, at, {
    train,
    trainAccuracy: accuracy(train),
    valid,
    validAccuracy: 0.75,
    fullValid: round(valid * 1.3),
    fullValidAccuracy: accuracy(valid * 1.3),
  });
}

/**
 * pending → running (metrics every 10 steps, a checkpoint per epoch from step 80) → succeeded with
 * the tutorial's closing messages and `fine_tuned_model`; 16 events in all.
 */
export function azureTutorial(): NamedScenario {
  const {
    id,
    created_at: start,
    status: _pending,
    ...job
  } = azureTutorialJob() as {
    id: string;
    created_at: number;
    status: string;
  } & Record<string, unknown>;
  const real = azureTutorialEvents().map((event) => fromFixture(event, start));
  const realSteps = new Map(real.flatMap((e) => (e.type === 'metrics' ? [[stepOf(e), e] as const] : [])));
  const closing = real.filter((e) => e.type !== 'metrics');
  const firstReal = real.find((e) => e.type === 'metrics')?.at ?? 0;
  const random = seededRandom(105);
  const metrics = (step: number): SimEvent =>
    realSteps.get(step) ?? madeUpMetrics(step, firstReal - (50 - step) * STEP_SECONDS, random);
  const [enqueued, started] = azureSpecEventMessages();
  const finishedAt = start + Math.max(...closing.map((e) => e.at ?? 0));
  const running = (steps: number[], checkpoints: SimCheckpoint[] = []): Stage => ({
    status: 'running',
    events: steps.map(metrics),
    checkpoints,
    job: { estimated_finish: finishedAt + 60 },
  });
  const checkpoints = checkpointsAfter(real, start);
  return {
    id,
    provider: 'azure-openai',
    job: { created_at: start, ...job },
    stages: [
      { status: 'pending', events: [{ at: 0, type: 'message', message: enqueued ?? '' }] },
      {
        status: 'running',
        events: [{ at: firstReal - 50 * STEP_SECONDS, type: 'message', message: started ?? '' }],
        job: { estimated_finish: finishedAt + 60 },
      },
      running([10, 20]),
      running([30, 40, 50]),
      running([60, 70]),
      running([80, 90], checkpoints.slice(0, 2)),
      running([100]),
      {
        status: 'succeeded',
        events: closing,
        checkpoints: checkpoints.slice(2),
        job: {
          fine_tuned_model: FINE_TUNED_MODEL,
          finished_at: finishedAt,
          estimated_finish: null,
          // 10 epochs of the tutorial's ten ~50-token examples.
          trained_tokens: 4980,
          result_files: [RESULTS_FILE],
        },
      },
    ],
  };
}

function stepOf(event: SimEvent): number {
  return (event.data as { step: number }).step;
}

/**
 * The tutorial's three checkpoints (its other run), moved onto this job: a second after their
 * step's metrics event, named after this job's model. The last one is the model itself.
 */
function checkpointsAfter(events: readonly SimEvent[], start: number): SimCheckpoint[] {
  return azureTutorialCheckpoints().map((checkpoint, i, all) => {
    const event = events.find((e) => e.type === 'metrics' && stepOf(e) === checkpoint.step_number);
    const final = i === all.length - 1;
    return {
      step: checkpoint.step_number,
      id: checkpoint.id,
      at: (event?.at ?? checkpoint.created_at - start) + 1,
      model: final ? FINE_TUNED_MODEL : `${FINE_TUNED_MODEL}:ckpt-step-${checkpoint.step_number}`,
      metrics: checkpoint.metrics,
    };
  });
}

/**
 * Fails validating its training file: `error` {code, message, param} and an error-level event.
 * The code and text are made up (Azure documents no failure codes) in Azure's camelCase style.
 */
export function azureFailure(): NamedScenario {
  const id = 'ftjob-4f2c1d0e9b8a47c6a5d4e3f2a1b0c9d8';
  const start = 1715824115;
  const message = 'Training file validation failed: line 12 is not valid JSON.';
  const [enqueued] = azureSpecEventMessages();
  return {
    id,
    provider: 'azure-openai',
    job: {
      created_at: start,
      training_file: 'file-0e3aa3f2e81e49a5b8b96166ea214626',
      seed: 42,
    },
    stages: [
      { status: 'pending', events: [{ at: 0, type: 'message', message: enqueued ?? '' }] },
      {
        status: 'failed',
        events: [{ at: 345, level: 'error', type: 'message', message }],
        job: {
          error: { code: 'invalidTrainingFile', message, param: 'training_file' },
          finished_at: start + 345,
        },
      },
    ],
  };
}
