/**
 * Together AI scenarios built around real logs: the fine-tuning quickstart's 15 events
 * (docs.together.ai/docs/fine-tuning-quickstart) and the 2023 event shape (together-python README).
 */

import { togetherEvent2023, togetherQuickstartMessages } from '../fixtures.js';
import { iso } from '../render-together.js';
import { lossAt, round, seededRandom } from '../synth.js';
import type { NamedScenario, SimEvent, Stage } from '../types.js';

const QUICKSTART_ID = 'ft-3b883474-f39c-4fd9-9d5a-7f97ba9eeb9d';
const QUICKSTART_START = Date.parse('2025-04-03T03:17:21.000Z') / 1000;
const STEPS = 72;
const STEPS_PER_EPOCH = 24;
/** Training ran 03:20:09–03:27:55 in the quickstart log: 466 s for 72 steps. */
const TRAINING_START_AT = 168;
const SECONDS_PER_STEP = (634 - TRAINING_START_AT) / STEPS;

const QUICKSTART_TYPES = [
  'job_pending',
  'job_start',
  'model_download_complete',
  'training_data_download_complete',
  'wandb_init',
  'training_start',
  'epoch_complete',
  'epoch_complete',
  'epoch_complete',
  'training_complete',
  'model_uploading',
  'model_compressing',
  'model_compression_complete',
  'model_upload_complete',
  'job_complete',
];

/** Seconds after creation (03:17:21), read off the timestamps inside the messages. */
const QUICKSTART_AT = [
  0.412, 145, 147, 154.596, 164, 168, 323.333, 478.667, 634, 634.2, 636, 641, 760, 850, 852,
];

function stepAt(step: number): number {
  return TRAINING_START_AT + step * SECONDS_PER_STEP;
}

/** Together /metrics rows for steps from..to, shaped like fixtures/together-metrics.json. */
function metricsRows(from: number, to: number, random: () => number): Record<string, number>[] {
  const rows: Record<string, number>[] = [];
  for (let step = from; step <= to; step++) {
    const timestamp = Math.round((QUICKSTART_START + stepAt(step)) * 1000) * 1e6;
    const loss = lossAt(step, STEPS, random, 2.43, 0.62);
    rows.push({
      timestamp,
      'train/global_step': step,
      'train/epoch': round(step / STEPS_PER_EPOCH),
      'train/loss': loss,
      'train/grad_norm': round(0.4 + random() * 0.9),
      'train/learning_rate': round(1e-5 * (1 - (step - 1) / STEPS), 9),
    });
    if (step % STEPS_PER_EPOCH === 0) {
      // Evaluation rows are separate objects, logged a second after the step's train row.
      rows.push({
        timestamp: timestamp + 1e9,
        'train/global_step': step,
        'train/epoch': round(step / STEPS_PER_EPOCH),
        'eval/loss': round(loss + 0.05 + random() * 0.1),
      });
    }
  }
  return rows;
}

/** The quickstart job: pending → queued → running → compressing/uploading → completed in 10 stages. */
export function togetherQuickstart(): NamedScenario {
  const messages = togetherQuickstartMessages();
  const outputName = 'yourname/Meta-Llama-3.1-8B-Instruct-Reference-ft-3b883474';
  const outputPath = `s3://together-ft-models/${QUICKSTART_ID}/${outputName}`;
  const events: SimEvent[] = messages.map((message, i) => {
    const event: SimEvent = {
      message,
      level: 'info',
      type: QUICKSTART_TYPES[i] ?? 'job_start',
      at: QUICKSTART_AT[i] ?? 0,
    };
    const epochStep = /at step (\d+)/.exec(message)?.[1];
    if (epochStep) event.extra = { step: Number(epochStep), total_steps: STEPS };
    return event;
  });
  const last = events.at(-1);
  if (last) last.extra = { model_path: outputPath };
  const random = seededRandom(72);
  const slice = (from: number, to: number) => events.slice(from, to + 1);
  const progress = (seconds: number) => ({
    progress: { estimate_available: seconds > 0, seconds_remaining: seconds },
  });
  const epochStage = (epoch: number, eventsFrom: number, eventsTo: number, remaining: number): Stage => {
    const step = epoch * STEPS_PER_EPOCH;
    return {
      status: 'running',
      events: slice(eventsFrom, eventsTo),
      checkpoints: [{ step, at: stepAt(step) + 2, type: epoch === 3 ? 'Final' : 'Intermediate' }],
      metrics: metricsRows(step - STEPS_PER_EPOCH + 1, step, random),
      job: { epochs_completed: epoch, ...progress(remaining) },
    };
  };
  return {
    id: QUICKSTART_ID,
    provider: 'together',
    job: {
      created_at: iso(QUICKSTART_START),
      model: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference',
      model_output_name: outputName,
      training_file: 'file-629e58b4-ff73-438c-b2cc-f69542b27980',
      n_epochs: 3,
      n_checkpoints: 3,
      n_evals: 3,
      batch_size: 8,
      learning_rate: 0.00001,
      training_type: { type: 'Lora', lora_r: 8, lora_alpha: 16, lora_dropout: 0.05 },
      training_method: { method: 'sft', train_on_inputs: 'auto' },
      wandb_project_name: 'fine-tune-watch-demo',
    },
    stages: [
      { status: 'pending', events: slice(0, 0), job: progress(0) },
      { status: 'queued', job: { queue_depth: 2, ...progress(0) } },
      {
        status: 'running',
        events: slice(1, 3),
        job: {
          queue_depth: 0,
          started_at: iso(QUICKSTART_START + 145),
          token_count: 1_103_872,
          param_count: 8_030_261_248,
          ...progress(700),
        },
      },
      { status: 'running', events: slice(4, 5), job: progress(680) },
      epochStage(1, 6, 6, 520),
      epochStage(2, 7, 7, 370),
      epochStage(3, 8, 9, 220),
      { status: 'compressing', events: slice(10, 11), job: progress(210) },
      { status: 'uploading', events: slice(12, 12), job: progress(90) },
      {
        status: 'completed',
        events: slice(13, 14),
        job: { model_output_path: outputPath, total_price: 1_850_000, ...progress(0) },
      },
    ],
  };
}

