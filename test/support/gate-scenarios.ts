/**
 * Small jobs for quality-gate tests: three steps of training whose metrics a test chooses, served
 * the way each platform reports them — OpenAI and Azure `metrics` events plus checkpoint metrics,
 * Nebius checkpoint metrics only, Together's `/metrics` rows (`train/loss`, `eval/loss`), Bedrock's
 * final `trainingMetrics`/`validationMetrics` on the job.
 */
import { fakeBase62, fakeHex, fakeUuid } from '../../sim/synth.js';
import type { NamedScenario, SimCheckpoint, SimEvent, Stage } from '../../sim/types.js';

export const GATE_PROVIDERS = ['together', 'openai', 'nebius', 'azure-openai', 'bedrock'] as const;
export type GateProvider = (typeof GATE_PROVIDERS)[number];

/**
 * A metric's value at one step: a number, or a loss that diverged. The words travel as JSON
 * strings, as AWS and OpenAI-compatible gateways write them (JSON has no NaN); a test wanting
 * Python's bare `NaN` token rewrites them on the wire (see gates.e2e.test.ts).
 */
export type MetricValue = number | 'NaN' | 'Infinity' | '-Infinity';

/**
 * Each metric's values at steps 10, 20, 30 (the last one is the final value), under the OpenAI
 * names (`train_loss`, `valid_loss`, `valid_mean_token_accuracy`, …). A metric left out is never
 * reported. Together serves `train_loss` as `train/loss` and `valid_loss` as `eval/loss`; Bedrock
 * reports the final `train_loss` and `valid_loss` only.
 */
export type MetricSeries = Record<string, readonly MetricValue[]>;

export const STEPS = [10, 20, 30] as const;
const TOTAL_STEPS = STEPS.at(-1) as number;
const START = 1767225600; // 2026-01-01T00:00:00Z

export interface GateJob extends NamedScenario {
  provider: GateProvider;
  /** The model the job deploys when it succeeds (Nebius: `<job-id>:<checkpoint id>`). */
  model: string;
}

/** A job of `provider` that trains for three steps with `series` and succeeds. */
export function gateJob(provider: GateProvider, series: MetricSeries, seed = 'gates'): GateJob {
  switch (provider) {
    case 'together':
      return togetherJob(series, seed);
    case 'bedrock':
      return bedrockJob(series, seed);
    default:
      return openaiStyleJob(provider, series, seed);
  }
}

/** The row of metrics at step index `i`: only the metrics that have a value there. */
function rowAt(
  series: MetricSeries,
  i: number,
  names: Record<string, string> = {},
): Record<string, MetricValue> {
  const row: Record<string, MetricValue> = {};
  for (const [name, values] of Object.entries(series)) {
    const value = values[i];
    if (value !== undefined) row[names[name] ?? name] = value;
  }
  return row;
}

/** Metric values as the sim's types declare them; the words pass through JSON as strings. */
const asNumbers = (row: Record<string, MetricValue>) => row as Record<string, number>;

