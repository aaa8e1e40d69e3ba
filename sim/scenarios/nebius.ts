/**
 * Nebius Token Factory scenarios around the real run of nebius/token-factory-cookbook
 * post-training/fine-tuning-1/fine_tune_llama.ipynb (fixtures/nebius-cookbook-events.txt).
 */
import { nebiusCookbookEvents } from '../fixtures.js';
import type { NamedScenario, SimEvent } from '../types.js';

const COOKBOOK_ID = 'ftjob-49b4625687fe42d1a981c9f9bbdfd569';
const CHECKPOINT_ID = 'ftckpt_98a07a09-9fb7-4009-8e18-0f72beade81c';
/** A second before the first event: the job was `running` right after creation. */
const START = 1765431034;
const TOTAL_STEPS = 48;

/**
 * running → succeeded with the 4 real events at their real times. `fine_tuned_model` stays null:
 * the deployable result is the checkpoint (deployed as `<job-id>:<checkpoint-id>`).
 */
export function nebiusCookbook(): NamedScenario {
  const events: SimEvent[] = nebiusCookbookEvents().map((line) => ({
    at: line.createdAt - START,
    level: line.level,
    type: 'message',
    message: line.message,
  }));
  const [submitted, validation, training, completed] = events;
  if (!submitted || !validation || !training || !completed) throw new Error('nebius fixture changed');
  const trainingDone = completed.at ?? 0;
  const progress = (trained: number) => ({
    trained_steps: trained,
    total_steps: TOTAL_STEPS,
    estimated_finish: START + Math.round(trainingDone) + 4,
  });
  return {
    id: COOKBOOK_ID,
    provider: 'nebius',
    job: {
      created_at: START,
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      training_file: 'file-5f1c0e2b-3a4d-4e6f-8a9b-0c1d2e3f4a5b',
      validation_file: 'file-9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      organization_id: null,
    },
    stages: [
      { status: 'running', events: [submitted], job: progress(0) },
      { status: 'running', events: [validation, training], job: progress(0) },
      { status: 'running', job: progress(20) },
      { status: 'running', job: progress(40) },
      {
        status: 'succeeded',
        events: [completed],
        checkpoints: [
          {
            id: CHECKPOINT_ID,
            step: TOTAL_STEPS,
            at: trainingDone - 2,
            model: null,
            metrics: { step: TOTAL_STEPS, train_loss: 0.8731, valid_loss: 0.9412 },
          },
        ],
        job: {
          trained_steps: TOTAL_STEPS,
          estimated_finish: null,
          finished_at: START + Math.round(trainingDone) + 2,
          trained_tokens: 1_204_736,
        },
      },
    ],
  };
}

/** Fails on the training data: `error` on the job and an error-level event. */
export function nebiusFailure(): NamedScenario {
  const message = "Dataset 'training' validation failed: line 7: field 'messages' is required";
  const start = 1765500000;
  return {
    id: 'ftjob-0c7e2b9a41d34f5e8a6b1d2c3e4f5a6b',
    provider: 'nebius',
    job: { created_at: start, model: 'meta-llama/Llama-3.1-8B-Instruct', organization_id: null },
    stages: [
      { status: 'running', events: [{ at: 1, type: 'message', message: 'Job is submitted' }] },
      {
        status: 'failed',
        events: [{ at: 23, level: 'error', type: 'message', message }],
        job: {
          error: { code: 'invalid_dataset', message, param: 'training_file' },
          finished_at: start + 24,
        },
      },
    ],
  };
}