/** A 2023-era job: UPPERCASE event types, level '' and hash '' as the real event in fixtures/. */
export function togetherLegacyUppercase(): NamedScenario {
  const { created_at, message, level, type, object: _object, ...rest } = togetherEvent2023();
  const createdAt = String(created_at);
  const model = 'togethercomputer/llama-2-7b-chat';
  const outputName = 'yourname/llama-2-7b-chat-2023-11-07-19-04-30';
  const legacy = (at: number, eventType: string, text: string): SimEvent => ({
    at,
    type: eventType,
    level: '',
    message: text,
    extra: { ...rest },
  });
  const first: SimEvent = {
    at: 0,
    message: String(message),
    level: level as string | null,
    type: type as string | null,
    extra: rest,
  };
  return {
    id: 'ft-5b2e4c61-8f0a-4d3b-9e7c-2a1f6d8b0c34',
    provider: 'together',
    job: { created_at: createdAt, model, model_output_name: outputName, n_epochs: 2 },
    stages: [
      { status: 'pending', events: [first] },
      { status: 'queued' },
      {
        status: 'running',
        events: [
          legacy(102, 'JOB_START', 'Job started at Tue Nov  7 19:06:12 UTC 2023'),
          legacy(
            130,
            'MODEL_DOWNLOAD_COMPLETE',
            `Model data downloaded for ${model} at Tue Nov  7 19:06:40 UTC 2023`,
          ),
          legacy(
            137,
            'TRAINING_DATA_DOWNLOAD_COMPLETE',
            `Data downloaded for ${model} at 2023-11-07T19:06:47.101512`,
          ),
          legacy(141, 'TRAINING_START', `Training started for model ${model}`),
        ],
      },
      {
        status: 'running',
        events: [legacy(355, 'EPOCH_COMPLETE', 'Epoch completed, at step 12')],
        job: { epochs_completed: 1 },
      },
      {
        status: 'running',
        events: [
          legacy(572, 'EPOCH_COMPLETE', 'Epoch completed, at step 24'),
          legacy(573, 'TRAINING_COMPLETE', `Training completed for ${model} at Tue Nov  7 19:14:03 UTC 2023`),
        ],
        job: { epochs_completed: 2 },
      },
      { status: 'uploading', events: [legacy(575, 'MODEL_UPLOADING', 'Uploading output model')] },
      {
        status: 'completed',
        events: [
          legacy(742, 'MODEL_UPLOAD_COMPLETE', 'Model upload complete'),
          // No model_output_path on this job: the path is only in the last event, as on old jobs.
          {
            ...legacy(745, 'JOB_COMPLETE', 'Job finished at Tue Nov  7 19:16:55 UTC 2023'),
            extra: { ...rest, model_path: `s3://together-ft-models/legacy/${outputName}` },
          },
        ],
      },
    ],
  };
}

/** A job that ends in `error`: a warning, then an error-level job_error about the training data. */
export function togetherFailure(): NamedScenario {
  const start = Date.parse('2025-05-12T14:02:10.000Z') / 1000;
  const model = 'togethercomputer/Meta-Llama-3.1-8B-Instruct-Reference__TOG__FT';
  return {
    id: 'ft-9c1d7e2a-4b6f-4a8e-b3d5-0e7f1a2c9d48',
    provider: 'together',
    job: {
      created_at: iso(start),
      model: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference',
      model_output_name: 'yourname/Meta-Llama-3.1-8B-Instruct-Reference-ft-9c1d7e2a',
    },
    stages: [
      {
        status: 'pending',
        events: [{ at: 0.2, type: 'job_pending', message: 'Fine tune request created' }],
      },
      { status: 'queued' },
      {
        status: 'running',
        events: [
          { at: 52, type: 'job_start', message: 'Job started at Mon May 12 14:03:02 UTC 2025' },
          {
            at: 55,
            type: 'model_download_complete',
            message: `Model data downloaded for ${model} at Mon May 12 14:03:05 UTC 2025`,
          },
          {
            at: 61,
            type: 'training_data_download_complete',
            message: `Data downloaded for ${model} at 2025-05-12T14:03:11.402113`,
          },
        ],
      },
      {
        status: 'running',
        events: [
          {
            at: 64,
            level: 'warning',
            type: 'warning',
            message:
              'Training file contains 37 examples longer than the maximum sequence length of 8192 tokens; they will be truncated.',
          },
        ],
      },
      {
        status: 'error',
        events: [
          {
            at: 66,
            level: 'error',
            type: 'job_error',
            message:
              "Data validation failed: line 512 of the training file is not valid JSON: Expecting ',' delimiter: line 1 column 1187 (char 1186)",
          },
        ],
      },
    ],
  };
}
