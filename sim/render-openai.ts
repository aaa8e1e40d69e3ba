/**
 * OpenAI response shapes (FineTuningJob, FineTuningJobEvent, FineTuningJobCheckpoint), from
 * openai/openai-openapi openapi.yaml (2026-08). Nebius Token Factory follows the same shapes.
 */
import type { SimJob, StoredCheckpoint, StoredEvent } from './job-state.js';

/** The id an event is served with: `ftevent-<seq>`, unless the scenario overrides it through `extra`. */
export function openaiEventId(event: StoredEvent): string {
  return event.extra && 'id' in event.extra ? String(event.extra.id) : `ftevent-${event.seq}`;
}

export function openaiEvent(job: SimJob, event: StoredEvent): Record<string, unknown> {
  const data = event.data === undefined ? null : event.data;
  const isMetrics = typeof data === 'object' && data !== null && 'step' in data;
  return {
    object: 'fine_tuning.job.event',
    id: `ftevent-${event.seq}`,
    created_at: Math.floor(job.start + event.at),
    level: event.level === undefined ? 'info' : event.level,
    message: event.message,
    data,
    type: event.type === undefined ? (isMetrics ? 'metrics' : 'message') : event.type,
    ...event.extra,
  };
}

export function openaiCheckpointId(job: SimJob, checkpoint: StoredCheckpoint): string {
  return checkpoint.id ?? `ftckpt_${job.id.replace(/^ftjob-/, '').slice(0, 16)}${checkpoint.seq}`;
}

export function openaiCheckpoint(job: SimJob, checkpoint: StoredCheckpoint): Record<string, unknown> {
  const base =
    job.fields.fine_tuned_model ??
    `ft:${String(job.fields.model ?? 'gpt-4o-mini-2024-07-18')}:personal::${job.id.slice(-8)}`;
  return {
    object: 'fine_tuning.job.checkpoint',
    id: openaiCheckpointId(job, checkpoint),
    created_at: Math.floor(job.start + checkpoint.at),
    fine_tuned_model_checkpoint:
      checkpoint.model !== undefined ? checkpoint.model : `${String(base)}:ckpt-step-${checkpoint.step}`,
    step_number: checkpoint.step,
    metrics: checkpoint.metrics ?? { step: checkpoint.step },
    fine_tuning_job_id: job.id,
    ...checkpoint.extra,
  };
}

export function openaiJob(job: SimJob): Record<string, unknown> {
  const hyperparameters = { n_epochs: 3, batch_size: 1, learning_rate_multiplier: 2 };
  const body: Record<string, unknown> = {
    object: 'fine_tuning.job',
    id: job.id,
    model: job.provider === 'nebius' ? 'meta-llama/Llama-3.1-8B-Instruct' : 'gpt-4o-mini-2024-07-18',
    created_at: Math.floor(job.start),
    error: null,
    fine_tuned_model: null,
    finished_at: null,
    hyperparameters,
    organization_id: 'org-sim0000000000000000000000',
    result_files: [],
    status: job.status,
    trained_tokens: null,
    training_file: 'file-Wk3Ftd8hQ2cM5vN7pL9xRbYz',
    validation_file: null,
    integrations: [],
    seed: 42,
    estimated_finish: null,
    method: { type: 'supervised', supervised: { hyperparameters } },
    metadata: null,
    ...job.fields,
  };
  body.id = job.id;
  body.status = job.status;
  return body;
}