function openaiStyleJob(
  provider: 'openai' | 'nebius' | 'azure-openai',
  series: MetricSeries,
  seed: string,
): GateJob {
  const id =
    provider === 'openai'
      ? `ftjob-${fakeBase62(seed)}`
      : provider === 'nebius'
        ? `ftjob-${fakeUuid(seed).replaceAll('-', '')}`
        : `ftjob-${fakeHex(seed)}`;
  const checkpointId =
    provider === 'azure-openai'
      ? `ftchkpt-${fakeHex(`${seed}/ckpt`)}`
      : `ftckpt_${fakeBase62(`${seed}/ckpt`)}`;
  const fineTuned =
    provider === 'openai'
      ? `ft:gpt-4o-mini-2024-07-18:acme:gates:${fakeBase62(seed, 8)}`
      : provider === 'azure-openai'
        ? `gpt-4o-mini-2024-07-18.ft-${id.slice('ftjob-'.length)}`
        : null;
  // Nebius reports its metrics on checkpoints only; OpenAI and Azure as `metrics` events too.
  const metricsEvents = provider !== 'nebius';
  const stepStage = (i: number, status: string): Stage => {
    const step = STEPS[i] as number;
    const row = rowAt(series, i);
    const events: SimEvent[] =
      metricsEvents && Object.keys(row).length > 0
        ? [
            {
              at: 60 + step,
              type: 'metrics',
              message: `Step ${step}/${TOTAL_STEPS}: ${Object.entries(row)
                .map(([name, value]) => `${name}=${value}`)
                .join(', ')}`,
              data: { step, total_steps: TOTAL_STEPS, ...row },
            },
          ]
        : [];
    return {
      status,
      events,
      job: provider === 'nebius' ? { trained_steps: step, total_steps: TOTAL_STEPS } : {},
    };
  };
  const finalRow = rowAt(series, STEPS.length - 1);
  const checkpoint: SimCheckpoint = {
    id: checkpointId,
    step: TOTAL_STEPS,
    at: 60 + TOTAL_STEPS + 1,
    ...(provider === 'nebius' ? { model: null } : {}),
    metrics: asNumbers({ step: TOTAL_STEPS, ...finalRow }),
  };
  const last = stepStage(STEPS.length - 1, 'succeeded');
  return {
    id,
    provider,
    model: fineTuned ?? `${id}:${checkpointId}`,
    job: {
      created_at: START,
      ...(provider === 'nebius' ? { model: 'meta-llama/Llama-3.1-8B-Instruct' } : {}),
    },
    stages: [
      { status: 'running', events: [{ at: 1, type: 'message', message: 'Fine-tuning job started' }] },
      stepStage(0, 'running'),
      stepStage(1, 'running'),
      {
        ...last,
        events: [
          ...(last.events ?? []),
          { at: 100, type: 'message', message: 'The job has successfully completed' },
        ],
        checkpoints: [checkpoint],
        job: { ...last.job, fine_tuned_model: fineTuned, finished_at: START + 100 },
      },
    ],
  };
}

function togetherJob(series: MetricSeries, seed: string): GateJob {
  const id = `ft-${fakeUuid(seed)}`;
  const model = `acme/Meta-Llama-3.1-8B-Instruct-Reference-${id.slice(3, 11)}`;
  const names = { train_loss: 'train/loss', valid_loss: 'eval/loss' };
  const rows = (i: number) => {
    const step = STEPS[i] as number;
    const row = rowAt(series, i, names);
    return Object.keys(row).length === 0
      ? []
      : [asNumbers({ timestamp: (START + 60 + step) * 1e9, 'train/global_step': step, ...row })];
  };
  return {
    id,
    provider: 'together',
    model,
    job: { created_at: new Date(START * 1000).toISOString(), model_output_name: model },
    stages: [
      { status: 'running', events: [{ at: 1, type: 'training_start', message: 'Training started' }] },
      { status: 'running', metrics: rows(0) },
      { status: 'running', metrics: rows(1) },
      {
        status: 'completed',
        metrics: rows(2),
        checkpoints: [{ step: TOTAL_STEPS, at: 95, type: 'Final' }],
        events: [{ at: 100, type: 'job_complete', message: 'Job finished at 2026-01-01 00:01:40' }],
        job: { model_output_path: `s3://together-ft-models/${id}/${model}` },
      },
    ],
  };
}

function bedrockJob(series: MetricSeries, seed: string): GateJob {
  const suffix = fakeHex(seed, 12);
  const base = 'amazon.titan-text-express-v1:0:8k';
  const model = `arn:aws:bedrock:us-east-1:123456789012:custom-model/${base}/${fakeHex(`${seed}/model`, 12)}`;
  const final = (name: string) => series[name]?.at(-1);
  const train = final('train_loss');
  const valid = final('valid_loss');
  return {
    id: `arn:aws:bedrock:us-east-1:123456789012:model-customization-job/${base}/${suffix}`,
    provider: 'bedrock',
    model,
    job: { created_at: START, jobName: `ftw-gates-${suffix}` },
    stages: [
      { status: 'InProgress', at: 0 },
      { status: 'InProgress', at: 300 },
      {
        status: 'Completed',
        at: 900,
        job: {
          outputModelArn: model,
          ...(train === undefined ? {} : { trainingMetrics: { trainingLoss: train } }),
          ...(valid === undefined ? {} : { validationMetrics: [{ validationLoss: valid }] }),
        },
      },
    ],
  };
}
