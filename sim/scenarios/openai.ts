/**
 * OpenAI scenarios around the cookbook job of examples/How_to_finetune_chat_models.ipynb, whose
 * last 20 events (steps 131–301 and two closing messages) are in fixtures/openai-cookbook-events.txt.
 */
import { openaiCookbookMessages } from '../fixtures.js';
import { lossAt, round, seededRandom } from '../synth.js';
import type { NamedScenario, SimCheckpoint, SimEvent, Stage } from '../types.js';

const COOKBOOK_ID = 'ftjob-Rk7mVq2LxN9sTdE4wPz8aYcF';
const FINE_TUNED_MODEL = 'ft:gpt-3.5-turbo-0613:personal:recipe-ner:8PjmcwDH';
const START = 1701270000;
const TOTAL_STEPS = 303;
const TRAINING_AT = 110;
const SECONDS_PER_STEP = 1.5;
const TRAINING_FILE = 'file-dM1sTRhGBxNzYkU4pEq9L7vc';
const VALIDATION_FILE = 'file-Hq8PzX2mWc6tVbR3nKy5LfJa';

const STEP_LINE = /^Step (\d+)\/(\d+): training loss=([\d.]+), validation loss=([\d.]+)$/;

function accuracy(loss: number): number {
  return round(Math.min(1, Math.max(0, 1 - loss / 3)), 3);
}

function metricsEvent(step: number, trainLoss: number, validLoss: number, message?: string): SimEvent {
  return {
    at: TRAINING_AT + step * SECONDS_PER_STEP,
    type: 'metrics',
    message:
      message ??
      `Step ${step}/${TOTAL_STEPS}: training loss=${trainLoss.toFixed(2)}, validation loss=${validLoss.toFixed(2)}`,
    data: {
      step,
      train_loss: trainLoss,
      valid_loss: validLoss,
      total_steps: TOTAL_STEPS,
      train_mean_token_accuracy: accuracy(trainLoss),
      valid_mean_token_accuracy: accuracy(validLoss),
    },
  };
}

/** Metrics events for steps 1, 11, …, 301: the real values from 131 on, a made-up curve before. */
function cookbookMetrics(): SimEvent[] {
  const real = new Map<number, SimEvent>();
  for (const line of openaiCookbookMessages()) {
    const match = STEP_LINE.exec(line);
    if (match)
      real.set(Number(match[1]), metricsEvent(Number(match[1]), Number(match[3]), Number(match[4]), line));
  }
  const random = seededRandom(303);
  const events: SimEvent[] = [];
  for (let step = 1; step <= 301; step += 10) {
    const train = lossAt(step, 130, random, 2.1, 0.3);
    events.push(real.get(step) ?? metricsEvent(step, train, round(train + 0.1 + random() * 0.2)));
  }
  return events;
}

function checkpoint(step: number, id: string, trainLoss: number, validLoss: number): SimCheckpoint {
  return {
    step,
    id,
    at: TRAINING_AT + step * SECONDS_PER_STEP + 1,
    model: `${FINE_TUNED_MODEL}:ckpt-step-${step}`,
    metrics: {
      step,
      train_loss: trainLoss,
      train_mean_token_accuracy: accuracy(trainLoss),
      valid_loss: validLoss,
      valid_mean_token_accuracy: accuracy(validLoss),
      full_valid_loss: round(validLoss * 0.8),
      full_valid_mean_token_accuracy: accuracy(validLoss * 0.8),
    },
  };
}

/** validating_files → queued → running (7 stages of metrics) → succeeded; 37 events in all. */
export function openaiCookbook(): NamedScenario {
  const metrics = cookbookMetrics();
  const closing = openaiCookbookMessages().filter((line) => !STEP_LINE.test(line));
  const finishAt = TRAINING_AT + TOTAL_STEPS * SECONDS_PER_STEP + 20;
  const running = (from: number, to: number, checkpoints: SimCheckpoint[] = []): Stage => ({
    status: 'running',
    events: metrics.filter((e) => {
      const step = (e.data as { step: number }).step;
      return step >= from && step <= to;
    }),
    checkpoints,
    // The estimate wobbles a little from poll to poll, as the real one does.
    job: { estimated_finish: START + Math.round(finishAt + (to % 7) * 3) },
  });
  return {
    id: COOKBOOK_ID,
    provider: 'openai',
    job: {
      created_at: START,
      model: 'gpt-3.5-turbo-0613',
      training_file: TRAINING_FILE,
      validation_file: VALIDATION_FILE,
      hyperparameters: { n_epochs: 3, batch_size: 1, learning_rate_multiplier: 2 },
      method: {
        type: 'supervised',
        supervised: {
          hyperparameters: { n_epochs: 3, batch_size: 1, learning_rate_multiplier: 2 },
        },
      },
      user_provided_suffix: 'recipe-ner',
      organization_id: 'org-personal00000000000000',
    },
    stages: [
      {
        status: 'validating_files',
        events: [
          { at: 0, message: `Created fine-tuning job: ${COOKBOOK_ID}` },
          {
            at: 0,
            message: `Validating training file: ${TRAINING_FILE} and validation file: ${VALIDATION_FILE}`,
          },
        ],
      },
      {
        status: 'queued',
        events: [{ at: 41, message: 'Files validated, moving job to queued state' }],
      },
      {
        status: 'running',
        events: [{ at: 95, message: 'Fine-tuning job started' }],
        job: { estimated_finish: START + finishAt + 60 },
      },
      running(1, 41),
      running(51, 91),
      running(101, 141, [checkpoint(101, 'ftckpt_zc4Q7MP6XxulcVzj4MZdwsAB', 0.04, 0.31)]),
      running(151, 191),
      running(201, 241, [checkpoint(202, 'ftckpt_enQCFmOTGj3syEpYVhBRLTSy', 0.0, 0.52)]),
      running(251, 291),
      running(301, 301, [checkpoint(303, 'ftckpt_qtZ5Gyk4BLq1SfLFWp3RtO3P', 0.0, 1.2)]),
      {
        status: 'succeeded',
        events: closing.map((message, i) => ({ at: finishAt + i * 2, message })),
        job: {
          fine_tuned_model: FINE_TUNED_MODEL,
          trained_tokens: 38_985,
          finished_at: START + Math.round(finishAt) + 3,
          estimated_finish: null,
          result_files: ['file-Xn4hJc8QmP2vRt6LwY9sBdKe'],
        },
      },
    ],
  };
}

/** Fails while validating: `error` set on the job, and an error-level event with the same text. */
export function openaiFailure(): NamedScenario {
  const id = 'ftjob-Lq4NxW8vTa2RcZ7mHd5KpY3e';
  const start = 1716212000;
  const message =
    'The job failed due to an invalid training file. Expected file to have JSONL format, where every line is a valid JSON dictionary. Line 12 is not a dictionary.';
  return {
    id,
    provider: 'openai',
    job: { created_at: start, model: 'gpt-4o-mini-2024-07-18', training_file: TRAINING_FILE },
    stages: [
      {
        status: 'validating_files',
        events: [
          { at: 0, message: `Created fine-tuning job: ${id}` },
          { at: 0, message: `Validating training file: ${TRAINING_FILE}` },
        ],
      },
      {
        status: 'failed',
        events: [{ at: 14, level: 'error', message }],
        job: {
          error: { code: 'invalid_training_file', message, param: 'training_file' },
          finished_at: start + 14,
        },
      },
    ],
  };
}
